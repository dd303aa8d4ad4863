/**
 * Which IMAP responses can have a decoded view, told without parsing them. A session asks this of
 * every response; the parsers of decoded-views.ts (values, ENVELOPE, BODYSTRUCTURE, MIME words,
 * modified UTF-7) are loaded only for a response that may really show a view. Pure.
 */

/** The decoded views there are (decoded-views.ts). */
export type DecodedViewKind = 'mailbox' | 'envelope' | 'bodystructure';

/** Response heads that may carry a mailbox name to decode, and where their values start. */
export const MAILBOX_HEAD = /^\* (LIST|LSUB|STATUS) /i;

/** A response head is looked for in this many first octets. */
export const HEAD_OCTETS = 32;

/**
 * `* n FETCH ` (RFC 3501 §7.4.2, "FETCH" in any case) within the first HEAD_OCTETS of `first`:
 * where the FETCH data starts, or -1. Read from the octets, with no text made of them: a FETCH of
 * 10,000 messages asks this 10,000 times.
 */
export function fetchDataStart(first: Buffer): number {
  if (first[0] !== 0x2a || first[1] !== 0x20) return -1;
  let i = 2;
  while (i < HEAD_OCTETS && (first[i] as number) >= 0x30 && (first[i] as number) <= 0x39) i++;
  const f = i + 1;
  if (i === 2 || first[i] !== 0x20 || f + 6 > HEAD_OCTETS) return -1;
  const isFetch =
    ((first[f] as number) | 0x20) === 0x66 &&
    ((first[f + 1] as number) | 0x20) === 0x65 &&
    ((first[f + 2] as number) | 0x20) === 0x74 &&
    ((first[f + 3] as number) | 0x20) === 0x63 &&
    ((first[f + 4] as number) | 0x20) === 0x68 &&
    first[f + 5] === 0x20;
  return isFetch ? f + 6 : -1;
}

/** The message number of a `* n FETCH` head whose data starts at `dataStart`. */
export function fetchNumber(first: Buffer, dataStart: number): number {
  const end = dataStart - 7;
  // Past 15 digits a number is no longer exact: read as Number reads its text.
  if (end - 2 > 15) return Number(first.toString('latin1', 2, end));
  let n = 0;
  for (let i = 2; i < end; i++) n = n * 10 + ((first[i] as number) - 0x30);
  return n;
}

/**
 * Whether a response with this first segment can have a decoded view (LIST, LSUB, STATUS, FETCH):
 * lets a session skip keeping the parts of every other response.
 */
export function mayHaveDecodedView(firstSegment: Buffer): boolean {
  return fetchDataStart(firstSegment) >= 0 || MAILBOX_HEAD.test(firstSegment.subarray(0, HEAD_OCTETS).toString('latin1'));
}

/**
 * RFC 3501 §7.4.2: the FETCH items that have views are ENVELOPE, BODYSTRUCTURE and BODY without a
 * section. Item names are atoms, so they stand in the segments, never inside a literal; a match in a
 * quoted string only costs a parse.
 */
const FETCH_VIEW_ITEM = /ENVELOPE|BODY(?!\[)/i;

/** "&" starts a modified UTF-7 shift in a mailbox name (RFC 3501 §5.1.3); without one there is no view. */
const SHIFT = 0x26;

/**
 * False when decodedViews() surely finds no view in this response (`segments` and `literals` as it
 * takes them): a FETCH without ENVELOPE, BODYSTRUCTURE or BODY items (FLAGS, BODY[]), a LIST, LSUB
 * or STATUS without "&". True may still find none: decodedViews() then says.
 */
export function mayHaveDecodedViews(segments: readonly Buffer[], literals: readonly (Buffer | null)[], wanted: ReadonlySet<DecodedViewKind>): boolean {
  const first = segments[0];
  if (!first || wanted.size === 0) return false;
  if (fetchDataStart(first) >= 0) return (wanted.has('envelope') || wanted.has('bodystructure')) && segments.some((s) => FETCH_VIEW_ITEM.test(s.toString('latin1')));
  if (!MAILBOX_HEAD.test(first.subarray(0, HEAD_OCTETS).toString('latin1'))) return false;
  return wanted.has('mailbox') && [...segments, ...literals].some((b) => b !== null && b.includes(SHIFT));
}
