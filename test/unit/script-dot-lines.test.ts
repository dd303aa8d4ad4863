/** A script's lines that start with ".": read as the shell reads them (runner.ts, scriptDotLine). */
import { describe, expect, it } from 'vitest';
import { MailwireError } from '../../src/errors.js';
import { scriptDotLine } from '../../src/session/runner.js';

const read = (text: string) => scriptDotLine(Buffer.from(text, 'utf8'));

describe('scriptDotLine', () => {
  it('passes a line that does not start with "." as it is', () => {
    for (const text of ['NOOP', 'a1 LOGIN joe x', '  NOOP', 'a.1 NOOP', 'STAT']) {
      const { raw, line } = read(text);
      expect(raw).toBeNull();
      expect(line.toString('utf8')).toBe(text);
    }
  });

  it('sends the octets of .raw, escapes read, nothing added, case as the shell takes it', () => {
    expect(read('.raw a1 NOOP\\r\\n').raw).toEqual(Buffer.from('a1 NOOP\r\n'));
    expect(read('  .RAW PASS x\\x21').raw).toEqual(Buffer.from('PASS x!'));
    // Only the one blank after the word is its separator: the others are sent.
    expect(read('.raw   two blanks first').raw).toEqual(Buffer.from('  two blanks first'));
    expect(read('.raw Привет\\0').raw).toEqual(Buffer.concat([Buffer.from('Привет', 'utf8'), Buffer.from([0])]));
  });

  it('makes ".." one "."', () => {
    expect(read('..1 NOOP').line.toString('latin1')).toBe('.1 NOOP');
    expect(read(' ..raw x').line.toString('latin1')).toBe(' .raw x');
    expect(read('..1 NOOP').raw).toBeNull();
  });

  it('refuses the other dot-commands, and .raw with nothing to send', () => {
    for (const text of ['.state', '.quit', '.rawx a1 NOOP', '.', '.record out.txt']) {
      expect(() => read(text), text).toThrow(MailwireError);
    }
    expect(() => read('.state')).toThrow(/^\.state is a command of the shell/);
    expect(() => read('.raw')).toThrow(/\.raw needs the text to send/);
    expect(() => read('.raw ')).toThrow(/\.raw needs the text to send/);
    expect(() => read('.raw a1 NOOP\\q')).toThrow(/unknown escape/);
  });
});
