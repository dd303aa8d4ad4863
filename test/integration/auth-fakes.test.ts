/**
 * Logins Dovecot cannot show here, against in-process fake servers: XOAUTH2 and OAUTHBEARER (Dovecot
 * would need an OAuth 2.0 back end), LOGINDISABLED (Dovecot counts a loopback connection as secure
 * and never announces it to 127.0.0.1), and a server whose SCRAM signature is forged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** An IMAP server announcing `capabilities`, answering AUTHENTICATE with `onAuth`, and LOGOUT. */
async function imapServer(capabilities: string, onAuth: (line: string, write: (s: string) => void) => void): Promise<FakeServer> {
  const server = await startFakeServer({
    greeting: `* OK [CAPABILITY IMAP4rev1 ${capabilities}] fake ready`,
    onLine: (line, conn) => {
      const write = (s: string) => conn.write(`${s}\r\n`);
      if (/ LOGOUT$/i.test(line)) {
        write('* BYE bye');
        write(`${tagOf(line)} OK LOGOUT done`);
        conn.socket.end();
        return;
      }
      onAuth(line, write);
    },
  });
  servers.push(server);
  return server;
}

describe('bearer tokens', () => {
  it('IMAP XOAUTH2 sends Google\'s format with SASL-IR, the token from MAILWIRE_TOKEN, masked', async () => {
    const token = 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg';
    const server = await imapServer('AUTH=XOAUTH2 SASL-IR', (line, write) => {
      const [tag, , mechanism, ir] = line.split(' ');
      const ok = mechanism === 'XOAUTH2' && unb64(ir ?? '') === `user=someuser@example.com\x01auth=Bearer ${token}\x01\x01`;
      write(`${tag} ${ok ? 'OK Welcome' : 'NO wrong'}`);
    });
    const r = await runMain([server.url('imap'), '--user', 'someuser@example.com', '-c', 'AUTHENTICATE XOAUTH2', '-c', 'LOGOUT'], {
      vars: { MAILWIRE_TOKEN: token, MAILWIRE_PASSWORD: 'not this' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('C: A001 AUTHENTICATE XOAUTH2 <secret>\n# XOAUTH2 client: user=someuser@example.com\\x01auth=Bearer <secret>\\x01\\x01\nS: A001 OK Welcome');
    expect(r.stdout).not.toContain(token);
  });

  it('POP3 OAUTHBEARER: a refused token gets the dummy response ^A and the server\'s reason in words', async () => {
    const error = '{"status":"invalid_token","scope":"mail"}';
    const server = await startFakeServer({
      greeting: '+OK fake POP3',
      onLine: (line, conn) => {
        const write = (s: string) => conn.write(`${s}\r\n`);
        if (line === 'CAPA') write('+OK\r\nSASL OAUTHBEARER\r\n.');
        else if (line.startsWith('AUTH OAUTHBEARER ')) {
          const ir = unb64(line.split(' ')[2] ?? '');
          write(ir === `n,a=joe,\x01host=127.0.0.1\x01port=${server.port}\x01auth=Bearer expired\x01\x01` ? `+ ${b64(error)}` : '-ERR bad initial response');
        } else if (line === 'AQ==') write('-ERR [AUTH] Authentication failed');
        else if (line === 'QUIT') write('+OK bye');
        else write('-ERR what?');
      },
    });
    servers.push(server);
    const r = await runMain([server.url('pop3'), '--user', 'joe', '-c', 'AUTH OAUTHBEARER', '-c', 'QUIT'], { vars: { MAILWIRE_TOKEN: 'expired' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'C: AUTH OAUTHBEARER <secret>',
        `# OAUTHBEARER client: n,a=joe,\\x01host=127.0.0.1\\x01port=${server.port}\\x01auth=Bearer <secret>\\x01\\x01`,
        `S: + ${b64(error)}`,
        `# OAUTHBEARER server: ${error}`,
        '# error: OAUTHBEARER: the server refused the token: invalid_token, scope needed: mail',
        'C: AQ==',
        '# OAUTHBEARER client: \\x01',
        'S: -ERR [AUTH] Authentication failed',
        '# warning: login failed: wrong user name or password, or the login itself is refused (RFC 3206 [AUTH])',
      ].join('\n'),
    );
  });

  it('needs MAILWIRE_TOKEN when nobody can be asked (exit 9)', async () => {
    const server = await imapServer('AUTH=OAUTHBEARER SASL-IR', () => undefined);
    const r = await runMain([server.url('imap'), '--user', 'joe', '-c', 'AUTHENTICATE OAUTHBEARER'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/OAUTHBEARER needs an OAuth token: .*MAILWIRE_TOKEN/);
  });
});

describe('refusing before a secret is sent', () => {
  it('LOGINDISABLED: "LOGIN joe" is refused, with what to do (exit 10); nothing but the greeting is read', async () => {
    const server = await imapServer('STARTTLS LOGINDISABLED AUTH=SCRAM-SHA-256', (line, write) => write(`${tagOf(line)} BAD unexpected`));
    const r = await runMain([server.url('imap'), '-c', 'LOGIN joe'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.code).toBe(10);
    expect(r.stderr).toBe(
      'mailwire: the server announces LOGINDISABLED (RFC 3501 §6.2.3): it takes no LOGIN before TLS: use --starttls or type STARTTLS first; nothing sent\n',
    );
    expect(server.received).toEqual([]);
  });

  it('a mechanism not offered before TLS names what is offered and points to STARTTLS (exit 10)', async () => {
    const server = await imapServer('STARTTLS LOGINDISABLED', (line, write) => write(`${tagOf(line)} BAD unexpected`));
    const r = await runMain([server.url('imap'), '--user', 'joe', '-c', 'AUTHENTICATE PLAIN'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/does not offer AUTHENTICATE PLAIN: it offers no SASL mechanism here before TLS \(LOGINDISABLED\); it may offer more after STARTTLS/);
    expect(server.received).toEqual([]);
  });
});

describe('a server that cannot prove itself', () => {
  it('SCRAM-SHA-256 with a forged server signature: cancelled with "*", exit 10, the reply still shown', async () => {
    let clientNonce = '';
    const server = await imapServer('AUTH=SCRAM-SHA-256 SASL-IR', (line, write) => {
      if (/ AUTHENTICATE SCRAM-SHA-256 /.test(line)) {
        clientNonce = /r=([^,]+)/.exec(unb64(line.split(' ')[3] ?? ''))?.[1] ?? '';
        write(`+ ${b64(`r=${clientNonce}server,s=${b64('salt')},i=4096`)}`);
      } else if (line.startsWith('Yz1')) {
        write(`+ ${b64(`v=${b64('this is not the signature!!!')}`)}`);
      } else if (line === '*') {
        write('A001 BAD AUTHENTICATE cancelled');
      }
    });
    const r = await runMain([server.url('imap'), '--user', 'joe', '-c', 'AUTHENTICATE SCRAM-SHA-256', '-c', 'NOOP'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.code).toBe(10);
    expect(r.stdout).toMatch(/# error: SCRAM-SHA-256: the server signature does NOT match: this server does not know the password .*\nC: \*\nS: A001 BAD AUTHENTICATE cancelled\n/);
    expect(r.stderr).toMatch(/^mailwire: SCRAM-SHA-256: the server signature does NOT match/);
    expect(server.received).not.toContain('A002 NOOP');
  });
});
