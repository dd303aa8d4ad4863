/**
 * The sandbox's POP3 server session, sans-io, against RFC 1939's own examples: mrose's maildrop
 * holds two messages of 120 and 200 octets, as in RFC 1939 §10, and with the RFC's timestamp in
 * the greeting the RFC's APOP digest logs in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_MESSAGES_DIR } from '../../src/sandbox/sandbox-files.js';
import { converse, imapLoggedIn, pop3Connection, sandboxWorld, splitLines } from '../support/sandbox-harness.js';
import { readRfcTranscript } from '../support/rfc-transcript.js';

/** The lines of a shipped example message, as RETR sends them. */
function messageLines(file: string): string[] {
  return readFileSync(join(SANDBOX_MESSAGES_DIR, 'mrose', 'INBOX', file), 'utf8').split('\n').slice(0, -1);
}

function mroseIn(world = sandboxWorld()) {
  const c = pop3Connection(world);
  expect(c.send('APOP mrose c4c9334bac560ecc979e58001b3e22fb')).toEqual(["+OK mrose's maildrop has 2 messages (320 octets)"]);
  return c;
}

describe('RFC 1939 §10, the example session', () => {
  it('replays as printed, digest included, given the RFC\'s timestamp; only the elided messages and the server\'s name differ', () => {
    const rfc = readRfcTranscript('pop3', 'rfc1939-sec10-apop-session.txt');
    const c = pop3Connection(sandboxWorld(), { timestamp: '<1896.697170952@dbc.mtview.ca.us>' });
    const expected = rfc.lines.filter((l) => l.direction === 'S').map((l) => l.text);
    const actual = [c.greetingLine];
    for (const line of rfc.lines.filter((l) => l.direction === 'C')) actual.push(...c.send(line.text));
    const stand = (n: string) => `<the POP3 server sends message ${n}>`;
    const printed = expected.flatMap((l) => (l === stand('1') ? messageLines('1-your-maildrop.eml') : l === stand('2') ? messageLines('2-apop.eml') : [l]));
    expect(actual).toEqual(printed.map((l) => l.replace('+OK dewey POP3 server signing off', '+OK mailwire sandbox POP3 server signing off')));
    expect(c.closed).toBe(true);
  });

  it('QUIT applied the deletions: the next session finds the maildrop empty, and IMAP sees the same INBOX', () => {
    const world = sandboxWorld();
    const c = mroseIn(world);
    c.send('DELE 1', 'DELE 2', 'QUIT');
    converse(pop3Connection(world), `
C: USER mrose
S: +OK mrose is a real hoopy frood
C: PASS tanstaaf
S: +OK mrose's maildrop has 0 messages (0 octets)
C: STAT
S: +OK 0 0
`);
    expect(imapLoggedIn(world, 'mrose').send('a STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 0)', 'a OK STATUS completed']);
  });
});

describe('RFC 1939 §5 and §7 commands', () => {
  it('STAT, LIST, NOOP, RSET and DELE as the RFC shows them', () => {
    converse(mroseIn(), `
C: STAT
S: +OK 2 320
C: LIST
S: +OK 2 messages (320 octets)
S: 1 120
S: 2 200
S: .
C: LIST 2
S: +OK 2 200
C: LIST 3
S: -ERR no such message, only 2 messages in maildrop
C: NOOP
S: +OK
C: DELE 1
S: +OK message 1 deleted
C: DELE 1
S: -ERR message 1 already deleted
C: LIST
S: +OK 1 messages (200 octets)
S: 2 200
S: .
C: RETR 1
S: -ERR message 1 already deleted
C: RSET
S: +OK maildrop has 2 messages (320 octets)
C: LIST x
S: -ERR Invalid message number
`);
  });

  it('TOP msg n: the header, the empty line and n body lines; UIDL: unique ids that stay the same', () => {
    const world = sandboxWorld();
    const c = mroseIn(world);
    converse(c, `
C: TOP 2 1
S: +OK
S: Date: Mon, 13 May 1996 09:00:00 -0700
S: From: dewey@dbc.mtview.ca.us
S: To: mrose@dbc.mtview.ca.us
S: Subject: APOP
S:
S: Only an MD5 digest of the greeting's timestamp
S: .
C: TOP 100 3
S: -ERR no such message, only 2 messages in maildrop
C: TOP 1
S: -ERR TOP takes a message number and a line count
`);
    const uidl = c.send('UIDL');
    expect(uidl).toHaveLength(4);
    expect(uidl[1]).toMatch(/^1 [\x21-\x7e]{1,70}$/);
    c.send('QUIT');
    expect(mroseIn(world).send('UIDL 2')).toEqual([`+OK 2 ${(uidl[2] as string).slice(2)}`]);
  });

  it('RFC 1939 §3: a body line starting with "." is dot-stuffed', () => {
    const world = sandboxWorld();
    const imap = imapLoggedIn(world, 'mrc');
    imap.sendRaw('a APPEND INBOX {27+}\r\nSubject: dots\r\n\r\n.\r\n..two\r\n\r\n');
    converse(pop3Connection(world), `
C: USER mrc
S: +OK mrc is a real hoopy frood
C: PASS secret
S: +OK mrc's maildrop has 1 message (27 octets)
C: RETR 1
S: +OK 27 octets
S: Subject: dots
S:
S: ..
S: ...two
S: .
`);
  });

  it('RFC 1939 §7 USER and PASS: an unknown user, a wrong password (USER again), then the right one', () => {
    converse(pop3Connection(sandboxWorld()), `
C: USER frated
S: -ERR sorry, no mailbox for frated here
C: PASS secret
S: -ERR No user name given (send USER first)
C: USER mrose
S: +OK mrose is a real hoopy frood
C: PASS wrong
S: -ERR [AUTH] Authentication failed.
C: PASS tanstaaf
S: -ERR No user name given (send USER first)
C: USER mrose
S: +OK mrose is a real hoopy frood
C: PASS tanstaaf
S: +OK mrose's maildrop has 2 messages (320 octets)
C: USER mrose
S: -ERR USER is only valid before login
`);
  });

  it('RFC 1939 §8, RFC 2449 §8.1.1: one session per maildrop; the second gets -ERR [IN-USE]; the lock goes with the session', () => {
    const world = sandboxWorld();
    const first = mroseIn(world);
    const second = pop3Connection(world);
    expect(second.send('USER mrose', 'PASS tanstaaf')).toEqual(['+OK mrose is a real hoopy frood', '-ERR [IN-USE] maildrop already locked']);
    // A session that ends without QUIT changes nothing (RFC 1939 §6), and lets the maildrop go.
    first.send('DELE 1');
    first.pop3.connectionClosed();
    expect(second.send('APOP mrose c4c9334bac560ecc979e58001b3e22fb')).toEqual(["+OK mrose's maildrop has 2 messages (320 octets)"]);
  });

  it('a command in the wrong state, an unknown command, and several pipelined commands in one packet (RFC 2449 PIPELINING)', () => {
    const c = pop3Connection(sandboxWorld());
    converse(c, `
C: STAT
S: -ERR Unknown command in AUTHORIZATION state (log in first)
C: XYZZY
S: -ERR Unknown command: XYZZY
`);
    expect(splitLines(c.sendRaw('USER joe\r\nPASS password\r\nSTAT\r\nQUIT\r\n'))).toEqual([
      '+OK joe is a real hoopy frood',
      "+OK joe's maildrop has 5 messages (6794 octets)",
      '+OK 5 6794',
      '+OK mailwire sandbox POP3 server signing off (5 messages left)',
    ]);
    expect(c.closed).toBe(true);
  });
});

describe('CAPA, STLS and AUTH (RFC 2449, RFC 2595, RFC 5034)', () => {
  it('CAPA lists what is offered now: STLS before TLS, USER and SASL only while logging in is possible', () => {
    converse(pop3Connection(sandboxWorld()), `
C: CAPA
S: +OK Capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: USER
S: SASL PLAIN
S: STLS
S: EXPIRE NEVER
S: IMPLEMENTATION mailwire-sandbox
S: .
`);
    converse(mroseIn(), `
C: CAPA
S: +OK Capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: EXPIRE NEVER
S: IMPLEMENTATION mailwire-sandbox
S: .
`);
  });

  it('RFC 2595 §4: STLS, dropping what the client sent after it in plaintext; then no USER/PASS refusal under --require-tls', () => {
    const c = pop3Connection(sandboxWorld(), { requireTls: true });
    converse(c, `
C: USER mrose
S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
`);
    expect(c.sendRaw('STLS\r\nUSER mrose\r\n')).toBe('+OK Begin TLS negotiation\r\n');
    expect(c.tlsStarts).toBe(1);
    c.pop3.tlsStarted();
    converse(c, `
C: STLS
S: -ERR Command not permitted when TLS active
C: USER mrose
S: +OK mrose is a real hoopy frood
`);
  });

  it('RFC 5034: AUTH lists the mechanisms; AUTH PLAIN with an initial response, after an empty challenge, or cancelled', () => {
    converse(pop3Connection(sandboxWorld()), `
C: AUTH
S: +OK
S: PLAIN
S: .
C: AUTH FOOBAR
S: -ERR Unrecognized authentication type
C: AUTH PLAIN
S: + 
C: *
S: -ERR AUTH cancelled
C: AUTH PLAIN
S: + 
C: ${Buffer.from('\0mrose\0wrong').toString('base64')}
S: -ERR [AUTH] Authentication failed.
C: AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=
S: +OK Maildrop locked and ready
`);
  });
});
