/**
 * When two client commands mean the same to a server, though their text differs: what serve needs
 * to test a mail client against a transcript another client wrote. Pure.
 *
 *  - IMAP (RFC 3501 §9: "all alphabetic characters are case-insensitive" in the syntax's keywords):
 *    command names, atoms and INBOX compare without regard to case; an atom and a quoted string with
 *    the same content are the same astring (`SELECT INBOX`, `select "INBOX"`); numbers, strings and
 *    lists compare by value, strings exactly (a quoted mailbox name keeps its case).
 *  - POP3 (RFC 1939 §3: "Keywords are case-insensitive"): the keyword without regard to case, the
 *    arguments exactly.
 */
import { parseImapLine, type ImapValue } from '../protocol/imap/values.js';

/**
 * Do two IMAP command lines (without their tags) carry the same command and arguments?
 * `anyAstring`: an atom of `a` that stands for any one astring of `b` (serve's `<secret>`, RFC 3501
 * §4.3: an atom, a quoted string or a literal).
 */
export function sameImapCommand(a: string, b: string, options: { anyAstring?: string } = {}): boolean {
  let x: ImapValue[];
  let y: ImapValue[];
  try {
    x = parseImapLine(a);
    y = parseImapLine(b);
  } catch {
    return false;
  }
  return sameList(x, y, options.anyAstring);
}

function sameList(a: readonly ImapValue[], b: readonly ImapValue[], anyAstring?: string): boolean {
  return a.length === b.length && a.every((v, i) => sameValue(v, b[i] as ImapValue, anyAstring));
}

/** The text an atom, number or string stands for as an astring; null for the rest. */
function astring(v: ImapValue): string | null {
  if (v.type === 'atom' && !v.section && !v.partial) return v.value;
  if (v.type === 'number') return String(v.value);
  if (v.type === 'string') return v.value.toString('utf8');
  return null;
}

function sameValue(a: ImapValue, b: ImapValue, anyAstring?: string): boolean {
  if (anyAstring !== undefined && a.type === 'atom' && !a.section && !a.partial && a.value === anyAstring) return astring(b) !== null || b.type === 'nil' || b.type === 'literal-ref';
  if (a.type === 'atom' && b.type === 'atom') {
    if (a.value.toUpperCase() !== b.value.toUpperCase()) return false;
    if (Boolean(a.section) !== Boolean(b.section) || (a.section && b.section && !sameList(a.section, b.section))) return false;
    return a.partial?.offset === b.partial?.offset && a.partial?.length === b.partial?.length;
  }
  if (a.type === 'list' && b.type === 'list') return sameList(a.items, b.items, anyAstring);
  if (a.type === 'nil' || b.type === 'nil') return a.type === b.type;
  if (a.type === 'literal-ref' || b.type === 'literal-ref') return a.type === 'literal-ref' && b.type === 'literal-ref' && a.size === b.size;
  const x = astring(a);
  const y = astring(b);
  if (x === null || y === null) return false;
  // RFC 3501 §5.1: INBOX is INBOX whatever its case, quoted or not.
  if (x.toUpperCase() === 'INBOX' && y.toUpperCase() === 'INBOX') return true;
  return a.type === 'string' || b.type === 'string' ? x === y : x.toUpperCase() === y.toUpperCase();
}

/** Do two POP3 command lines differ only in the case of their keyword? */
export function samePop3Command(a: string, b: string): boolean {
  const [ka = '', ...ra] = a.split(' ');
  const [kb = '', ...rb] = b.split(' ');
  return ka.toUpperCase() === kb.toUpperCase() && ra.join(' ') === rb.join(' ');
}
