import { describe, expect, it } from 'vitest';
import { IMAP_COMMANDS } from '../../src/protocol/imap/commands.js';
import { Words } from '../../src/protocol/explain/words.js';
import { isKnownImapCommand, looksLikeTag, nearestImapCommand, unknownImapCommandRemark } from '../../src/protocol/imap/command-words.js';

describe('the first word of an IMAP line', () => {
  it('is shaped like a tag when it holds a digit or a dot, which no registry command does', () => {
    for (const w of ['a1', 'A001', 'X1', 'x.y', '7']) expect(looksLikeTag(w), w).toBe(true);
    for (const w of ['abc', 'SELCT', 'XAPPLEPUSHSERVICE']) expect(looksLikeTag(w), w).toBe(false);
    for (const c of IMAP_COMMANDS) expect(looksLikeTag(c.name), c.name).toBe(false);
  });

  it('is a known command from the table or from CAPABILITY, not a generic X<atom>', () => {
    expect(isKnownImapCommand('myrights')).toBe(true);
    expect(isKnownImapCommand('XFOO')).toBe(false);
    expect(isKnownImapCommand('XFOO', ['XFOO'])).toBe(true);
    expect(isKnownImapCommand('SCAN', ['IMAP4rev1', 'SCAN'])).toBe(true);
    expect(isKnownImapCommand('AUTH=PLAIN', ['AUTH=PLAIN'])).toBe(false);
  });
});

describe('unknown commands', () => {
  it('suggests the command a typo meant', () => {
    expect(nearestImapCommand('SELCT')).toBe('SELECT');
    expect(nearestImapCommand('fetc')).toBe('FETCH');
    expect(nearestImapCommand('EXMAINE')).toBe('EXAMINE');
    expect(nearestImapCommand('LOGOTU')).toBe('LOGOUT');
    expect(nearestImapCommand('BLURDYBLOOP')).toBeNull();
    expect(nearestImapCommand('AB')).toBeNull();
  });

  it('words the remark the shell shows', () => {
    expect(unknownImapCommandRemark('SELCT')).toBe('unknown command SELCT: did you mean SELECT?');
    expect(unknownImapCommandRemark('FETC')).toBe('unknown command FETC: did you mean FETCH?');
    expect(unknownImapCommandRemark('UID FECTH')).toBe('unknown command UID FECTH: did you mean UID FETCH?');
    expect(unknownImapCommandRemark('BLURDYBLOOP')).toBe('unknown command BLURDYBLOOP: sent as typed');
    for (const known of ['SELECT', 'MYRIGHTS', 'UID FETCH', 'XAPPLEPUSHSERVICE', 'XLIST', '']) expect(unknownImapCommandRemark(known), known).toBeNull();
    expect(unknownImapCommandRemark('SCAN')).toBe('unknown command SCAN: sent as typed');
    expect(unknownImapCommandRemark('SCAN', ['IMAP4rev1', 'SCAN'])).toBeNull();
    expect(unknownImapCommandRemark('UID FECTH', [], new Words('ru'))).toBe('неизвестная команда UID FECTH: может быть, UID FETCH?');
    expect(unknownImapCommandRemark('BLURDYBLOOP', [], new Words('ru'))).toBe('неизвестная команда BLURDYBLOOP: отправлена как есть');
  });
});
