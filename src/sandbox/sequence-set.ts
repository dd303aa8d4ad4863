/**
 * Sequence sets (RFC 3501 §9 sequence-set): `1`, `2:4`, `1,3:*`. "*" is the largest number in use,
 * and a range means the same whichever end comes first, so a UID range `559:*` always includes the
 * last message even when 559 is above every UID (RFC 3501 §6.4.8). Pure.
 */

/** One range, inclusive; `null` stands for "*". */
export interface SequenceRange {
  from: number | null;
  to: number | null;
}

export type SequenceSet = SequenceRange[];

const NUMBER = /^[1-9]\d*$/;

function seqNumber(text: string): number | null | undefined {
  if (text === '*') return null;
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  // RFC 3501 §9: nz-number is a 32-bit unsigned number.
  return n <= 0xffffffff ? n : undefined;
}

/** Parses a sequence set; null when it is not one. */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text === '') return null;
  const ranges: SequenceSet = [];
  for (const item of text.split(',')) {
    const [a, b, extra] = item.split(':');
    if (extra !== undefined || a === undefined) return null;
    const from = seqNumber(a);
    if (from === undefined) return null;
    const to = b === undefined ? from : seqNumber(b);
    if (to === undefined) return null;
    ranges.push({ from, to });
  }
  return ranges;
}

/** Whether n is in the set, "*" being `largest` (0 when there is nothing: then "*" matches nothing). */
export function inSequenceSet(set: SequenceSet, n: number, largest: number): boolean {
  for (const { from, to } of set) {
    const a = from ?? largest;
    const b = to ?? largest;
    if (a === 0 || b === 0) continue;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/**
 * The largest number a set names outside "*", for checking message sequence numbers against the
 * mailbox size (RFC 3501 §9: a number above the number of messages is invalid).
 */
export function largestExplicit(set: SequenceSet): number {
  let max = 0;
  for (const { from, to } of set) max = Math.max(max, from ?? 0, to ?? 0);
  return max;
}

/** Compresses ascending numbers into set syntax: [1,2,3,5] -> "1:3,5" (for COPYUID, RFC 4315 §3). */
export function formatSequenceSet(numbers: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    const start = numbers[i] as number;
    let end = start;
    while (numbers[i + 1] === end + 1) {
      end++;
      i++;
    }
    out.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return out.join(',');
}
