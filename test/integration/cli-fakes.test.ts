/**
 * The mailwire command against in-process fake servers, for what a real server will not do:
 * hostile bytes, connections that break, STARTTLS injection, silence, refusals.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runBinary, runMain } from '../support/cli.js';
import { testCerts } from '../support/certs.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(options: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(options);
  servers.push(s);
  return s;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mailwire-test-'));

/** A minimal IMAP server: OK to everything, BYE on LOGOUT. */
function imapOk(line: string, conn: { write(t: string): void; socket: { end(): void } }): void {
  const tag = tagOf(line);
  const command = (line.split(' ')[1] ?? '').toUpperCase();
  if (command === 'LOGOUT') {
    conn.write(`* BYE bye\r\n${tag} OK LOGOUT completed\r\n`);
    conn.socket.end();
  } else if (command !== '') {
    conn.write(`${tag} OK ${command} completed\r\n`);
  }
}

describe('server bytes never drive the terminal', () => {
  const HOSTILE = '* OK \x1b[2J\x1b]0;owned\x07 \xc2\x9b31m NUL\x00 bad\xff bidi\xe2\x80\xae end';

  it.each([
    ['without colors', {}],
    ['with colors', { FORCE_COLOR: '1' }],
  ])('escapes ESC, OSC, C1, NUL, invalid UTF-8 and bidi controls %s', async (_name, vars) => {
    const server = await fake({ greeting: HOSTILE, onLine: imapOk });
    const r = await runMain([server.url('imap'), '-c', 'LOGOUT'], { vars });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\\x1b[2J\\x1b]0;owned\\x07 \\u{9b}31m NUL\\x00 bad\\xff bidi\\u{202e} end');
    // What remains of ESC may only be chalk's own SGR sequences (ESC [ digits m).
    const withoutSgr = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(withoutSgr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u202e]/);
    if (Object.keys(vars).length === 0) expect(r.stdout).not.toContain('\x1b');
    else expect(r.stdout).toContain('\x1b[');
  });

  it('says once that the server ends lines with a bare LF (RFC 3501 §2.2), and reads them as lines', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: (line, conn) => conn.write(`* 1 EXISTS\n* 2 EXISTS\n${tagOf(line)} OK done\n`) });
    const r = await runMain([server.url('imap'), '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S: * 1 EXISTS\n# warning: the server ended this line with a bare LF, not CRLF (RFC 3501 §2.2); read as a line end\nS: * 2 EXISTS\nS: A001 OK done\n');
    expect(r.stdout.match(/bare LF/g)).toHaveLength(1);
  });

  it('escapes hostile bytes inside a literal too, and records them escaped', async () => {
    const dir = tmp();
    const server = await fake({
      greeting: '* OK ready',
      onLine: (line, conn) => {
        if (/FETCH/i.test(line)) {
          const body = 'Subject: \x1b]52;c;cGF5bG9hZA==\x07\r\n';
          conn.write(`* 1 FETCH (BODY[] {${Buffer.byteLength(body, 'latin1')}}\r\n${body})\r\n${tagOf(line)} OK done\r\n`);
        } else imapOk(line, conn);
      },
    });
    const r = await runMain([server.url('imap'), '--record', join(dir, 't.txt'), '-c', 'FETCH 1 BODY[]'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S: Subject: \\x1b]52;c;cGF5bG9hZA==\\x07');
    expect(r.stdout).not.toContain('\x1b');
    const recorded = readFileSync(join(dir, 't.txt'), 'utf8');
    expect(recorded).toContain('S: Subject: \\x1b]52;c;cGF5bG9hZA==\\x07');
    expect(recorded).toMatch(/S: \)\n/);
  });
});

describe('scripted use', () => {
  it('sends each line only after the previous command completed, and exits 0', async () => {
    const order: string[] = [];
    const server = await fake({
      greeting: '* OK ready',
      onLine: (line, conn) => {
        order.push(line);
        // Answer slowly: a client that does not wait would send the next line before this reply.
        setTimeout(() => imapOk(line, conn), 30);
      },
    });
    const r = await runMain([server.url('imap')], { stdin: 'NOOP\nCAPABILITY\nLOGOUT\n' });
    expect(r.code).toBe(0);
    expect(order).toEqual(['A001 NOOP', 'A002 CAPABILITY', 'A003 LOGOUT']);
    expect(r.stdout).toMatch(/C: A001 NOOP\nS: A001 OK NOOP completed\nC: A002 CAPABILITY\n/);
  });

  it('waits for "+" before a synchronizing literal and sends the RFC layout byte for byte', async () => {
    const received: Buffer[] = [];
    const server = await fake({
      greeting: '* OK ready',
      onLine: (line, conn) => {
        received.push(Buffer.from(`${line}\r\n`, 'latin1'));
        if (line.endsWith('{310}')) conn.write('+ Ready for literal data\r\n');
        else if (line === '') conn.write('A003 OK APPEND completed\r\n');
      },
    });
    const append = readFileSync(new URL('../fixtures/rfc/imap/rfc3501-6.3.11-append.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l === 'C:' || l.startsWith('C: '))
      .map((l) => l.slice(3))
      .join('\n');
    const r = await runMain([server.url('imap')], { stdin: `${append}\n` });
    expect(r.code).toBe(0);
    const wire = Buffer.concat(received).toString('latin1');
    expect(wire.startsWith('A003 APPEND saved-messages (\\Seen) {310}\r\nDate: Mon, 7 Feb 1994')).toBe(true);
    // 310 octets of literal, then the CRLF that ends the command.
    const literal = wire.slice(wire.indexOf('\r\n') + 2);
    expect(Buffer.byteLength(literal, 'latin1')).toBe(310 + 2);
    expect(r.stdout).toContain('S: + Ready for literal data\nC: Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\n');
    expect(r.stdout).toContain('S: A003 OK APPEND completed');
  });

  it('computes the APOP digest from the greeting (RFC 1939 §7 vector) and shows the line sent', async () => {
    const server = await fake({
      greeting: '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>',
      onLine: (line, conn) => conn.write(line.startsWith('APOP') ? "+OK mrose's maildrop has 2 messages (320 octets)\r\n" : '+OK\r\n'),
    });
    const r = await runMain([server.url('pop3'), '-c', 'APOP mrose'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.code).toBe(0);
    expect(server.received).toEqual(['APOP mrose c4c9334bac560ecc979e58001b3e22fb']);
    expect(r.stdout).toContain('C: APOP mrose c4c9334bac560ecc979e58001b3e22fb');
    expect(r.stdout).not.toContain('tanstaaf');
  });

  it('refuses APOP when the greeting has no timestamp, sending nothing (exit 9)', async () => {
    const server = await fake({ greeting: '+OK POP3 server ready', onLine: (_l, conn) => conn.write('+OK\r\n') });
    const r = await runMain([server.url('pop3'), '-c', 'APOP mrose'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/^mailwire: .*no APOP timestamp.*\n$/);
    expect(server.received).toEqual([]);
  });

  it('says why a greeting\'s <...> is no APOP timestamp, sending nothing (exit 9)', async () => {
    const server = await fake({ greeting: '+OK POP3 ready <1896 697170952@dbc>', onLine: (_l, conn) => conn.write('+OK\r\n') });
    const r = await runMain([server.url('pop3'), '-c', 'APOP mrose'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.code).toBe(9);
    expect(r.stderr).toBe('mailwire: the server greeting holds <1896 697170952@dbc>, which is no APOP timestamp (RFC 1939 §7: a msg-id, as <1896.697170952@dbc.mtview.ca.us>): this server does not offer APOP; nothing sent\n');
    expect(server.received).toEqual([]);
  });

  it('asks for a missing secret and fails clearly without one (exit 9)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const r = await runMain([server.url('imap'), '-c', 'LOGIN joe'], {});
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/MAILWIRE_PASSWORD/);
    expect(server.received).toEqual([]);
  });

  it('records the session with secrets masked, flushed as it goes', async () => {
    const dir = tmp();
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const file = join(dir, 'session.txt');
    const r = await runMain([server.url('imap'), '--record', file, '-c', 'LOGIN joe', '-c', 'a9 LOGIN "joe" "p4ss w0rd"'], {
      vars: { MAILWIRE_PASSWORD: 's3cr3t-env' },
    });
    expect(r.code).toBe(0);
    expect(server.received).toEqual(['A001 LOGIN joe "s3cr3t-env"', 'a9 LOGIN "joe" "p4ss w0rd"']);
    const recorded = readFileSync(file, 'utf8');
    expect(recorded).toMatch(/^# mailwire transcript v1\n# protocol: imap\n# target: imap:\/\/127\.0\.0\.1:\d+\n/);
    expect(recorded).toContain('C: A001 LOGIN joe <secret>\nS: A001 OK LOGIN completed\n');
    expect(recorded).toContain('C: a9 LOGIN "joe" <secret>\n');
    for (const text of [recorded, r.stdout, r.stderr]) {
      expect(text).not.toContain('s3cr3t-env');
      expect(text).not.toContain('p4ss');
    }
  });

  it('stops with a file error, in words, when the recording cannot be written (exit 9, or 2 for no name)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    // /dev/full takes the open and fails every write: the header's, at once.
    const full = await runMain([server.url('imap'), '--record', '/dev/full', '-c', 'NOOP'], {});
    expect(full.code).toBe(9);
    expect(full.stderr).toBe('mailwire: cannot write transcript /dev/full: no space left on the device\n');
    const folder = await runMain([server.url('imap'), '--record', tmp(), '-c', 'NOOP'], {});
    expect(folder.code).toBe(9);
    expect(folder.stderr).toMatch(/^mailwire: cannot write transcript .*: it is a folder\n$/);
    const none = await runMain([server.url('imap'), '--record', '', '-c', 'NOOP'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^mailwire: --record needs the name of the file to write/);
  });

  it('runs .raw as the shell does: the octets as typed, the LOGIN in them masked, its reply waited for', async () => {
    const dir = tmp();
    const server = await fake({ greeting: '* OK ready', onLine: (line, conn) => setTimeout(() => imapOk(line, conn), 30) });
    const file = join(dir, 'raw.txt');
    const r = await runMain([server.url('imap'), '--record', file, '-c', '.raw a1 LOGIN kim Zq9Sekr1t\\x21\\r\\n', '-c', '..1 NOOP', '-c', 'LOGOUT'], {});
    expect(r.code, r.stderr).toBe(0);
    // The NOOP went only after the raw LOGIN's reply (the server answers 30 ms late); ".." is one ".".
    expect(server.received).toEqual(['a1 LOGIN kim Zq9Sekr1t!', '.1 NOOP', 'A001 LOGOUT']);
    expect(r.stdout).toContain('C: a1 LOGIN kim <secret>\nS: a1 OK LOGIN completed\nC: .1 NOOP\n');
    for (const text of [readFileSync(file, 'utf8'), r.stdout, r.stderr]) expect(text).not.toContain('Zq9Sekr1t');
  });

  it('refuses a command line that holds CR, LF or NUL, which would send a second command (exit 9)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const lf = await runMain([server.url('imap'), '-c', 'NOOP', '-c', 'SELECT INBOX\nx1 DELETE INBOX', '-c', 'LOGOUT'], {});
    expect(lf.code).toBe(9);
    expect(lf.stderr).toBe('mailwire: the command holds an LF (RFC 3501 §9: CRLF ends a command, and no command holds a NUL); nothing sent: .raw sends such octets on purpose\n');
    const cr = await runMain([server.url('imap')], { stdin: 'NOOP\rx1 DELETE INBOX\nLOGOUT\n' });
    expect(cr.code).toBe(9);
    expect(cr.stderr).toMatch(/^mailwire: the command holds a CR /);
    // A script written with CRLF line ends is read as lines, as ever.
    const crlf = await runMain([server.url('imap')], { stdin: 'NOOP\r\nLOGOUT\r\n' });
    expect(crlf.code, crlf.stderr).toBe(0);
    expect(server.received).toEqual(['A001 NOOP', 'A001 NOOP', 'A002 LOGOUT']);
    const pop3 = await fake({ greeting: '+OK ready <1.2@x>', onLine: (_l, conn) => conn.write('+OK\r\n') });
    const r = await runMain([pop3.url('pop3'), '-c', 'DELE 1\r\nDELE 2'], {});
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/^mailwire: the command holds a CR \(RFC 1939 §3: CRLF ends a command\)/);
    expect(pop3.received).toEqual([]);
  });

  it('refuses a user name that holds CR, LF or NUL before connecting (exit 2)', async () => {
    const server = await fake({ greeting: '+OK ready <1.2@x>', onLine: (_l, conn) => conn.write('+OK\r\n') });
    const url = server.url('pop3').replace('pop3://', 'pop3://mr%0D%0ADELE%201%0D%0Aose@');
    const r = await runMain([url, '-c', 'QUIT'], { vars: { MAILWIRE_PASSWORD: 'hunter2' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailwire: the user name holds CR, LF or NUL, which no login can carry/);
    const nul = await runMain([server.url('imap').replace('imap://', 'imap://jo%00e@'), '-c', 'NOOP'], { vars: { MAILWIRE_PASSWORD: 'hunter2' } });
    expect(nul.code).toBe(2);
    const authzid = await runMain([server.url('imap'), '--authzid', 'a\nb', '-c', 'NOOP'], {});
    expect(authzid.code).toBe(2);
    expect(authzid.stderr).toMatch(/^mailwire: the --authzid name holds CR, LF or NUL/);
    expect(server.received).toEqual([]);
  });

  it('forgets the capabilities listed before LOGIN unless the server lists them again (RFC 3501 §6.2.3)', async () => {
    const quiet = await fake({ greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready', onLine: imapOk });
    const r = await runMain([quiet.url('imap'), '-c', 'LOGIN joe "pw"', '-c', 'GETQUOTAROOT INBOX'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/did not announce/);
    const again = await fake({
      greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready',
      onLine: (line, conn) => (/ LOGIN /.test(line) ? conn.write(`${tagOf(line)} OK [CAPABILITY IMAP4rev1 IDLE] in\r\n`) : imapOk(line, conn)),
    });
    const held = await runMain([again.url('imap'), '-c', 'LOGIN joe "pw"', '-c', 'GETQUOTAROOT INBOX'], {});
    expect(held.stdout).toMatch(/GETQUOTAROOT needs the QUOTA capability \(RFC 9208 §4\.1\.2\), which this server did not announce/);
  });

  it('refuses the shell\'s other dot-commands in a script, sending nothing of the line (exit 9)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const r = await runMain([server.url('imap'), '-c', 'NOOP', '-c', '.state', '-c', 'LOGOUT'], {});
    expect(r.code).toBe(9);
    expect(r.stderr).toBe('mailwire: .state is a command of the shell: a script runs only .raw (a line that starts with ".." sends one "." less); not sent\n');
    expect(server.received).toEqual(['A001 NOOP']);
  });
});

describe('broken connections and silence', () => {
  it('reports a connection dropped mid-literal (exit 7) and keeps the recording up to that point', async () => {
    const dir = tmp();
    const server = await fake({
      greeting: '* OK ready',
      onLine: (line, conn) => {
        conn.write(`* 1 FETCH (BODY[] {100}\r\nFrom: someone\r\npartial`);
        setTimeout(() => conn.socket.destroy(), 20);
        void line;
      },
    });
    const file = join(dir, 'broken.txt');
    const r = await runMain([server.url('imap'), '--record', file, '-c', 'FETCH 1 BODY[]'], {});
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^mailwire: connection closed in the middle of a literal \(22 of 100 octets received\)\n$/);
    const recorded = readFileSync(file, 'utf8');
    expect(recorded).toContain('S: * 1 FETCH (BODY[] {100}\nS: From: someone\nS: partial');
    expect(recorded).toMatch(/\n# connection closed in the middle of a literal \(22 of 100 octets received\)\n$/);
  });

  it('shows and records what came of a line whose CRLF never came, IMAP and POP3 (exit 7)', async () => {
    const dir = tmp();
    const imap = await fake({
      greeting: '* OK ready',
      onLine: (_line, conn) => {
        conn.write('* CAPABILITY IMAP4rev1 ID\r\na1 O');
        setTimeout(() => conn.socket.end(), 20);
      },
    });
    const file = join(dir, 'cut.txt');
    const r = await runMain([imap.url('imap'), '--record', file, '-c', 'a1 CAPABILITY'], {});
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('S: * CAPABILITY IMAP4rev1 ID\nS: a1 O\n# warning: the connection ended in the middle of this line: its CRLF never came\n');
    expect(readFileSync(file, 'utf8')).toContain('S: a1 O\n# warning: the connection ended in the middle of this line: its CRLF never came\n# connection closed in the middle of a line (its CRLF never came)\n');
    // A greeting cut short is shown too, escaped as any server line.
    const tcp = createTcpServer((socket) => socket.end('* OK \x1b[2Jno end of line'));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
    try {
      const g = await runMain([`imap://127.0.0.1:${(tcp.address() as { port: number }).port}`, '-c', 'NOOP'], {});
      expect(g.code).toBe(7);
      expect(g.stdout).toContain('S: * OK \\x1b[2Jno end of line\n# warning: the connection ended in the middle of this line');
    } finally {
      tcp.close();
    }
    const pop3 = await fake({
      greeting: '+OK ready',
      onLine: (_line, conn) => {
        conn.write('+OK\r\n1 100\r\n2 2');
        setTimeout(() => conn.socket.end(), 20);
      },
    });
    const p = await runMain([pop3.url('pop3'), '-c', 'LIST'], {});
    expect(p.code).toBe(7);
    expect(p.stdout).toContain('S: 1 100\nS: 2 2\n# warning: the connection ended in the middle of this line');
  });

  /**
   * A server that ends its last reply by closing the connection, its CRLF never sent (Zimbra's
   * LOGOUT OK, a POP3 QUIT's +OK): `crlf` sends it as it should be, for replay against that one.
   */
  function closingWithoutCrlf(protocol: 'imap' | 'pop3', crlf = false): Promise<FakeServer> {
    const end = crlf ? '\r\n' : '';
    return fake({
      greeting: protocol === 'imap' ? '* OK ready' : '+OK ready',
      onLine: (line, conn) => {
        if (protocol === 'imap' && /^\S+ LOGOUT$/i.test(line)) {
          conn.write(`* BYE closing\r\n${tagOf(line)} OK LOGOUT completed${end}`);
          conn.socket.end();
        } else if (protocol === 'pop3' && line === 'QUIT') {
          conn.write(`+OK bye${end}`);
          conn.socket.end();
        } else conn.write(protocol === 'imap' ? `${tagOf(line)} OK done\r\n` : '+OK\r\n');
      },
    });
  }

  it.each(['imap', 'pop3'] as const)('%s: a last reply the server ends by closing, without CRLF, is received: a warning, exit 0, and its recording replays', async (protocol) => {
    const dir = tmp();
    const file = join(dir, `${protocol}.txt`);
    const server = await closingWithoutCrlf(protocol);
    const r = await runMain([server.url(protocol), '--record', file, '-c', 'NOOP', '-c', protocol === 'imap' ? 'LOGOUT' : 'QUIT'], {});
    const last = protocol === 'imap' ? 'S: A002 OK LOGOUT completed' : 'S: +OK bye';
    const warning = `# warning: the server closed the connection without ending this line with CRLF (${protocol === 'imap' ? 'RFC 3501 §2.2' : 'RFC 1939 §3'}); read as a whole line`;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${last}\n${warning}\n`);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`${last.replace(/[+]/g, '\\+')}\n${warning.replace(/[()§.]/g, '\\$&')}\n$`));
    // Against the same server, and against one that sends the CRLF: replay reads the line alike.
    for (const target of [server, await closingWithoutCrlf(protocol, true)]) {
      const replayed = await runMain(['replay', file, '--target', target.url(protocol)], {});
      expect(replayed.stdout).toMatch(/^PASS /);
      expect(replayed.code).toBe(0);
    }
  });

  it('a close after a completion without CRLF is exit 0; one that cuts another line short while a reply is expected is exit 7', async () => {
    for (const [cut, code] of [['a1 NO [ALERT] not now', 0], ['* 1 EXISTS', 7], ['a1 O', 7]] as const) {
      const server = await fake({ greeting: '* OK ready', onLine: (_line, conn) => {
        conn.write(cut);
        conn.socket.end();
      } });
      const r = await runMain([server.url('imap'), '-c', 'a1 NOOP'], {});
      expect(r.code, cut).toBe(code);
      const warning = code === 0 ? 'the server closed the connection without ending this line with CRLF' : 'the connection ended in the middle of this line: its CRLF never came';
      expect(r.stdout).toContain(`S: ${cut}\n# warning: ${warning}`);
    }
  });

  it('POP3: lines ended in a bare LF are read, and said once, under the first (RFC 1939 §3), on screen and in the recording', async () => {
    // The greeting ends in CRLF: the first bare LF is in LIST's reply.
    const server = await fake({
      greeting: '+OK ready',
      onLine: (line, conn) => {
        if (line === 'LIST') conn.write('+OK 2 messages\n1 120\n2 200\n.\n');
        else {
          conn.write('+OK bye\n');
          conn.socket.end();
        }
      },
    });
    const file = join(tmp(), 'barelf.txt');
    const r = await runMain([server.url('pop3'), '--record', file, '-c', 'LIST', '-c', 'QUIT'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const warning = '# warning: the server ended this line with a bare LF, not CRLF (RFC 1939 §3); read as a line end\n';
    expect(r.stdout).toContain(`C: LIST\nS: +OK 2 messages\n${warning}S: 1 120\nS: 2 200\nS: .\n`);
    expect(r.stdout.split(warning)).toHaveLength(2);
    expect(readFileSync(file, 'utf8')).toContain(`S: +OK 2 messages\n${warning}S: 1 120\n`);
  });

  it('POP3: a body line "." (sent ".." on the wire) is shown as sent, never like the end; recorded and explained so', async () => {
    const server = await fake({
      greeting: '+OK ready',
      onLine: (line, conn) => {
        if (line === 'RETR 1') conn.write('+OK 30 octets\r\nSubject: dots\r\n\r\n..\r\n...more\r\nend\r\n.\r\n');
        else {
          conn.write('+OK bye\r\n');
          conn.socket.end();
        }
      },
    });
    const file = join(tmp(), 'dots.txt');
    const r = await runMain([server.url('pop3'), '--record', file, '--explain', '-c', 'RETR 1', '-c', 'QUIT'], {});
    expect(r.code).toBe(0);
    const shown = r.stdout.split('\n').filter((l) => l.startsWith('S: ') || l.startsWith('#   a message line'));
    expect(shown.slice(shown.indexOf('S: Subject: dots'))).toEqual([
      'S: Subject: dots',
      'S: ..',
      '#   a message line that starts with ".", sent with one more "." in front so that it is not taken for the end; the line itself: . (RFC 1939 §3)',
      'S: ...more',
      '#   a message line that starts with ".", sent with one more "." in front so that it is not taken for the end; the line itself: ..more (RFC 1939 §3)',
      'S: end',
      'S: .',
      'S: +OK bye',
    ]);
    expect(readFileSync(file, 'utf8')).toContain('S: Subject: dots\nS:\nS: ..\nS: ...more\nS: end\nS: .\n');
  });

  it('reports a close mid multi-line POP3 reply (exit 7)', async () => {
    const server = await fake({
      greeting: '+OK ready',
      onLine: (_line, conn) => {
        conn.write('+OK 2 messages\r\n1 120\r\n');
        setTimeout(() => conn.socket.destroy(), 20);
      },
    });
    const r = await runMain([server.url('pop3'), '-c', 'LIST'], {});
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/multi-line reply to LIST/);
    expect(r.stdout).toContain('S: 1 120');
  });

  it('times out when the greeting never comes (exit 4)', async () => {
    const server = await fake({ greeting: null });
    const r = await runMain([server.url('imap'), '--timeout', '0.3', '-c', 'NOOP'], {});
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mailwire: no greeting from imap:\/\/127\.0\.0\.1:\d+ within 0\.3 s \(--timeout\)\n$/);
  });

  it('says how many octets a literal lacks when the input ends inside it, sending nothing of it (exit 9)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: (line, conn) => conn.write(line.endsWith('}') ? '+ go\r\n' : `${tagOf(line)} OK done\r\n`) });
    // "ab" counts with its CRLF: 4 octets.
    const one = await runMain([server.url('imap')], { stdin: 'a1 APPEND x {5}\nab' });
    expect(one.code).toBe(9);
    expect(one.stderr).toBe('mailwire: input ended inside a literal (1 octet missing); command not sent\n');
    const two = await runMain([server.url('imap')], { stdin: 'a1 APPEND x {6}\nab' });
    expect(two.stderr).toBe('mailwire: input ended inside a literal (2 octets missing); command not sent\n');
    const none = await runMain([server.url('imap')], { stdin: 'a1 APPEND x {4}\nab' });
    expect(none.code).toBe(9);
    expect(none.stderr).toBe('mailwire: input ended after a literal, before the line that ends its command (an empty line for APPEND); command not sent\n');
    expect(server.received).toEqual([]);
  });

  it('times out when a reply stalls mid-line (exit 4)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: (_l, conn) => conn.write('* 1 EXISTS\r\nA001 O') });
    const r = await runMain([server.url('imap'), '--timeout', '0.3', '-c', 'NOOP'], {});
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('mailwire: the reply to "NOOP" did not complete within 0.3 s (--timeout)\n');
    expect(r.stdout).toContain('S: * 1 EXISTS');
  });

  it('says which lines were not sent when the server closes early (exit 7)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const r = await runMain([server.url('imap')], { stdin: 'LOGOUT\nNOOP\n' });
    expect(r.code).toBe(7);
    // Depending on whether the FIN arrives before NOOP goes out, NOOP is unsent or unanswered.
    expect(r.stderr).toMatch(/before "NOOP" could be sent|after BYE while waiting for A002 NOOP/);
  });

  it('stops at a first line of another protocol, saying which, instead of waiting for a greeting (exit 8)', async () => {
    const pop3 = await fake({ greeting: '+OK POP3 ready <1.2@x>', onLine: (_l, conn) => conn.write('-ERR what\r\n') });
    const atPop3 = await runMain([pop3.url('imap'), '-c', 'NOOP', '--timeout', '20'], {});
    expect(atPop3.code).toBe(8);
    expect(atPop3.stderr).toBe('mailwire: the server\'s first line is no IMAP greeting ("* OK", "* PREAUTH" or "* BYE", RFC 3501 §7.1); it reads as the greeting of a POP3 server (RFC 1939 §4): try pop3:// (or pop3s:// for implicit TLS)\n');
    expect(atPop3.stdout).toContain('S: +OK POP3 ready <1.2@x>');
    expect(pop3.received).toEqual([]);
    const imap = await fake({ greeting: '* OK [CAPABILITY IMAP4rev1] ready', onLine: imapOk });
    const atImap = await runMain([imap.url('pop3'), '-c', 'STAT', '--timeout', '20'], {});
    expect(atImap.code).toBe(8);
    expect(atImap.stderr).toMatch(/^mailwire: the server's first line is no POP3 greeting \("\+OK" or "-ERR", RFC 1939 §4\); it reads as the greeting of an IMAP server .*try imap:\/\/.*\n$/);
    expect(imap.received).toEqual([]);
  });

  it('stops at a greeting that refuses the session, IMAP BYE or POP3 -ERR, sending nothing (exit 3)', async () => {
    const imap = await fake({ greeting: '* BYE [UNAVAILABLE] too many connections', onLine: imapOk });
    const r = await runMain([imap.url('imap'), '-c', 'CAPABILITY', '--timeout', '20'], {});
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('mailwire: the server refused the session in its greeting: "* BYE [UNAVAILABLE] too many connections" (RFC 3501 §7.1.5)\n');
    expect(r.stdout).toContain('S: * BYE [UNAVAILABLE] too many connections\n');
    expect(imap.received).toEqual([]);
    const pop3 = await fake({ greeting: '-ERR [SYS/TEMP] too busy', onLine: (_l, conn) => conn.write('-ERR\r\n') });
    const p = await runMain([pop3.url('pop3'), '-c', 'LIST', '--timeout', '20'], {});
    expect(p.code).toBe(3);
    expect(p.stderr).toBe('mailwire: the server refused the session in its greeting: "-ERR [SYS/TEMP] too busy" (RFC 1939 §4)\n');
    expect(pop3.received).toEqual([]);
  });

  it('fails to connect to a closed port (exit 3)', async () => {
    const server = await fake({ greeting: null });
    const port = server.port;
    await server.close();
    servers = [];
    const r = await runMain([`imap://127.0.0.1:${port}`, '-c', 'NOOP'], {});
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^mailwire: .*refused.*\n$/);
  });
});

describe('replay and its time limit', () => {
  const transcript = (noops: number): string => {
    const path = join(tmp(), 'noops.txt');
    const lines = ['# protocol: imap', 'S: * OK $', 'C: a0 LOGIN joe <secret>', 'S: a0 OK $'];
    for (let i = 1; i <= noops; i++) lines.push(`C: a${i} NOOP`, `S: a${i} OK $`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };

  it('fails a step whose reply does not come within --timeout, naming the line', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: (line, conn) => (/ LOGIN /i.test(line) ? imapOk(line, conn) : undefined) });
    const r = await runMain(['replay', transcript(1), '--target', server.url('imap'), '--timeout', '0.3', '--no-color'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('line 6 was not received within 0.3 s');
  });

  it('counts the limit from the last data: each reply within it passes, however long the whole replay', async () => {
    // Eight NOOPs, each answered 0.3 s after it came: 2.4 s in all, more than twice the limit of 1 s.
    const server = await fake({ greeting: '* OK ready', onLine: (line, conn) => void setTimeout(() => imapOk(line, conn), / NOOP/i.test(line) ? 300 : 0) });
    const r = await runMain(['replay', transcript(8), '--target', server.url('imap'), '--timeout', '1', '--no-color'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });
});

describe('replay and a <secret> it cannot fill', () => {
  const file = (lines: string[]): string => {
    const path = join(tmp(), 'secret.txt');
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const ok = (line: string, conn: { write(t: string): void }): void => conn.write(`${tagOf(line)} ${/ AUTHENTICATE /i.test(line) ? 'NO unsupported' : 'OK done'}\r\n`);

  it('stops at the line, naming it, and sends no placeholder in place of a secret', async () => {
    const cases: Array<[string[], RegExp]> = [
      // A command that carries a secret replay knows nothing of.
      [['# protocol: imap', 'S: * OK ready', 'C: a1 XTOKEN <secret>', 'S: a1 OK done'], /^ {4}line 3: replay fills a <secret> only as LOGIN's or PASS's password, an APOP digest or within an AUTHENTICATE \/ AUTH exchange it runs, and sends no placeholder in place of a secret$/m],
      // LOGIN's password as the text after a literal user name: no line replay fills.
      [['# protocol: imap', 'S: * OK ready', 'C: a1 LOGIN {3}', 'S: + go', 'C: joe <secret>', 'S: a1 OK done'], /^ {4}line 5: replay fills a <secret> only as /m],
      // A SASL response pipelined into an exchange the server refused (as mailwire proxy records it).
      [['# protocol: imap', 'S: * OK ready', 'C: a1 AUTHENTICATE FOO', 'S: a1 NO unsupported', 'C: <secret>', 'S: <secret> BAD not a command'], /^ {4}line 5: <secret> stands for a SASL response the client sent after the AUTHENTICATE of line 3 with no "\+" to answer/m],
    ];
    for (const [lines, message] of cases) {
      const server = await fake({ greeting: '* OK ready', onLine: ok });
      const r = await runMain(['replay', file(lines), '--target', server.url('imap'), '--timeout', '5', '--no-color'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
      expect(r.stdout, lines.join('\n')).toMatch(/^ERROR /);
      expect(r.stdout).toMatch(message);
      expect(r.code).toBe(9);
      // Before, replay sent `a1 XTOKEN <secret>`, ` joe <secret>`, `A001 <secret>`: the placeholder as data.
      expect(server.received.filter((l) => l.includes('<secret>'))).toEqual([]);
    }
  });

  it('POP3: a SASL response pipelined after AUTH', async () => {
    const server = await fake({ greeting: '+OK ready', onLine: (line, conn) => conn.write(/^AUTH /i.test(line) ? '-ERR unsupported\r\n' : '-ERR Unknown command.\r\n') });
    const r = await runMain(['replay', file(['# protocol: pop3', 'S: +OK ready', 'C: AUTH FOO', 'S: -ERR unsupported', 'C: <secret>', 'S: -ERR Unknown command.']), '--target', server.url('pop3'), '--timeout', '5', '--no-color'], {});
    expect(r.stdout).toMatch(/^ {4}line 5: <secret> stands for a SASL response the client sent after the AUTH of line 3 with no "\+" to answer, and the server read it as a command: replay sends no secret as a command, and the recording holds none to send$/m);
    expect(r.code).toBe(9);
    expect(server.received).toEqual(['AUTH FOO']);
  });
});

describe('replay of a Gmail recording', () => {
  /**
   * Gmail names each connection in its greeting and in its CAPABILITY completion, after the client's
   * address (`* OK Gimap ready for requests from 192.0.2.1 l10mb12345678abc`): a new id every time.
   */
  async function gmail(): Promise<FakeServer> {
    const ids = new WeakMap<object, string>();
    let connections = 0;
    const id = (conn: { socket: object }): string => {
      let known = ids.get(conn.socket);
      if (known === undefined) ids.set(conn.socket, (known = `l${++connections}0mb${String(12345678 + connections * 7919)}abc`));
      return known;
    };
    return fake({
      greeting: (conn) => `* OK Gimap ready for requests from 192.0.2.1 ${id(conn)}`,
      onLine: (line, conn) => {
        const tag = tagOf(line);
        const command = (line.split(' ')[1] ?? '').toUpperCase();
        if (command === 'CAPABILITY') conn.write(`* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1\r\n${tag} OK Thats all she wrote! ${id(conn)}\r\n`);
        else if (command === 'LOGOUT') {
          conn.write(`* BYE LOGOUT Requested\r\n${tag} OK 73 good day (Success)\r\n`);
          conn.socket.end();
        }
      },
    });
  }

  it('passes against a new connection, whose id differs, without mailwire learn', async () => {
    const server = await gmail();
    const file = join(tmp(), 'gmail.txt');
    const rec = await runMain([server.url('imap'), '-c', 'CAPABILITY', '-c', 'LOGOUT', '--record', file], {});
    expect(rec.code, rec.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^S: \* OK Gimap ready for requests from \$\n[\s\S]*^S: A001 OK Thats all she wrote! \$$/m);
    const r = await runMain(['replay', file, '--target', server.url('imap'), '--no-color'], {});
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
    // A recording made before these values joined the table holds the ids themselves: read with today's table.
    const older = join(tmp(), 'gmail-older.txt');
    writeFileSync(older, ['# mailwire transcript v1', '# protocol: imap', '# recorded: 2026-01-05T10:00:00.000Z',
      'S: * OK Gimap ready for requests from 203.0.113.5 x9mb98765432zyx', 'C: A001 CAPABILITY',
      'S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1', 'S: A001 OK Thats all she wrote! x9mb98765432zyx',
      'C: A002 LOGOUT', 'S: * BYE LOGOUT Requested', 'S: A002 OK 73 good day (Success)', ''].join('\n'));
    const old = await runMain(['replay', older, '--target', server.url('imap'), '--no-color'], {});
    expect(old.stdout).toMatch(/^PASS /);
    expect(old.code).toBe(0);
  });
});

describe('STARTTLS', () => {
  it('drops bytes injected after the OK and before the handshake, then talks TLS', async () => {
    const server = await fake({
      greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready',
      onLine: (line, conn) => {
        if (/STARTTLS/i.test(line)) {
          // One write: the OK and an injected response a MITM appended in plaintext.
          conn.write(`${tagOf(line)} OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n`);
          conn.startTls();
        } else imapOk(line, conn);
      },
    });
    const r = await runMain([server.url('imap'), '--starttls', '--ca', testCerts().caFile, '--servername', 'localhost', '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/# warning: dropped \d+ octets .*STARTTLS OK/);
    expect(r.stdout).not.toMatch(/S: .*injected/);
    expect(r.stdout).toMatch(/# TLS: TLSv1\.[23] .*certificate verified/);
    expect(r.stdout).toMatch(/C: A002 NOOP\nS: A002 OK NOOP completed/);
  });

  it('a server that says OK to STARTTLS and goes on in plain text: the failed handshake says what came instead', async () => {
    const server = await fake({
      greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready',
      onLine: (line, conn) => {
        if (/STARTTLS/i.test(line)) {
          conn.write(`${tagOf(line)} OK Begin TLS\r\n`);
          setTimeout(() => conn.write('* OK still plain text, no TLS here\r\n'), 50);
          setTimeout(() => conn.socket.end(), 150);
        } else imapOk(line, conn);
      },
    });
    const r = await runMain([server.url('imap'), '--starttls', '-c', 'NOOP'], {});
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/after its OK the server sent \d+ octets of plain text, dropped, and no TLS: is it speaking TLS\?\)\n$/);
    expect(r.stdout).not.toContain('still plain text');
  });

  it('stops when STARTTLS is not offered, sending nothing but CAPABILITY (exit 6)', async () => {
    const server = await fake({
      greeting: '* OK ready',
      onLine: (line, conn) => conn.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tagOf(line)} OK done\r\n`),
    });
    const r = await runMain([server.url('imap'), '--starttls', '-c', 'LOGIN joe secret'], {});
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/does not offer STARTTLS.*nothing sent in plaintext/);
    expect(server.received).toEqual(['A001 CAPABILITY']);
  });

  it('stops when STLS is refused (exit 6)', async () => {
    const server = await fake({
      greeting: '+OK ready',
      onLine: (line, conn) =>
        conn.write(line === 'CAPA' ? '+OK\r\nUSER\r\nSTLS\r\n.\r\n' : '-ERR not now\r\n'),
    });
    const r = await runMain([server.url('pop3'), '--starttls', '-c', 'USER joe'], {});
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/refused STLS/);
    expect(server.received).toEqual(['CAPA', 'STLS']);
  });

  it('a script\'s own STARTTLS or STLS that the server refuses stops it, as --starttls does: no password in clear (exit 6)', async () => {
    const imap = await fake({ greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready', onLine: (line, conn) => conn.write(`${tagOf(line)} NO not now\r\n`) });
    for (const script of [['-c', 'STARTTLS', '-c', 'LOGIN joe'], ['-c', 'a1 STARTTLS', '-c', 'LOGIN joe']]) {
      imap.received.length = 0;
      const r = await runMain([imap.url('imap'), ...script], { vars: { MAILWIRE_PASSWORD: 'sekrit' } });
      expect(r.code).toBe(6);
      expect(r.stdout).toMatch(/# warning: STARTTLS refused: the connection stays plain TCP, and what is sent next goes in clear \(RFC 3501 §6\.2\.1\)/);
      expect(r.stderr).toMatch(/refused STARTTLS; the script stops here, and nothing more is sent in plaintext/);
      expect(imap.received).toHaveLength(1);
      expect(imap.received.join('\n')).not.toContain('sekrit');
    }
    const pop3 = await fake({ greeting: '+OK ready', onLine: (_line, conn) => conn.write('-ERR not now\r\n') });
    const r = await runMain([pop3.url('pop3'), '-c', 'STLS', '-c', 'USER joe', '-c', 'PASS'], { vars: { MAILWIRE_PASSWORD: 'sekrit' } });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/# warning: STLS refused: /);
    expect(pop3.received).toEqual(['STLS']);
  });
});

describe('the command line', () => {
  it.each([
    [['smtp://host'], /unknown scheme/],
    [['localhost'], /cannot tell the protocol/],
    [['imaps://host', '--starttls'], /--starttls cannot be used with implicit TLS/],
    [['imap://host', '--timeout', 'soon'], /timeout/],
    [['imap://host', '--bogus'], /unknown option/],
    [[], /missing required argument/],
  ])('%j is a usage error (exit 2, one line)', async (argv, message) => {
    const r = await runMain(argv as string[], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says so, and exits 9, when standard output cannot be written (a full disk)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const bin = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, server.url('imap'), '-c', 'NOOP', '-c', 'LOGOUT'], { stdio: ['ignore', full, 'pipe'], timeout: 20_000 });
      expect(r.status).toBe(9);
      expect(r.stderr.toString()).toBe('mailwire: cannot write to standard output: no space left on the device\n');
    } finally {
      closeSync(full);
    }
  });

  it('refuses a cipher list OpenSSL takes none of, and an ALPN name over 255 octets, before connecting (exit 2)', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const ciphers = await runMain([server.url('imap'), '--starttls', '--ciphers', 'NOPE', '-c', 'NOOP'], {});
    expect(ciphers.code).toBe(2);
    expect(ciphers.stderr).toBe('mailwire: --ciphers "NOPE": no cipher match (OpenSSL cipher names or TLS 1.3 suites, colon-separated) (see mailwire --help)\n');
    const alpn = await runMain([server.url('imap'), '--starttls', '--alpn', 'x'.repeat(300), '-c', 'NOOP'], {});
    expect(alpn.code).toBe(2);
    expect(alpn.stderr).toMatch(/^mailwire: --alpn: a protocol name has 1 to 255 octets \(RFC 7301 §3\.1\), not 300/);
    expect(server.received).toEqual([]);
  });

  it('notes that TLS options wait for TLS when the target starts in plain TCP', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const r = await runMain([server.url('imap'), '-k', '--servername', 'mail.example.org', '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`mailwire: note: -k, --servername apply only once TLS starts, and ${server.url('imap')} starts in plain TCP: add --starttls, type STARTTLS, or use imaps://\n`);
    const quiet = await runMain([server.url('imap'), '-c', 'NOOP'], {});
    expect(quiet.stderr).toBe('');
    // A script that starts TLS itself uses them then: no note (the fake refuses, so the script stops, exit 6).
    for (const line of ['STARTTLS', 'a1 starttls']) {
      const upgrading = await runMain([server.url('imap'), '--ca', '/nonexistent', '-c', line], {});
      expect(upgrading.stderr, line).not.toMatch(/note: --ca/);
    }
  });

  it('escapes what a usage error quotes of the command line (exit 2)', async () => {
    const r = await runMain(['imap://\x1b]0;owned\x07x:1', '-c', 'NOOP'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mailwire: "\\x1b]0;owned\\x07x" is no host name or address, in target "imap://\\x1b]0;owned\\x07x:1" (see mailwire --help)\n');
  });

  it('documents the exit codes in --help', async () => {
    const r = await runMain(['--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*6 +STARTTLS[\s\S]*7 +connection broken/);
  });

  it('runs as an installed binary: version, and errors without a stack trace', async () => {
    const version = await runBinary(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await runBinary(['imap://127.0.0.1:1', '-c', 'NOOP']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reads commands from a pipe when run as a binary', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: imapOk });
    const r = await runBinary([server.url('imap')], { stdin: 'NOOP\nLOGOUT\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('C: A002 LOGOUT');
    expect(r.stdout).not.toContain('\x1b');
  });
});
