/**
 * Reads the head of an IMAP response line (RFC 3501 §7, §9 `response`): whether it is tagged,
 * untagged or a continuation request, its status, its bracketed response code and, for untagged
 * data, the data name (`* CAPABILITY ...`, `* 12 FETCH (...)`). Only what a session needs to track
 * state; the body of FETCH, ENVELOPE and friends is left to later layers.
 */

export type ImapStatus = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

export interface ImapResponseCode {
  /** Upper-case atom, e.g. "READ-WRITE", "UIDVALIDITY", "CAPABILITY". */
  name: string;
  /** The rest inside the brackets, e.g. "3857529045"; "" when none. */
  text: string;
}

export type ImapResponseHead =
  | { kind: 'continuation'; text: string }
  | { kind: 'tagged'; tag: string; status: ImapStatus | null; code: ImapResponseCode | null; text: string }
  | {
      kind: 'untagged';
      /** Status responses: OK/NO/BAD/PREAUTH/BYE. */
      status: ImapStatus | null;
      code: ImapResponseCode | null;
      /** For `* 12 FETCH`, `* 3 EXISTS`: the number; null otherwise. */
      number: number | null;
      /** Upper-case data name for server data (`CAPABILITY`, `FETCH`, `EXISTS`, `LIST`...) or the status. */
      name: string;
      /** Everything after the name (and after the code for status responses). */
      text: string;
    };

const STATUSES = new Set<string>(['OK', 'NO', 'BAD', 'PREAUTH', 'BYE']);

function firstWord(text: string): [string, string] {
  const space = text.indexOf(' ');
  return space < 0 ? [text, ''] : [text.slice(0, space), text.slice(space + 1)];
}

/** RFC 3501 §7.1: `resp-text = ["[" resp-text-code "]" SP] text`. */
function splitCode(text: string): { code: ImapResponseCode | null; text: string } {
  if (!text.startsWith('[')) return { code: null, text };
  const close = text.indexOf(']');
  if (close < 0) return { code: null, text };
  const inner = text.slice(1, close);
  const [name, rest] = firstWord(inner);
  return { code: { name: name.toUpperCase(), text: rest }, text: text.slice(close + 1).replace(/^ /, '') };
}

/**
 * RFC 3501 §7.5: a continuation request is "+" SP and text; a bare "+" is taken too, since servers
 * send one (the text is often empty).
 */
export function isContinuationRequest(line: string): boolean {
  return line === '+' || line.startsWith('+ ');
}

/** Parses the first segment of a server response. Never throws: odd input gives a best-effort head. */
export function parseImapResponseHead(line: string): ImapResponseHead {
  if (isContinuationRequest(line)) return { kind: 'continuation', text: line.slice(2) };
  // Words are cut at the first SP each, by offsets: this runs for every response a session reads.
  const space = line.indexOf(' ');
  const tag = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);
  const wordEnd = rest.indexOf(' ');
  const word = wordEnd < 0 ? rest : rest.slice(0, wordEnd);
  const after = wordEnd < 0 ? '' : rest.slice(wordEnd + 1);
  if (tag === '*') {
    if (/^\d+$/.test(word)) {
      const [name, tail] = firstWord(after);
      return { kind: 'untagged', status: null, code: null, number: Number(word), name: name.toUpperCase(), text: tail };
    }
    const upper = word.toUpperCase();
    if (STATUSES.has(upper)) {
      const { code, text } = splitCode(after);
      return { kind: 'untagged', status: upper as ImapStatus, code, number: null, name: upper, text };
    }
    return { kind: 'untagged', status: null, code: null, number: null, name: upper, text: after };
  }
  const upper = word.toUpperCase();
  if (!STATUSES.has(upper)) return { kind: 'tagged', tag, status: null, code: null, text: rest };
  // RFC 3501 §7.1: most status responses carry no code.
  if (!after.startsWith('[')) return { kind: 'tagged', tag, status: upper as ImapStatus, code: null, text: after };
  const { code, text } = splitCode(after);
  return { kind: 'tagged', tag, status: upper as ImapStatus, code, text };
}

/** Capability atoms from `* CAPABILITY ...` data or a `[CAPABILITY ...]` code, upper-cased. */
export function parseCapabilities(text: string): string[] {
  return text
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}
