/**
 * Splits the arguments of an IMAP command or response into words, enough to name them in an
 * explanation: atoms, quoted strings (unquoted), parenthesized lists (kept whole, nesting counted,
 * not recursed), `[...]` sections glued to their atom (BODY[HEADER]), and literal markers. One pass,
 * no regular expression over the input: a hostile line costs its length and no more.
 */

/** One argument as written: `text` is what to show, `quoted` tells a quoted string from an atom. */
export interface ArgumentWord {
  text: string;
  quoted: boolean;
  /** A parenthesized list: text holds it with its parentheses. */
  list: boolean;
}

/** At most this many words are read: an explanation names a few, not thousands. */
const MAX_WORDS = 64;

/** The words of `text`, at most MAX_WORDS of them. */
export function argumentWords(text: string): ArgumentWord[] {
  const words: ArgumentWord[] = [];
  let i = 0;
  while (i < text.length && words.length < MAX_WORDS) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
      words.push({ text: value, quoted: true, list: false });
      continue;
    }
    const start = i;
    let depth = 0;
    let inQuote = false;
    while (i < text.length) {
      const d = text[i] as string;
      if (inQuote) {
        if (d === '\\') i++;
        else if (d === '"') inQuote = false;
      } else if (d === '"') inQuote = true;
      else if (d === '(' || d === '[') depth++;
      else if (d === ')' || d === ']') depth = Math.max(0, depth - 1);
      else if ((d === ' ' || d === '\t') && depth === 0) break;
      i++;
    }
    const word = text.slice(start, i);
    words.push({ text: word, quoted: false, list: word.startsWith('(') });
  }
  return words;
}

/** The inside of a parenthesized list's text ("(\\Seen \\Draft)" -> "\\Seen \\Draft"). */
export function listInside(text: string): string {
  return text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
}

/** Longer values are cut with "…": a mailbox name or a flag list of a hostile peer stays short. */
export const MAX_VALUE_CHARS = 80;

/** A value for an explanation: cut to MAX_VALUE_CHARS characters (the sink escapes it). */
export function shortValue(text: string): string {
  if (text.length <= MAX_VALUE_CHARS) return text;
  const chars = [...text.slice(0, MAX_VALUE_CHARS * 2)];
  const whole = text.length <= MAX_VALUE_CHARS * 2 && chars.length <= MAX_VALUE_CHARS;
  return whole ? text : `${chars.slice(0, MAX_VALUE_CHARS - 1).join('')}…`;
}
