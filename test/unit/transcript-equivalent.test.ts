/**
 * Client commands that mean the same though written differently (serve compares a client's lines
 * with another client's transcript).
 */
import { describe, expect, it } from 'vitest';
import { literalAsQuoted, sameImapCommand, samePop3Command, secretShape, secretValueFits, wholeCommandText } from '../../src/transcript/equivalent.js';

describe('sameImapCommand', () => {
  it('ignores the case of command names, keywords and INBOX, and quoting of an astring', () => {
    expect(sameImapCommand('select inbox', 'SELECT INBOX')).toBe(true);
    expect(sameImapCommand('select inbox', 'SELECT "INBOX"')).toBe(true);
    expect(sameImapCommand('fetch 12 full', 'FETCH 12 FULL')).toBe(true);
    expect(sameImapCommand('fetch 12 body[header]', 'FETCH 12 BODY[HEADER]')).toBe(true);
    expect(sameImapCommand('LOGIN joe secret', 'LOGIN "joe" "secret"')).toBe(true);
    expect(sameImapCommand('STORE 1 +FLAGS (\\Seen)', 'store 1 +flags (\\seen)')).toBe(true);
  });

  it('keeps what differs: a quoted mailbox name\'s case, numbers, arguments, sections', () => {
    expect(sameImapCommand('SELECT "Sent"', 'SELECT "sent"')).toBe(false);
    expect(sameImapCommand('FETCH 12 FULL', 'FETCH 13 FULL')).toBe(false);
    expect(sameImapCommand('SELECT INBOX', 'EXAMINE INBOX')).toBe(false);
    expect(sameImapCommand('FETCH 1 BODY[HEADER]', 'FETCH 1 BODY[TEXT]')).toBe(false);
    expect(sameImapCommand('FETCH 1 BODY[]<0.10>', 'FETCH 1 BODY[]<0.20>')).toBe(false);
    expect(sameImapCommand('NOOP', 'NOOP extra')).toBe(false);
    expect(sameImapCommand('SEARCH "unterminated', 'SEARCH "unterminated')).toBe(false);
  });
});

describe('samePop3Command', () => {
  it('ignores the case of the keyword, not of the arguments', () => {
    expect(samePop3Command('retr 1', 'RETR 1')).toBe(true);
    expect(samePop3Command('USER mrose', 'user mrose')).toBe(true);
    expect(samePop3Command('USER mrose', 'USER MROSE')).toBe(false);
  });
});

describe('what a `<secret>` stands for', () => {
  it('by its place: an IMAP argument, a SASL response, the rest of a POP3 PASS line', () => {
    expect(secretShape('imap', 'LOGIN', 'command')).toBe('astring');
    expect(secretShape('imap', 'AUTHENTICATE', 'command')).toBe('sasl');
    expect(secretShape('imap', 'AUTHENTICATE', 'response')).toBe('sasl');
    expect(secretShape('pop3', 'AUTH', 'command')).toBe('sasl');
    expect(secretShape('pop3', 'AUTH', 'response')).toBe('sasl');
    expect(secretShape('pop3', 'PASS', 'command')).toBe('rest');
  });

  it('a SASL response is one base64 token: not "=", "*", a quoted string, or more than one word', () => {
    for (const ok of ['AGpvZQBodW50ZXIy', 'abc', 'dGVzdA==', 'a+b/c=']) expect(secretValueFits('sasl', ok), ok).toEqual({ ok: true });
    expect(secretValueFits('sasl', 'abc EXTRA')).toEqual({ ok: false, end: 3 });
    expect(secretValueFits('sasl', '*')).toEqual({ ok: false, end: 0, cancel: true });
    for (const no of ['=', '"abc"', '', 'a=b']) expect(secretValueFits('sasl', no).ok, no).toBe(false);
  });

  it('an astring is an atom or one quoted string and nothing after it', () => {
    for (const ok of ['hunter2', '"pass word"', '"a\\"b"']) expect(secretValueFits('astring', ok), ok).toEqual({ ok: true });
    expect(secretValueFits('astring', 'joe password')).toEqual({ ok: false, end: 3 });
    expect(secretValueFits('astring', '"pass"word')).toEqual({ ok: false, end: 6 });
  });

  it('in sameImapCommand and samePop3Command, the same shapes', () => {
    expect(sameImapCommand('AUTHENTICATE PLAIN <secret>', 'authenticate plain dGVzdA==', { secret: 'sasl' })).toBe(true);
    expect(sameImapCommand('AUTHENTICATE PLAIN <secret>', 'AUTHENTICATE PLAIN "dGVzdA=="', { secret: 'sasl' })).toBe(false);
    expect(sameImapCommand('LOGIN joe <secret>', 'login "joe" "dGVzdA=="', { secret: 'astring' })).toBe(true);
    expect(samePop3Command('AUTH PLAIN <secret>', 'auth PLAIN dGVzdA==', { secret: 'sasl' })).toBe(true);
    expect(samePop3Command('AUTH PLAIN <secret>', 'auth PLAIN dGVzdA== EXTRA', { secret: 'sasl' })).toBe(false);
    expect(samePop3Command('AUTH PLAIN <secret>', 'AUTH PLAIN *', { secret: 'sasl' })).toBe(false);
    expect(samePop3Command('PASS <secret>', 'pass pass word', { secret: 'rest' })).toBe(true);
    expect(samePop3Command('PASS <secret>', 'pass pass word')).toBe(false);
  });
});

describe('a command read whole: each literal as the quoted string it carries (RFC 3501 §4.3)', () => {
  it('is the line it could have been sent as, and then the same command as one sent so', () => {
    const whole = wholeCommandText(['A001 LOGIN {11}', ' {7+}', ''], [Buffer.from('FRED FOOBAR'), Buffer.from('fat "man"')]);
    expect(whole).toBe('A001 LOGIN "FRED FOOBAR" "fat \\"man\\""');
    expect(sameImapCommand(whole.slice(5), 'login "FRED FOOBAR" "fat \\"man\\""')).toBe(true);
    expect(sameImapCommand(wholeCommandText(['SELECT {5}', ''], [Buffer.from('inbox')]), 'SELECT INBOX')).toBe(true);
    // A literal the transcript does not hold (a `<secret>` line) is `<secret>`.
    expect(wholeCommandText(['a1 LOGIN joe {8}', ''], [null])).toBe('a1 LOGIN joe <secret>');
  });

  it('shows a literal\'s line ends and control characters escaped, as every client line', () => {
    expect(literalAsQuoted(Buffer.from('a\r\nb\x1b'))).toBe('"a\\x0d\\x0ab\\x1b"');
  });
});
