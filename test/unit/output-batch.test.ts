import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputBatch } from '../../src/cli/output-batch.js';

describe('OutputBatch', () => {
  it('gives the UTF-8 octets of the pieces joined, whatever the pieces (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 40 }), (pieces) => {
        const batch = new OutputBatch();
        for (const p of pieces) batch.append(p);
        const joined = pieces.join('');
        const octets = batch.take();
        if (joined === '') expect(octets).toBeNull();
        else expect(octets).toEqual(Buffer.from(joined, 'utf8'));
        expect(batch.empty).toBe(true);
      }),
    );
  });

  it('grows past its first buffer and keeps what it held', () => {
    const batch = new OutputBatch();
    const line = `S: * 1 FETCH (ENVELOPE ("Привет" NIL))\n`;
    let expected = '';
    for (let i = 0; i < 20_000; i++) {
      batch.append(line);
      expected += line;
    }
    expect(batch.take()?.toString('utf8')).toBe(expected);
  });

  it('never writes again into octets it handed out', () => {
    const batch = new OutputBatch();
    batch.append('first\n');
    const first = batch.take() as Buffer;
    batch.append('second\n');
    expect(first.toString()).toBe('first\n');
    expect(batch.take()?.toString()).toBe('second\n');
  });
});
