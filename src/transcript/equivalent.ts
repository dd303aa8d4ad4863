/**
 * When two client commands mean the same to a server, though their text differs: what serve needs
 * to test a mail client against a transcript another client wrote. Pure.
 *
 *  - IMAP (RFC 3501 §9: "all alphabetic characters are case-insensitive" in the syntax's keywords):
 *    command names, atoms and INBOX compare without regard to case; an atom, a quoted string and a
 *    literal with the same content are the same astring (RFC 3501 §4.3: `SELECT INBOX`,
 *    `select "INBOX"`, `SELECT {5}` then `INBOX`); numbers, strings and lists compare by value,
 *    strings exactly (a quoted mailbox name keeps its case). A command sent with literals is compared
 *    read whole, each literal written as the quoted string it carries (wholeCommandText).
 *  - POP3 (RFC 1939 §3: "Keywords are case-insensitive"): the keyword without regard to case, the
 *    arguments exactly.
 *  - `<secret>` (what the recorder writes for a password, a SASL response) stands for one value of
 *    the shape its place calls for (SecretShape), in either protocol and either way of comparing.
 */
import { findImapCommand } from '../protocol/imap/commands.js';
import { parseImapLine, type ImapValue } from '../protocol/imap/values.js';
import { findPop3Command } from '../protocol/pop3/commands.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { displayFormOfText } from '../protocol/display-form.js';
import { imapQuoted } from '../session/credentials.js';
import type { Protocol } from '../session/events.js';
import { quotedEnd } from './pattern.js';

/**
 * What a `<secret>` in a transcript's client line stands for:
 *  - 'astring': one IMAP argument, an atom, a quoted string or a literal (RFC 3501 §4.3; LOGIN's
 *    password);
 *  - 'sasl': one SASL response, a single token of base64 (RFC 4959 §3 and RFC 5034 §4 for an
 *    initial response, RFC 3501 §6.2.2 and RFC 5034 §4 for a line answering a "+"). Never a quoted
 *    string or a literal, never "=" (an empty response, which the recorder writes as it is), never "*"
 *    (which cancels the exchange);
 *  - 'rest': the rest of the line (POP3 PASS: RFC 1939 §7 lets a password hold spaces).
 */
export type SecretShape = 'astring' | 'sasl' | 'rest';

/**
 * The shape of a `<secret>` in a client line: `command` is the command the line is (role 'command')
 * or answers a "+" of (role 'response'), its name as the script gives it.
 */
export function secretShape(protocol: Protocol, command: string | null, role: 'command' | 'response'): SecretShape {
  const name = (command ?? '').split(' ')[0] ?? '';
  const sasl = (protocol === 'imap' ? findImapCommand(name) : findPop3Command(name))?.continuation === 'sasl';
  if (sasl) return 'sasl';
  return protocol === 'imap' && role === 'command' ? 'astring' : 'rest';
}

/** RFC 4648 §4's alphabet, padding only at the end: one token of a SASL response. */
const BASE64_TOKEN = /^[A-Za-z0-9+/]+=*$/;

/** RFC 3501 §9: ASTRING-CHAR, as a client line's display form holds it (no CTL: they show as \\xNN). */
const ASTRING_ATOM = /^[^\s(){"%*\\]+$/;

/**
 * Is `value` (what a `<secret>` hole took of a client line) one value of `shape`? On failure `end`
 * says where, in `value`, it stops being one: a hole that ends a pattern takes the rest of the line,
 * so `joe password EXTRA` or `AUTH PLAIN abc EXTRA` would pass for one. `cancel`: the value is the
 * "*" that cancels a SASL exchange.
 */
export function secretValueFits(shape: SecretShape, value: string): { ok: true } | { ok: false; end: number; cancel?: true } {
  switch (shape) {
    case 'rest':
      return { ok: true };
    case 'sasl': {
      if (BASE64_TOKEN.test(value)) return { ok: true };
      if (value.trim() === '*') return { ok: false, end: 0, cancel: true };
      const end = /[^A-Za-z0-9+/=]/.exec(value)?.index ?? value.length;
      return { ok: false, end: value === '=' ? 0 : end };
    }
    case 'astring': {
      // A quoted string, and nothing after it (a literal is read whole as the quoted string it stands
      // for). A sentinel after the value tells an unterminated string (quotedEnd gives the text's end
      // then) from one that ends the value.
      if (value.startsWith('"')) {
        const end = quotedEnd(`${value} `, 0);
        return end === value.length ? { ok: true } : { ok: false, end: Math.min(end, value.length) };
      }
      const end = /[\s(){"%*\\]/.exec(value)?.index ?? value.length;
      return end > 0 && ASTRING_ATOM.test(value) ? { ok: true } : { ok: false, end };
    }
  }
}

/**
 * A literal's data as the quoted string it could have been sent as (RFC 3501 §4.3: either is a
 * string), in display form as client lines are, so that a transcript's quoted string, atom or
 * `<secret>` meets it.
 */
export function literalAsQuoted(data: Buffer): string {
  return displayFormOfText(imapQuoted(data.toString('utf8')));
}

/** A literal's marker at the end of a segment: `{8}`, or `{8+}` (LITERAL+, RFC 7888). */
const LITERAL_MARKER_AT_END = /~?\{\d+\+?\}$/;

/**
 * A command read whole, as the one line it could have been sent as: `segments` (display form, each
 * but the last ending in a literal's marker) with `literals[i]` after `segments[i]`, each literal
 * written as `literalText` gives it (by default the quoted string it carries).
 */
export function wholeCommandText(segments: readonly string[], literals: readonly (Buffer | null)[], literalText: (data: Buffer | null) => string = (d) => (d === null ? SECRET_PLACEHOLDER : literalAsQuoted(d))): string {
  let text = '';
  segments.forEach((segment, i) => {
    if (i < literals.length) text += segment.replace(LITERAL_MARKER_AT_END, '') + literalText(literals[i] ?? null);
    else text += segment;
  });
  return text;
}

/**
 * Do two IMAP command lines (without their tags) carry the same command and arguments?
 * `secret`: an atom `<secret>` of `a` stands for any one value of `b` of that shape.
 */
export function sameImapCommand(a: string, b: string, options: { secret?: SecretShape } = {}): boolean {
  let x: ImapValue[];
  let y: ImapValue[];
  try {
    x = parseImapLine(a);
    y = parseImapLine(b);
  } catch {
    return false;
  }
  return sameList(x, y, options.secret);
}

function sameList(a: readonly ImapValue[], b: readonly ImapValue[], secret?: SecretShape): boolean {
  return a.length === b.length && a.every((v, i) => sameValue(v, b[i] as ImapValue, secret));
}

/** The text an atom, number or string stands for as an astring; null for the rest. */
function astring(v: ImapValue): string | null {
  if (v.type === 'atom' && !v.section && !v.partial) return v.value;
  if (v.type === 'number') return String(v.value);
  if (v.type === 'string') return v.value.toString('utf8');
  return null;
}

/** Does `b` fill the place of a `<secret>` of this shape? */
function fillsSecret(b: ImapValue, shape: SecretShape): boolean {
  // A SASL response is a bare token, never a string (RFC 4959 §3: base64 / "=").
  if (shape === 'sasl') return b.type === 'atom' && !b.section && !b.partial && secretValueFits('sasl', b.value).ok;
  return astring(b) !== null || b.type === 'nil' || b.type === 'literal-ref';
}

function sameValue(a: ImapValue, b: ImapValue, secret?: SecretShape): boolean {
  if (secret !== undefined && a.type === 'atom' && !a.section && !a.partial && a.value === SECRET_PLACEHOLDER) return fillsSecret(b, secret);
  if (a.type === 'atom' && b.type === 'atom') {
    if (a.value.toUpperCase() !== b.value.toUpperCase()) return false;
    if (Boolean(a.section) !== Boolean(b.section) || (a.section && b.section && !sameList(a.section, b.section))) return false;
    return a.partial?.offset === b.partial?.offset && a.partial?.length === b.partial?.length;
  }
  if (a.type === 'list' && b.type === 'list') return sameList(a.items, b.items, secret);
  if (a.type === 'nil' || b.type === 'nil') return a.type === b.type;
  if (a.type === 'literal-ref' || b.type === 'literal-ref') return a.type === 'literal-ref' && b.type === 'literal-ref' && a.size === b.size;
  const x = astring(a);
  const y = astring(b);
  if (x === null || y === null) return false;
  // RFC 3501 §5.1: INBOX is INBOX whatever its case, quoted or not.
  if (x.toUpperCase() === 'INBOX' && y.toUpperCase() === 'INBOX') return true;
  return a.type === 'string' || b.type === 'string' ? x === y : x.toUpperCase() === y.toUpperCase();
}

/**
 * Do two POP3 command lines differ only in the case of their keyword? `secret`: a word `<secret>` of
 * `a` stands for one value of `b` of that shape (for 'rest', the rest of the line).
 */
export function samePop3Command(a: string, b: string, options: { secret?: SecretShape } = {}): boolean {
  const [ka = '', ...ra] = a.split(' ');
  const [kb = '', ...rb] = b.split(' ');
  if (ka.toUpperCase() !== kb.toUpperCase()) return false;
  const shape = options.secret;
  if (shape === undefined || !ra.includes(SECRET_PLACEHOLDER)) return ra.join(' ') === rb.join(' ');
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== SECRET_PLACEHOLDER) {
      if (ra[i] !== rb[i]) return false;
      continue;
    }
    if (shape === 'rest') return ra.length === i + 1 && rb.length > i;
    const got = rb[i];
    if (got === undefined || !secretValueFits(shape, got).ok) return false;
  }
  return ra.length === rb.length;
}
