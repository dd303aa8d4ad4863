import { describe, expect, it } from 'vitest';
import { englishNotice } from '../../src/protocol/explain/notices.js';
import { describeFileLiteral, fileLiteralError, splitFileLiterals, typedPath } from '../../src/session/file-literals.js';
import { ImapInputAssembler } from '../../src/session/imap-input.js';

describe('{file:PATH} literals', () => {
  it('finds the markers outside quoted strings', () => {
    expect(splitFileLiterals('APPEND INBOX {file:./msg.eml}')).toEqual({ texts: ['APPEND INBOX ', ''], paths: ['./msg.eml'] });
    expect(splitFileLiterals('APPEND a (\\Seen) {file:1.eml} (\\Draft) {file:~/2.eml}')).toEqual({
      texts: ['APPEND a (\\Seen) ', ' (\\Draft) ', ''],
      paths: ['1.eml', '~/2.eml'],
    });
    expect(splitFileLiterals('SEARCH TEXT "{file:x}"')).toBeNull();
    expect(splitFileLiterals('APPEND INBOX {310}')).toBeNull();
  });

  it('become synchronizing literals of the file\'s size in the assembled command (RFC 3501 §4.3)', () => {
    const a = new ImapInputAssembler();
    const plan = a.pushWithLiterals([Buffer.from('APPEND a '), Buffer.from(' '), Buffer.from('')], [Buffer.from('one\r\n'), Buffer.from('two!\r\n')]);
    expect(plan?.segments.map(String)).toEqual(['APPEND a {5}', ' {6}', '']);
    expect(plan?.literals.map((l) => [l.marker, l.data.toString()])).toEqual([
      [{ size: 5, binary: false, nonSynchronizing: false }, 'one\r\n'],
      [{ size: 6, binary: false, nonSynchronizing: false }, 'two!\r\n'],
    ]);
  });

  it('may be followed by a typed literal: the command waits for its octets', () => {
    const a = new ImapInputAssembler();
    expect(a.pushWithLiterals([Buffer.from('APPEND a '), Buffer.from(' {3}')], [Buffer.from('x')])).toBeNull();
    expect(a.readingLiteral).toBe(true);
    expect(a.literalSize).toBe(3);
    // "y" and its CRLF are the 3 octets; the line after them ends the command, as the RFCs lay it out.
    expect(a.push(Buffer.from('y'))).toBeNull();
    const plan = a.push(Buffer.from(''));
    expect(plan?.segments.map(String)).toEqual(['APPEND a {1}', ' {3}', '']);
    expect(plan?.literals.map((l) => l.data.toString())).toEqual(['x', 'y\r\n']);
  });

  it('warn about bare LF line endings (RFC 5322 §2.3), not about CRLF', () => {
    const crlf = describeFileLiteral('m.eml', Buffer.from('a\r\nb\r\n'));
    expect(englishNotice(crlf.info)).toBe('{file:m.eml}: 6 octets, sent as a literal');
    expect(crlf.warning).toBeNull();
    expect(englishNotice(describeFileLiteral('m.eml', Buffer.from('a\nb')).warning ?? { key: 'notice.cut-line' })).toMatch(/bare LF/);
  });
});

describe('typedPath and fileLiteralError', () => {
  it('reads ~ as the home folder and a relative path from the working folder, as the shell and -c alike', () => {
    const where = { homedir: '/home/kim', cwd: '/work/class' };
    expect(typedPath('~', where)).toBe('/home/kim');
    expect(typedPath('~/msg.eml', where)).toBe('/home/kim/msg.eml');
    expect(typedPath('~kim/msg.eml', where)).toBe('/work/class/~kim/msg.eml');
    expect(typedPath('mail/msg.eml', where)).toBe('/work/class/mail/msg.eml');
    expect(typedPath('/tmp/msg.eml', where)).toBe('/tmp/msg.eml');
    const error = fileLiteralError('x.eml', Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
    expect(error.code).toBe('file');
    expect(error.message).toBe('cannot read {file:x.eml}: no such file or folder; nothing sent');
  });
});
