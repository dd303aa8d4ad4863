import { describe, expect, it } from 'vitest';
import { IMAP_COMMANDS } from '../../src/protocol/imap/commands.js';
import { Words } from '../../src/protocol/explain/words.js';
import { isKnownImapCommand, looksLikeTag, nearestImapCommand, unknownImapCommand, unknownImapCommandRemark } from '../../src/protocol/imap/command-words.js';

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

  it('names an unknown command and the known one near it; the shell words the remark in its language', () => {
    const en = new Words('en');
    const ru = new Words('ru');
    const remark = (command: string, capabilities: string[] = [], words = en) => {
      const unknown = unknownImapCommand(command, capabilities);
      return unknown === null ? null : unknownImapCommandRemark(unknown, (key, values) => words.text(key, values));
    };
    expect(remark('SELCT')).toBe('unknown command SELCT: did you mean SELECT?');
    expect(remark('FETC')).toBe('unknown command FETC: did you mean FETCH?');
    expect(remark('UID FECTH')).toBe('unknown command UID FECTH: did you mean UID FETCH?');
    expect(remark('BLURDYBLOOP')).toBe('unknown command BLURDYBLOOP: sent as typed');
    for (const known of ['SELECT', 'MYRIGHTS', 'UID FETCH', 'XAPPLEPUSHSERVICE', 'XLIST', '']) expect(remark(known), known).toBeNull();
    expect(remark('SCAN')).toBe('unknown command SCAN: sent as typed');
    expect(remark('SCAN', ['IMAP4rev1', 'SCAN'])).toBeNull();
    expect(remark('UID FECTH', [], ru)).toBe('неизвестная команда UID FECTH: может быть, UID FETCH?');
    expect(remark('BLURDYBLOOP', [], ru)).toBe('неизвестная команда BLURDYBLOOP: отправлена как есть');
  });
});
