/**
 * Escaping of everything shown on a terminal or written to a transcript. Every byte a peer sent is
 * shown in the display form (protocol/display-form.ts, which says what is escaped and how, and which
 * the sessions write their client lines in) before any styling is applied. Here: server bytes as
 * shown, text in display form made safe again, and the test that lets plain literal text skip the
 * escaping (the WebAssembly fast path, plain-lines.ts).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { displayForm, escapeDisplayText, holdsEscapeForm } from '../protocol/display-form.js';
import type { LineMarks, PlainLines } from './plain-lines.js';

export { escapeDisplayText, StreamingEscaper } from '../protocol/display-form.js';

/** What the display form escapes beyond C0 and DEL: only ever in text with bytes above 0x7f. */
const ESCAPED_NON_ASCII = /[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/**
 * Server bytes as they are shown and recorded: their display form (protocol/display-form.ts). The
 * result contains no character below U+0020.
 */
export function escapeServerText(bytes: Buffer): string {
  return displayForm(bytes);
}

/**
 * Each line escaped as escapeDisplayText escapes it, written between `before` and `after`. Lines of
 * printable ASCII (nearly every decoded view's) are told so by one test of them all, joined by a
 * space that is printable too, instead of one test a line.
 */
export function escapeDisplayLines(lines: readonly string[], before: string, after: string): string {
  let out = '';
  if (!NOT_PRINTABLE_ASCII.test(lines.join(' '))) {
    for (const l of lines) out += before + l + after;
    return out;
  }
  for (const l of lines) out += before + escapeDisplayText(l) + after;
  return out;
}

/**
 * Whether nothing in `bytes` needs escaping but its CRLF line ends: valid and complete UTF-8, no
 * control or format character, a CR only right before an LF and an LF only right after a CR, no
 * backslash that reads as an escape (nor one at the end that the next piece may make one). Then
 * `escapeServerText` of each line between the CRLFs is that line's text unchanged, so its bytes can be
 * shown as they came. The fast path for streaming large literals (message bodies are almost always
 * such text): the kernel looks at the controls and finds the line ends (16 octets a step), Node's
 * isAscii and isUtf8 at the rest, indexOf at the backslashes.
 *
 * @param lines - takes `bytes` in (with `marks`, for its wholeLines()), and gives each CRLF's offset
 * @returns how many CRLFs there are, or -1 when something needs escaping
 */
export function plainCrlfLineEnds(bytes: Buffer, lines: PlainLines, marks: LineMarks): number {
  const count = lines.scan(bytes, marks);
  if (count < 0 || holdsEscapeForm(bytes)) return -1;
  if (isAscii(bytes)) return count;
  if (!isUtf8(bytes)) return -1;
  return ESCAPED_NON_ASCII.test(bytes.toString('utf8')) ? -1 : count;
}

