/**
 * Client commands that mean the same though written differently (serve compares a client's lines
 * with another client's transcript).
 */
import { describe, expect, it } from 'vitest';
import { sameImapCommand, samePop3Command } from '../../src/transcript/equivalent.js';

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
