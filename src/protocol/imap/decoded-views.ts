/**
 * Decoded views of IMAP responses, shown beside the raw lines (never instead of them): mailbox names
 * in modified UTF-7 (RFC 3501 §5.1.3) in LIST, LSUB and STATUS; MIME encoded-words (RFC 2047) in
 * ENVELOPE subjects and addresses; BODYSTRUCTURE (and BODY) as a tree of sections. Pure: a whole
 * response in, lines of text out.
 */
import { englishNotice, noticeText, type NoticeText } from '../explain/notices.js';
import { appendBodyStructureLines } from './bodystructure.js';
import { envelopeDecodedLines, parseEnvelope } from './envelope.js';
import { decodeModifiedUtf7, hasModifiedUtf7Shift } from './mutf7.js';
import { parseFetchPlainItems, type PlainValue } from './plain-values.js';
import { ImapSyntaxError, parseImapValues, valueText, type ImapValue } from './values.js';
import { fetchDataStart, fetchNumber, HEAD_OCTETS, MAILBOX_HEAD, type DecodedViewKind } from './decoded-view-heads.js';

export type { DecodedViewKind } from './decoded-view-heads.js';

export interface DecodedView {
  view: DecodedViewKind;
  /** Lines of text (unescaped: they hold server data, the renderer escapes them). */
  lines: string[];
  /** The first line as data (notices-en.ts), when it is mailwire's heading, for a display in another language. */
  heading?: NoticeText;
}

const ALL_VIEWS: ReadonlySet<DecodedViewKind> = new Set(['mailbox', 'envelope', 'bodystructure']);

/** RFC 2047 §2: every encoded-word starts so (as octets: searched for in segments and literals). */
const ENCODED_WORD_START = Buffer.from('=?', 'latin1');

export { mayHaveDecodedView } from './decoded-view-heads.js';

/**
 * The decoded views of one response (`segments[i]` ends with the marker of `literals[i]`; a null
 * literal was too large to keep). Empty when there is nothing to decode or the response is malformed.
 */
export function decodedViews(
  segments: readonly Buffer[],
  literals: readonly (Buffer | null)[],
  wanted: ReadonlySet<DecodedViewKind> = ALL_VIEWS,
): DecodedView[] {
  const first = segments[0];
  if (!first || wanted.size === 0) return [];
  const dataStart = fetchDataStart(first);
  if (dataStart >= 0) {
    // An ENVELOPE has something to show only when it holds an RFC 2047 encoded-word, so it is built
    // only then. Items without a view (FLAGS, BODY[]) are checked by the parser but never built,
    // which costs less than looking for the names with a pattern first.
    if (!wanted.has('envelope') && !wanted.has('bodystructure')) return [];
    const envelope = wanted.has('envelope') && holdsEncodedWordStart(segments, literals);
    const tree = wanted.has('bodystructure');
    if (!envelope && !tree) return [];
    try {
      const items = parseFetchPlainItems(segments, literals, envelope ? (tree ? isEnvelopeOrTree : isEnvelope) : isTree, { start: dataStart });
      return fetchViews(items, fetchNumber(first, dataStart));
    } catch (error) {
      if (error instanceof ImapSyntaxError) return [];
      throw error;
    }
  }
  const m = MAILBOX_HEAD.exec(first.subarray(0, HEAD_OCTETS).toString('latin1'));
  if (!m || !wanted.has('mailbox')) return [];
  let values: ImapValue[];
  try {
    values = parseImapValues(segments, literals, { start: m[0].length });
  } catch (error) {
    if (error instanceof ImapSyntaxError) return [];
    throw error;
  }
  // RFC 3501 §7.2.2 LIST/LSUB: (attributes) delimiter name; §7.2.4 STATUS: name (items).
  const mailbox = (m[1] ?? '').toUpperCase() === 'STATUS' ? values[0] : values[2];
  const view = mailbox ? mailboxView(mailbox) : null;
  return view ? [view] : [];
}

/** FETCH items with a view (RFC 3501 §7.4.2): the names parseFetchPlainItems is asked about. */
const isEnvelope = (item: string): boolean => item === 'ENVELOPE';
const isTree = (item: string): boolean => item === 'BODYSTRUCTURE' || item === 'BODY';
const isEnvelopeOrTree = (item: string): boolean => isEnvelope(item) || isTree(item);

/** Whether a segment or a kept literal holds "=?" (RFC 2047 §2), the start of an encoded-word. */
function holdsEncodedWordStart(segments: readonly Buffer[], literals: readonly (Buffer | null)[]): boolean {
  for (const b of segments) if (b.includes(ENCODED_WORD_START)) return true;
  for (const b of literals) if (b?.includes(ENCODED_WORD_START)) return true;
  return false;
}

function mailboxView(v: ImapValue): DecodedView | null {
  const raw = valueText(v);
  if (raw === null || !hasModifiedUtf7Shift(raw)) return null;
  const decoded = decodeModifiedUtf7(raw);
  if (decoded !== null) return headed('mailbox', noticeText('notice.decoded.mailbox', { name: decoded }));
  // Under UTF8=ACCEPT (RFC 6855) names are UTF-8 and "&" is just a character: no complaint then.
  if (/[^\x00-\x7f]/.test(raw)) return null;
  return headed('mailbox', noticeText('notice.decoded.mailbox-invalid'));
}

/** A view whose first line is mailwire's own words, `heading`, in English (a display in another language words it again). */
function headed(view: DecodedViewKind, heading: NoticeText): DecodedView {
  return { view, lines: [englishNotice(heading)], heading };
}

/** RFC 3501 §7.4.2: the views of the items of `* n FETCH (name value name value ...)` that were parsed. */
function fetchViews(items: ReadonlyArray<{ name: string; value: PlainValue }>, seq: number): DecodedView[] {
  const views: DecodedView[] = [];
  for (const { name, value } of items) {
    if (name === 'ENVELOPE') {
      const env = parseEnvelope(value);
      const lines = env ? envelopeDecodedLines(env) : [];
      if (lines.length > 0) views.push({ view: 'envelope', lines });
    } else {
      const view = headed('bodystructure', noticeText('notice.decoded.tree', { item: name, n: seq }));
      if (appendBodyStructureLines(value, 1, view.lines)) views.push(view);
    }
  }
  return views;
}
