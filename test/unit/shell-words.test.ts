/**
 * What a newcomer types and what the server sends that deserve a word: habit words caught before they
 * reach the server, a tagged reply without a status word, a command of an extension the server did
 * not announce, a password sent in clear, a refused APOP digest. Sessions played as transcripts.
 */
import { describe, expect, it } from 'vitest';
import { apopDigest } from '../../src/protocol/pop3/apop.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { Pop3Session } from '../../src/session/pop3-session.js';
import { strayWordAdvice } from '../../src/shell/stray-words.js';
import { playImap, playPop3, steppingClock, transcriptLines } from '../support/playbook.js';

describe('words typed out of habit', () => {
  it.each([
    ['imap', 'help', /^not sent: "help" is no IMAP command \(the server would refuse it\); \.help lists the commands, \.help NAME tells of one$/],
    ['imap', 'quit', /"quit" is no IMAP command .*; LOGOUT ends the session \(Ctrl-D or \.quit sends it for you\)$/],
    ['imap', 'QUIT', /"QUIT" is no IMAP command .*; LOGOUT ends the session/],
    ['imap', ' exit ', /"exit" is no IMAP command .*; LOGOUT ends the session/],
    ['imap', 'clear', /"clear" is no IMAP command .*; Ctrl-L clears the screen$/],
    ['pop3', 'exit', /"exit" is no POP3 command .*; QUIT ends the session/],
    ['pop3', 'Help', /"Help" is no POP3 command .*; \.help lists the commands/],
  ] as const)('%s: %j is caught', (protocol, line, advice) => {
    expect(strayWordAdvice(protocol, line)).toMatch(advice);
  });

  it.each([
    ['pop3', 'QUIT'],
    ['pop3', 'quit'],
    ['imap', 'a1 QUIT'],
    ['imap', 'help me'],
    ['imap', 'LOGOUT'],
    ['imap', 'toString'],
    ['imap', 'constructor'],
  ] as const)('%s: %j goes to the server', (protocol, line) => {
    expect(strayWordAdvice(protocol, line)).toBeNull();
  });
});

describe('what the IMAP session remarks on', () => {
  it('a tagged reply with no status word (the lecture\'s "A142 LIST Completed"): warned, taken as a failure', () => {
    const session = new ImapSession(steppingClock());
    const r = playImap(session, transcriptLines(`
      S: * PREAUTH [CAPABILITY IMAP4rev1] ready
      C: A142 LIST "" *
      S: * LIST () "/" INBOX
      S: A142 LIST Completed
    `));
    expect(r.warnings).toEqual([
      'a tagged reply needs OK, NO or BAD right after the tag (RFC 3501 §7.1, §9 response-tagged); "A142 LIST" has none: taken as a failure',
    ]);
    expect(r.actions).toContainEqual({ type: 'completed', id: expect.any(Number), ok: false });
    expect(session.pendingCount).toBe(0);
  });

  it('GETQUOTAROOT when the server did not announce QUOTA: warned, sent anyway; not once capabilities are unknown or QUOTA is there', () => {
    const without = playImap(new ImapSession(steppingClock()), transcriptLines(`
      S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready
      C: A001 GETQUOTAROOT INBOX
      C: A002 IDLE
    `));
    expect(without.warnings).toEqual([
      'GETQUOTAROOT needs the QUOTA capability (RFC 9208 §4.1.2), which this server did not announce; sent anyway',
    ]);
    expect(without.sent.toString()).toContain('A001 GETQUOTAROOT INBOX\r\n');
    const unknown = playImap(new ImapSession(steppingClock()), transcriptLines(`
      S: * PREAUTH ready
      C: A001 GETQUOTAROOT INBOX
    `));
    expect(unknown.warnings).toEqual([]);
    const announced = playImap(new ImapSession(steppingClock()), transcriptLines(`
      S: * PREAUTH [CAPABILITY IMAP4rev1 QUOTA] ready
      C: A001 GETQUOTAROOT INBOX
    `));
    expect(announced.warnings).toEqual([]);
  });

  it('LOGIN over plain TCP: the password went in clear; not after STARTTLS, nor where the runner says it stays on this machine', () => {
    const plain = playImap(new ImapSession(steppingClock()), transcriptLines(`
      S: * OK [CAPABILITY IMAP4rev1] ready
      C: A001 LOGIN joe secret
    `));
    expect(plain.warnings).toEqual(['LOGIN sent the password in clear over plain TCP: anyone on the network path can read it (--starttls or imaps:// would protect it)']);
    const tls = new ImapSession(steppingClock());
    tls.tlsEstablished();
    expect(playImap(tls, transcriptLines('S: * OK ready\nC: A001 LOGIN joe secret')).warnings).toEqual([]);
    const loopback = new ImapSession(steppingClock());
    loopback.passwordsInClear = false;
    expect(playImap(loopback, transcriptLines('S: * OK ready\nC: A001 LOGIN joe secret')).warnings).toEqual([]);
  });
});

describe('what the POP3 session remarks on', () => {
  it('PASS over plain TCP: the password went in clear', () => {
    const r = playPop3(new Pop3Session(steppingClock()), transcriptLines(`
      S: +OK ready
      C: USER mrose
      S: +OK
      C: PASS tanstaaf
      S: +OK maildrop ready
    `));
    expect(r.warnings).toEqual(['PASS sent the password in clear over plain TCP: anyone on the network path can read it (--starttls or pop3s:// would protect it)']);
  });

  it('a refused APOP digest: the warning names the greeting\'s timestamp the digest was made from', () => {
    const stamp = '<1896.697170952@dbc.mtview.ca.us>';
    const r = playPop3(new Pop3Session(steppingClock()), transcriptLines(`
      S: +OK POP3 server ready ${stamp}
      C: APOP mrose ${apopDigest(stamp, 'wrong')}
      S: -ERR [AUTH] permission denied
    `));
    expect(r.warnings).toEqual([
      `login failed: wrong user name or password, or the login itself is refused (RFC 3206 [AUTH]); the APOP digest was computed from the greeting's timestamp ${stamp} and the secret given, so either the secret is wrong or the server keeps no APOP secret for this user`,
    ]);
  });
});
