/**
 * SASL exchanges mailwire runs inside the sans-io sessions: the RFC examples replayed through
 * ImapSession.authenticate / Pop3Session.authenticate, byte for byte, with what is shown beside each
 * base64 line; SASL-IR only when offered; POP3's 255-octet limit; cancelling with "*".
 */
import { describe, expect, it } from 'vitest';
import type { SessionAction } from '../../src/session/actions.js';
import type { SessionEvent } from '../../src/session/events.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { Pop3Session } from '../../src/session/pop3-session.js';
import { SaslExchange } from '../../src/session/sasl-exchange.js';
import { findSaslMechanism } from '../../src/protocol/sasl/registry.js';
import { scramMechanism } from '../../src/protocol/sasl/scram.js';
import type { SaslCredentials } from '../../src/protocol/sasl/mechanism.js';
import { readRfcTranscript } from '../support/rfc-transcript.js';

const now = () => 0;
const creds = (c: Partial<SaslCredentials>): SaslCredentials => ({ user: '', secret: '', authzid: '', ...c });
const exchange = (name: string, c: Partial<SaslCredentials>) => new SaslExchange(findSaslMechanism(name)!.create(creds(c)));

/** Everything the session sent and showed, as text. */
function collect(actions: SessionAction[]): { sent: string; shown: SessionEvent[]; fatal: string[] } {
  return {
    sent: actions.flatMap((a) => (a.type === 'send' ? [a.bytes.toString('utf8')] : [])).join(''),
    shown: actions.flatMap((a) => (a.type === 'show' ? [a.event] : [])),
    fatal: actions.flatMap((a) => (a.type === 'fatal' ? [`${a.error.code}: ${a.error.message}`] : [])),
  };
}

function greeted(greeting = '* OK IMAP4rev1 Server Ready'): ImapSession {
  const s = new ImapSession(now);
  s.receive(Buffer.from(`${greeting}\r\n`));
  return s;
}

describe('IMAP AUTHENTICATE run by mailwire', () => {
  it('RFC 2195 §2: CRAM-MD5 sends exactly the RFC\'s lines and shows the challenge decoded', () => {
    const rfc = readRfcTranscript('imap', 'rfc2195-2-authenticate-cram-md5.txt');
    const session = greeted(rfc.lines[0]?.text);
    const start = collect(session.authenticate(exchange('CRAM-MD5', { user: 'tim', secret: 'tanstaaftanstaaf' }), 'A0001').actions);
    const rest = collect(session.receive(Buffer.from(`${rfc.lines[2]?.text}\r\n${rfc.lines[4]?.text}\r\n`)));
    expect(start.sent + rest.sent).toBe(rfc.client.toString('utf8'));
    const shown = [...start.shown, ...rest.shown].map((e) => (e.kind === 'client-line' ? `C: ${e.text}` : e.kind === 'sasl' ? `# ${e.from} ${e.text}` : e.kind));
    expect(shown).toEqual([
      'C: A0001 AUTHENTICATE CRAM-MD5',
      'imap-segment',
      '# server <1896.697170952@postoffice.reston.mci.net>',
      'C: <secret>',
      '# client tim <secret>',
      'imap-segment',
    ]);
    expect(session.state).toBe('authenticated');
  });

  it('RFC 7628 §4.1: OAUTHBEARER goes on the command line when SASL-IR is offered, the line masked', () => {
    const rfc = readRfcTranscript('imap', 'rfc7628-4.1-authenticate-oauthbearer.txt');
    const session = greeted();
    session.receive(Buffer.from('* CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER SASL-IR\r\n'));
    const ex = exchange('OAUTHBEARER', { user: 'user@example.com', secret: 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', host: 'server.example.com', port: 143 });
    const { actions } = session.authenticate(ex, 't1');
    const out = collect(actions);
    expect(out.sent).toBe(`${rfc.lines.find((l) => l.text.startsWith('t1 AUTHENTICATE'))?.text}\r\n`);
    expect(out.shown[0]).toMatchObject({ kind: 'client-line', text: 't1 AUTHENTICATE OAUTHBEARER <secret>' });
    expect(out.shown[1]).toMatchObject({ kind: 'sasl', from: 'client', text: expect.stringContaining('auth=Bearer <secret>') });
  });

  it('RFC 7628 §4.3: answers the error challenge with AQ== and explains the refusal', () => {
    const session = greeted();
    session.receive(Buffer.from('* CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER SASL-IR\r\n'));
    session.authenticate(exchange('OAUTHBEARER', { user: 'user@example.com', secret: 't' }), 't1');
    const rfc = readRfcTranscript('imap', 'rfc7628-4.3-authenticate-oauthbearer-failure.txt');
    const challenge = rfc.lines.find((l) => l.text.startsWith('+ '))?.text;
    const answer = collect(session.receive(Buffer.from(`${challenge}\r\n`)));
    expect(answer.sent).toBe('AQ==\r\n');
    expect(answer.shown.filter((e) => e.kind === 'notice').map((e) => (e as { text: string }).text)).toEqual([
      'OAUTHBEARER: the server refused the token: invalid_token, scope needed: example_scope',
    ]);
    const no = collect(session.receive(Buffer.from('t1 NO SASL authentication failed\r\n')));
    expect(no.fatal).toEqual([]);
    expect(no.shown.some((e) => e.kind === 'notice' && /login failed/.test(e.text))).toBe(true);
  });

  it('without SASL-IR, waits for the empty challenge and sends the initial response then', () => {
    const session = greeted();
    session.receive(Buffer.from('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n'));
    const first = collect(session.authenticate(exchange('PLAIN', { user: 'joe', secret: 'pw' })).actions);
    expect(first.sent).toBe('A001 AUTHENTICATE PLAIN\r\n');
    const second = collect(session.receive(Buffer.from('+ \r\n')));
    expect(second.sent).toBe(`${Buffer.from('\0joe\0pw').toString('base64')}\r\n`);
    expect(second.shown.find((e) => e.kind === 'client-line')).toMatchObject({ text: '<secret>', part: 'response' });
  });

  it('cancels with "*" when the SCRAM server signature is forged, and fails once the server has answered', () => {
    const session = greeted();
    session.receive(Buffer.from('* CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-1 SASL-IR\r\n'));
    const rfc = readRfcTranscript('sasl', 'rfc5802-5-scram-sha-1.txt').lines.map((l) => l.text);
    const mechanism = scramMechanism('sha1', creds({ user: 'user', secret: 'pencil' }), { nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    const start = collect(session.authenticate(new SaslExchange(mechanism)).actions);
    expect(start.sent).toBe(`A001 AUTHENTICATE SCRAM-SHA-1 ${Buffer.from(rfc[0] as string).toString('base64')}\r\n`);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const final = collect(session.receive(Buffer.from(`+ ${b64(rfc[1] as string)}\r\n`)));
    expect(final.sent).toBe(`${b64(rfc[2] as string)}\r\n`);
    const forged = collect(session.receive(Buffer.from(`+ ${b64('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=')}\r\n`)));
    expect(forged.sent).toBe('*\r\n');
    expect(forged.fatal).toEqual([]);
    const bad = collect(session.receive(Buffer.from('A001 BAD AUTHENTICATE cancelled\r\n')));
    expect(bad.fatal).toEqual([expect.stringMatching(/^auth: SCRAM-SHA-1: the server signature does NOT match/)]);
    expect(session.state).toBe('not-authenticated');
  });

  it('cancels when a challenge is not base64', () => {
    const session = greeted();
    session.authenticate(exchange('CRAM-MD5', { user: 'u', secret: 's' }));
    const out = collect(session.receive(Buffer.from('+ not base64!\r\n')));
    expect(out.sent).toBe('*\r\n');
    expect(collect(session.receive(Buffer.from('A001 BAD cancelled\r\n'))).fatal).toEqual([expect.stringMatching(/not base64/)]);
  });
});

describe('an exchange in the shape a recording shows (replay)', () => {
  const opening = (name: string, c: Partial<SaslCredentials>, opens: boolean) => new SaslExchange(findSaslMechanism(name)!.create(creds(c)), opens);

  it('IMAP PLAIN without an initial response although SASL-IR is offered: the empty challenge first', () => {
    const session = greeted('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready');
    expect(collect(session.authenticate(opening('PLAIN', { user: 'joe', secret: 'pw' }, false)).actions).sent).toBe('A001 AUTHENTICATE PLAIN\r\n');
    const answer = collect(session.receive(Buffer.from('+ \r\n')));
    expect(answer.sent).toBe(`${Buffer.from('\0joe\0pw').toString('base64')}\r\n`);
    expect(answer.shown.find((e) => e.kind === 'client-line')).toMatchObject({ text: '<secret>', part: 'response' });
  });

  it('IMAP LOGIN with the user name sent ahead, as curl does: the one prompt left gets the password', () => {
    const session = greeted('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=LOGIN] ready');
    const start = collect(session.authenticate(opening('LOGIN', { user: 'joe', secret: 'pw' }, true)).actions);
    expect(start.sent).toBe('A001 AUTHENTICATE LOGIN am9l\r\n');
    expect(start.shown[0]).toMatchObject({ kind: 'client-line', text: 'A001 AUTHENTICATE LOGIN am9l' });
    const answer = collect(session.receive(Buffer.from('+ UGFzc3dvcmQ6\r\n')));
    expect(answer.sent).toBe(`${Buffer.from('pw').toString('base64')}\r\n`);
    expect(answer.shown.find((e) => e.kind === 'client-line')).toMatchObject({ text: '<secret>' });
  });

  it('CRAM-MD5 cannot open: the server speaks first whatever the recording says', () => {
    const session = greeted('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=CRAM-MD5] ready');
    expect(collect(session.authenticate(opening('CRAM-MD5', { user: 'joe', secret: 'pw' }, true)).actions).sent).toBe('A001 AUTHENTICATE CRAM-MD5\r\n');
  });

  it('POP3 PLAIN without an initial response (RFC 5034 §4): "AUTH PLAIN", then the answer to "+ "', () => {
    const session = new Pop3Session(now);
    session.receive(Buffer.from('+OK POP3 server ready\r\n'));
    expect(collect(session.authenticate(opening('PLAIN', { user: 'joe', secret: 'pw' }, false)).actions).sent).toBe('AUTH PLAIN\r\n');
    expect(collect(session.receive(Buffer.from('+ \r\n'))).sent).toBe(`${Buffer.from('\0joe\0pw').toString('base64')}\r\n`);
  });
});

describe('POP3 AUTH run by mailwire (RFC 5034)', () => {
  function greetedPop3(): Pop3Session {
    const s = new Pop3Session(now);
    s.receive(Buffer.from('+OK POP3 server ready\r\n'));
    return s;
  }

  it('RFC 5034 §6: PLAIN with its initial response on the line', () => {
    const rfc = readRfcTranscript('pop3', 'rfc5034-6-auth-plain-initial-response.txt');
    const session = greetedPop3();
    const out = collect(session.authenticate(exchange('PLAIN', { authzid: 'test', user: 'test', secret: 'test' })).actions);
    expect(out.sent).toBe(`${rfc.lines.find((l) => l.text.startsWith('AUTH'))?.text}\r\n`);
    expect(out.shown[0]).toMatchObject({ kind: 'client-line', text: 'AUTH PLAIN <secret>' });
    session.receive(Buffer.from('+OK Maildrop locked and ready\r\n'));
    expect(session.state).toBe('transaction');
  });

  it('keeps an initial response that would pass 255 octets for the server\'s empty challenge', () => {
    const session = greetedPop3();
    const token = 'x'.repeat(300);
    const first = collect(session.authenticate(exchange('XOAUTH2', { user: 'joe', secret: token })).actions);
    expect(first.sent).toBe('AUTH XOAUTH2\r\n');
    const second = collect(session.receive(Buffer.from('+ \r\n')));
    expect(second.sent).toBe(`${Buffer.from(`user=joe\x01auth=Bearer ${token}\x01\x01`).toString('base64')}\r\n`);
    expect(second.shown.find((e) => e.kind === 'client-line')).toMatchObject({ text: '<secret>' });
  });

  it('learns the mechanisms from CAPA\'s SASL line (RFC 5034 §3)', () => {
    const session = greetedPop3();
    session.submit('CAPA');
    session.receive(Buffer.from('+OK\r\nSASL PLAIN scram-sha-1\r\nSTLS\r\n.\r\n'));
    expect(session.saslMechanisms).toEqual(['PLAIN', 'SCRAM-SHA-1']);
  });
});

describe('an exchange the user cancels with "*"', () => {
  const notices = (actions: SessionAction[]) => collect(actions).shown.flatMap((e) => (e.kind === 'notice' ? [e.text] : []));

  it('IMAP (RFC 3501 §6.2.2): a NO after "*" is a cancelled login, not a wrong password', () => {
    const session = greeted();
    session.submit({ segments: [Buffer.from('AUTHENTICATE GSSAPI')], literals: [] });
    session.receive(Buffer.from('+ \r\n'));
    expect(session.awaitingContinuationResponse).toBe(true);
    expect(collect(session.respond('*')).sent).toBe('*\r\n');
    const said = notices(session.receive(Buffer.from('A001 NO Client canceled authentication\r\n')));
    expect(said).toEqual(['login cancelled: you answered "*", and the server ended the exchange (RFC 3501 §6.2.2)']);
    expect(session.state).toBe('not-authenticated');
  });

  it('IMAP: a NO after a real answer is still a failed login', () => {
    const session = greeted();
    session.submit({ segments: [Buffer.from('AUTHENTICATE GSSAPI')], literals: [] });
    session.receive(Buffer.from('+ \r\n'));
    session.respond('YIIB+wYJKoZIhvcSAQICAQBuggHqMIIB5qADAgEFoQMCAQ6iBw==');
    expect(notices(session.receive(Buffer.from('A001 NO authentication failed\r\n')))).toEqual([
      expect.stringMatching(/^login failed: wrong user name or password/),
    ]);
  });

  it('POP3 (RFC 5034 §4): an -ERR after "*" is a cancelled login', () => {
    const session = new Pop3Session(now);
    session.receive(Buffer.from('+OK POP3 server ready\r\n'));
    session.submit('AUTH GSSAPI');
    session.receive(Buffer.from('+ \r\n'));
    session.respond('*');
    const said = notices(session.receive(Buffer.from('-ERR [AUTH] Authentication cancelled\r\n')));
    expect(said).toEqual(['login cancelled: you answered "*", and the server ended the exchange (RFC 5034 §4)']);
  });
});
