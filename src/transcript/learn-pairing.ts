/**
 * Which responses of one step, in two runs of a session, are the same response (learn.ts). A server
 * may send one more untagged response in one run than in the other (`* 3 EXISTS` from mail that came
 * in, an `* OK [...]` of its own), and replay lets it (match.ts: IMAP untagged responses in any order,
 * extra ones allowed), so learn must not read every response after it as a difference: a response
 * one run has and the other lacks is one difference, and the others still pair up.
 *
 * Responses pair in three passes, each taking, for a response of the first run, the earliest response
 * of the second not yet taken that has the same key: the same text (as replay reads it); then the same
 * head (`* 2 FETCH`, `* OK [UIDNEXT`, `A1 OK`, a POP3 body line's first word), so that two runs that
 * differ in a value still pair; then the same kind and response name (`* EXISTS`), so that a count the
 * runs disagree on is shown as that, not as one response missing and another extra; last, the same
 * kind alone (`* 1 EXPUNGE` where the other run has `* 1 EXISTS`: one response changed). Each pass is one
 * walk over each run with a map: a step of 10^5 responses costs what reading it costs. Pure.
 */
import type { Protocol } from '../session/events.js';
import type { ExpectedResponse } from './script.js';

/** A response of one run: as the script frames it, and its lines as replay reads them. */
export interface RunResponse {
  response: ExpectedResponse;
  texts: readonly string[];
}

/** How the responses of a step in two runs pair up. */
export interface Pairing {
  /** Per response of the first run, the index of its partner in the second run, or -1. */
  partners: number[];
  /** Indexes of the second run's responses that have no partner, in order. */
  unpaired: number[];
}

/**
 * Pairs the responses of one step of two runs (see the top of this file). `ordered`: the responses
 * must come in the transcript's order (POP3, whose lines replay matches in order; IMAP under
 * `# match: ordered`): pairs that cross are undone, so that two runs replay would tell apart are not
 * read as agreeing.
 */
export function pairResponses(first: readonly RunResponse[], second: readonly RunResponse[], protocol: Protocol, ordered = protocol === 'pop3'): Pairing {
  const partners = first.map(() => -1);
  const taken = second.map(() => false);
  const passes: Array<(r: RunResponse) => string> = [
    (r) => r.texts.join('\n'),
    (r) => headKey(r, protocol, true),
    (r) => headKey(r, protocol, false),
    () => '',
  ];
  for (const key of passes) {
    const queues = new Map<string, { next: number; indexes: number[] }>();
    second.forEach((r, j) => {
      if (taken[j]) return;
      const k = `${r.response.expectation} ${r.response.kind} ${key(r)}`;
      const queue = queues.get(k);
      if (queue) queue.indexes.push(j);
      else queues.set(k, { next: 0, indexes: [j] });
    });
    if (queues.size === 0) break;
    first.forEach((r, i) => {
      if (partners[i] !== -1) return;
      const queue = queues.get(`${r.response.expectation} ${r.response.kind} ${key(r)}`);
      if (queue === undefined || queue.next >= queue.indexes.length) return;
      const j = queue.indexes[queue.next++] as number;
      partners[i] = j;
      taken[j] = true;
    });
  }
  if (ordered) keepInOrder(partners, taken);
  const unpaired: number[] = [];
  taken.forEach((t, j) => {
    if (!t) unpaired.push(j);
  });
  return { partners, unpaired };
}

/** Up to `count` space-separated words from the start of `text`, without scanning past them. */
function firstWords(text: string, count: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (words.length < count && i <= text.length) {
    const space = text.indexOf(' ', i);
    const end = space < 0 ? text.length : space;
    if (end > i) words.push(text.slice(i, end));
    if (space < 0) break;
    i = space + 1;
  }
  return words;
}

/**
 * The words that name a response rather than carry its values. `withNumber` keeps the number of an
 * untagged response (`* 2 FETCH`) and the name of a response code (`[UIDNEXT`); without it, only the
 * kind's name is left (`* FETCH`, `* OK`; nothing for a completion, a "+" or a POP3 line, whose kind
 * says it).
 */
function headKey(r: RunResponse, protocol: Protocol, withNumber: boolean): string {
  const text = r.texts[0] ?? '';
  const kind = r.response.kind;
  if (protocol === 'pop3' || kind === 'tagged' || kind === 'continuation') {
    if (!withNumber) return '';
    // A completion: its tag, status and code; a POP3 line: its first word (+OK, a message number).
    const [word = '', status = '', code = ''] = firstWords(text, kind === 'tagged' ? 3 : 1);
    return kind === 'tagged' ? `${word} ${status.toUpperCase()}${code.startsWith('[') ? ` ${codeName(code)}` : ''}` : word.toUpperCase();
  }
  const [, second = '', third = ''] = firstWords(text, 3);
  if (/^\d+$/.test(second)) return withNumber ? `${second} ${third.toUpperCase()}` : third.toUpperCase();
  const name = second.toUpperCase();
  return withNumber && third.startsWith('[') ? `${name} ${codeName(third)}` : name;
}

/** `[UIDNEXT` of `[UIDNEXT`, `[READ-WRITE]` or `[PERMANENTFLAGS`: the code's name, upper-cased. */
function codeName(word: string): string {
  const close = word.indexOf(']');
  return (close < 0 ? word : word.slice(0, close)).toUpperCase();
}

/**
 * Keeps the most pairs whose partners rise with the first run's order (a longest increasing
 * subsequence, in n log n); the others are undone on both sides.
 */
function keepInOrder(partners: number[], taken: boolean[]): void {
  // tails[k]: the index in `partners` of the least partner ending a rising run of k + 1 pairs.
  const tails: number[] = [];
  const previous = partners.map(() => -1);
  partners.forEach((j, i) => {
    if (j < 0) return;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((partners[tails[mid] as number] as number) < j) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? (tails[lo - 1] as number) : -1;
    tails[lo] = i;
  });
  const kept = new Set<number>();
  for (let i = tails.length > 0 ? (tails[tails.length - 1] as number) : -1; i >= 0; i = previous[i] as number) kept.add(i);
  partners.forEach((j, i) => {
    if (j < 0 || kept.has(i)) return;
    partners[i] = -1;
    taken[j] = false;
  });
}
