/** What other servers say first (foreign-greetings.ts), and what a server says before its greeting (preliminary-greetings.ts). */
import { describe, expect, it } from 'vitest';
import { foreignGreeting, foreignGreetingHint } from '../../src/protocol/foreign-greetings.js';
import { isPreliminaryGreeting, PRELIMINARY_GREETINGS } from '../../src/protocol/preliminary-greetings.js';

describe('foreign greetings', () => {
  it('names the protocol a first line belongs to, never the session\'s own', () => {
    expect(foreignGreeting('+OK Dovecot (Debian) ready. <1.2@x>', 'imap')?.scheme).toBe('pop3');
    expect(foreignGreeting('-ERR [SYS/TEMP] busy', 'imap')?.scheme).toBe('pop3');
    expect(foreignGreeting('* OK [CAPABILITY IMAP4rev1] Dovecot ready.', 'pop3')?.scheme).toBe('imap');
    expect(foreignGreeting('* PREAUTH hi', 'pop3')?.scheme).toBe('imap');
    expect(foreignGreeting('220 mx.example.org ESMTP Postfix', 'imap')?.server).toBe('an SMTP (or FTP) server');
    expect(foreignGreeting('220-welcome', 'pop3')?.server).toBe('an SMTP (or FTP) server');
    expect(foreignGreeting('200 news.example.org InterNetNews NNRP server ready', 'imap')?.server).toBe('an NNTP server');
    expect(foreignGreeting('SSH-2.0-OpenSSH_9.2p1 Debian-2', 'pop3')?.server).toBe('an SSH server');
    // A session's own greeting, and lines that look like nothing known.
    expect(foreignGreeting('+OK ready', 'pop3')).toBeNull();
    expect(foreignGreeting('* OK ready', 'imap')).toBeNull();
    for (const line of ['+OKAY', '2200 x', 'hello', '', '* 3 EXISTS']) expect(foreignGreeting(line, 'imap'), line).toBeNull();
  });

  it('says what to try, where mailwire speaks the other protocol', () => {
    expect(foreignGreetingHint('+OK POP3 ready', 'imap')).toBe('; it reads as the greeting of a POP3 server (RFC 1939 §4): try pop3:// (or pop3s:// for implicit TLS)');
    expect(foreignGreetingHint('* OK ready', 'pop3')).toBe('; it reads as the greeting of an IMAP server (RFC 3501 §7.1): try imap:// (or imaps:// for implicit TLS)');
    expect(foreignGreetingHint('220 mx ESMTP', 'pop3')).toBe('; it reads as the greeting of an SMTP (or FTP) server (RFC 5321 §4.2)');
    expect(foreignGreetingHint('what', 'pop3')).toBe('');
  });
});

describe('lines before the real greeting (preliminary-greetings.ts)', () => {
  it('knows Dovecot\'s two, in the protocol\'s own status, whatever the case and the dots', () => {
    expect(isPreliminaryGreeting('* OK Waiting for authentication process to respond..', 'imap')).toBe(true);
    expect(isPreliminaryGreeting('+OK Waiting for authentication master process to respond..', 'pop3')).toBe(true);
    expect(isPreliminaryGreeting('* ok waiting for authentication process to respond.', 'imap')).toBe(true);
    // The other protocol's status, another text, the real greeting: no.
    expect(isPreliminaryGreeting('+OK Waiting for authentication process to respond..', 'imap')).toBe(false);
    expect(isPreliminaryGreeting('* OK Waiting for authentication process to respond..', 'pop3')).toBe(false);
    expect(isPreliminaryGreeting('* OK Waiting for Godot', 'imap')).toBe(false);
    expect(isPreliminaryGreeting('+OK Dovecot ready. <1.2@x>', 'pop3')).toBe(false);
    for (const g of PRELIMINARY_GREETINGS) expect(g.source, g.text).toMatch(/source|RFC|https:/);
  });
});
