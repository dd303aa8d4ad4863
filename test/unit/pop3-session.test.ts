import { describe, expect, it } from 'vitest';
import { apopDigest } from '../../src/protocol/pop3/apop.js';
import { Pop3Session } from '../../src/session/pop3-session.js';
import { playPop3, steppingClock, transcriptLines } from '../support/playbook.js';
import { readRfcTranscript, rfcTranscriptFiles, type TranscriptLine } from '../support/rfc-transcript.js';

const clock = steppingClock;
const lines = transcriptLines;

/** Examples that join separate sessions with the RFC's "..." elision: the second part's state warning is right. */
const EXPECTED_WARNINGS: Record<string, RegExp> = {
  'rfc1734-2-auth-kerberos-v4.txt': /^AUTH is not valid in the TRANSACTION state|^login failed: the server does not support FOOBAR/,
  // The example's PASS fails on purpose: explaining it is right.
  'rfc1939-7-pass.txt': /^login failed: the mailbox is locked|^PASS sent the password in clear over plain TCP/,
};

const GREETING: TranscriptLine = { direction: 'S', text: '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>' };

describe('Pop3Session against the RFC examples', () => {
  it.each(rfcTranscriptFiles('pop3'))('%s: sends the client lines and completes every command', (file) => {
    const t = readRfcTranscript('pop3', file);
    const session = new Pop3Session(clock());
    const hasGreeting = t.lines[0]?.direction === 'S' && /^\+OK|^-ERR/.test(t.lines[0].text);
    const result = playPop3(session, hasGreeting ? t.lines : [GREETING, ...t.lines]);
    expect(result.sent.toString('utf8')).toBe(t.client.toString('utf8'));
    expect(session.pendingCount).toBe(0);
    // Examples that start mid-session send TRANSACTION commands right after our stand-in greeting:
    // warning about the state is then right; any other warning is not.
    const unexpected = result.warnings.filter(
      (w) => !(EXPECTED_WARNINGS[file]?.test(w) ?? false) && (hasGreeting || !/not valid in the AUTHORIZATION state/.test(w)),
    );
    expect(unexpected).toEqual([]);
  });

  it('walks AUTHORIZATION -> TRANSACTION -> UPDATE through RFC 1939 §10 and reads the APOP timestamp', () => {
    const session = new Pop3Session(clock());
    const t = readRfcTranscript('pop3', 'rfc1939-sec10-apop-session.txt');
    const states: string[] = [];
    for (const line of t.lines) {
      playPop3(session, [line]);
      states.push(session.state);
    }
    expect(session.apopTimestamp).toBe('<1896.697170952@dbc.mtview.ca.us>');
    expect(states[0]).toBe('authorization');
    expect(states).toContain('transaction');
    expect(session.state).toBe('update');
    expect(apopDigest(session.apopTimestamp as string, 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
  });

  it('shows multi-line bodies unstuffed, and ends them at the "." line', () => {
    const session = new Pop3Session(clock());
    const r = playPop3(session, lines(`
      S: +OK ready
      C: RETR 1
      S: +OK 20 octets
      S: ..leading dot
      S: plain
      S: .
      C: NOOP
      S: +OK
    `));
    const body = r.events.flatMap((e) => (e.kind === 'pop3-body-line' ? [[e.bytes.toString(), e.stuffed]] : []));
    expect(body).toEqual([['.leading dot', true], ['plain', false]]);
    expect(r.events.filter((e) => e.kind === 'pop3-end')).toHaveLength(1);
    expect(r.actions.filter((a) => a.type === 'completed')).toHaveLength(2);
  });

  it('learns capabilities from CAPA and masks PASS and AUTH responses', () => {
    const session = new Pop3Session(clock());
    const r = playPop3(session, lines(`
      S: +OK ready
      C: CAPA
      S: +OK Capability list follows
      S: USER
      S: STLS
      S: SASL PLAIN
      S: .
      C: USER joe
      S: +OK
      C: PASS hunter2 with spaces
      S: -ERR [AUTH] no
      C: AUTH PLAIN
      S: +
      C: AGpvZQBodW50ZXIy
      S: +OK logged in
    `));
    expect([...session.capabilities]).toEqual(['USER', 'STLS', 'SASL']);
    const shown = r.events.flatMap((e) => (e.kind === 'client-line' ? [e.text] : []));
    expect(shown).toEqual(['CAPA', 'USER joe', 'PASS <secret>', 'AUTH PLAIN', '<secret>']);
    expect(r.sent.toString()).toContain('PASS hunter2 with spaces\r\n');
    expect(session.state).toBe('transaction');
  });

  it('drops bytes after the STLS +OK in the same read (RFC 2595 §4 injection)', () => {
    const session = new Pop3Session(clock());
    playPop3(session, lines('S: +OK ready'));
    session.submit('STLS');
    const actions = session.receive(Buffer.from('+OK Begin TLS\r\n+OK injected\r\n'));
    expect(actions.map((a) => a.type)).toContain('start-tls');
    const statuses = actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'pop3-status' ? [a.event.bytes.toString()] : []));
    expect(statuses).toEqual(['+OK Begin TLS']);
    expect(actions.some((a) => a.type === 'show' && a.event.kind === 'notice' && /dropped 14 octets/.test(a.event.text))).toBe(true);
  });

  it('forgets CAPA after STLS and says so until the next CAPA (RFC 2595 §4)', () => {
    const session = new Pop3Session(clock());
    playPop3(session, lines('S: +OK ready'));
    session.submit('CAPA');
    session.receive(Buffer.from('+OK\r\nSTLS\r\nUSER\r\n.\r\n'));
    expect([session.capabilitiesVoidedBy, session.capabilities.has('STLS')]).toEqual([null, true]);
    session.submit('STLS');
    session.receive(Buffer.from('+OK Begin TLS\r\n'));
    session.tlsEstablished();
    expect([session.capabilitiesVoidedBy, session.capabilities.size]).toEqual(['STLS', 0]);
    session.submit('CAPA');
    session.receive(Buffer.from('+OK\r\nUSER\r\n.\r\n'));
    expect([session.capabilitiesVoidedBy, [...session.capabilities]]).toEqual([null, ['USER']]);
  });

  it('takes lines 64 KiB at a time, and all of a read after the STLS +OK', () => {
    const session = new Pop3Session(clock());
    playPop3(session, lines('S: +OK ready'));
    expect(session.receiveLength(1_000_000)).toBe(64 * 1024);
    expect(session.receiveLength(100)).toBe(100);
    session.submit('STLS');
    session.receive(Buffer.from('+OK Begin TLS\r\n'));
    expect(session.receiveLength(1_000_000)).toBe(1_000_000);
  });

  it('reports a close in the middle of a multi-line reply, and accepts a close after QUIT', () => {
    const a = new Pop3Session(clock());
    playPop3(a, lines(`
      S: +OK ready
      C: RETR 1
      S: +OK
      S: partial
    `));
    expect(a.connectionClosed()?.message).toMatch(/middle of the multi-line reply to RETR/);
    const b = new Pop3Session(clock());
    playPop3(b, lines(`
      S: +OK ready
      C: QUIT
      S: +OK bye
    `));
    expect(b.connectionClosed()).toBeNull();
  });

  it('does not count AUTH without arguments (a mechanism list) as a login', () => {
    const session = new Pop3Session(clock());
    playPop3(session, lines(`
      S: +OK ready
      C: AUTH
      S: +OK
      S: PLAIN
      S: .
    `));
    expect(session.state).toBe('authorization');
  });
});

describe('Pop3Session greeting', () => {
  it("waits past Dovecot's 'Waiting for authentication process' line for the real greeting", () => {
    const session = new Pop3Session(clock());
    const r = playPop3(session, lines(`
      S: +OK Waiting for authentication process to respond..
    `));
    expect(session.state).toBe('greeting');
    playPop3(session, lines('S: +OK Dovecot ready. <1.2@host>'));
    expect(session.state).toBe('authorization');
    expect(session.apopTimestamp).toBe('<1.2@host>');
    expect(r.warnings).toEqual([]);
  });

  it("waits past Dovecot's line for a login handed over by a proxy ('authentication master process')", () => {
    const session = new Pop3Session(clock());
    playPop3(session, lines('S: +OK Waiting for authentication master process to respond..'));
    expect(session.state).toBe('greeting');
    playPop3(session, lines('S: +OK Dovecot ready. <3.4@host>'));
    expect(session.apopTimestamp).toBe('<3.4@host>');
  });
});
