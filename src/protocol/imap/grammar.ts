/**
 * IMAP's formal syntax as data, for lint to check commands and responses against: RFC 3501 §9
 * (IMAP4rev1, grammar-rfc3501.ts) and RFC 9051 §9 (IMAP4rev2, grammar-rfc9051.ts), each with what
 * both add (grammar-extensions.ts) and the extensions of the table keyed by capability
 * (grammar-extension-table.ts): those a session announces, or all while it is not known. Which
 * revision applies is the session's to show (capabilities, ENABLE); lint reads lines with both.
 * Grammars are built on first use and kept, one set per set of extensions. The counted `literal`
 * and `literal8` are native rules: ABNF cannot count.
 */
import { ABNF_CORE_RULES, Grammar, type NativeRule } from '../abnf.js';
import { capabilityOffered } from './commands.js';
import { IMAP_EXTENSION_GRAMMARS, type ImapExtensionGrammar } from './grammar-extension-table.js';
import {
  EXTENSION_BASE,
  REV1_ADDITIONS,
  REV1_CODED_TEXT,
  REV1_DEFINED_CODES,
  REV1_UTF8_ACCEPT,
  REV2_ADDITIONS,
  REV2_CODED_TEXT,
  REV2_DEFINED_CODES,
} from './grammar-extensions.js';
import { IMAP_COMMON_SYNTAX } from './grammar-imap-common.js';
import { RFC3501_SYNTAX } from './grammar-rfc3501.js';
import { RFC9051_SYNTAX } from './grammar-rfc9051.js';

/** RFC 3501 ATOM-CHAR, as in the rule above. */
function isAtomChar(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== 0x22 && c !== 0x25 && c !== 0x28 && c !== 0x29 && c !== 0x2a && c !== 0x5c && c !== 0x5d && c !== 0x7b;
}

/** The generic response code's atom: any atom but one naming a code the grammar defines. */
function codeAtom(defined: ReadonlySet<string>): NativeRule {
  return (input, pos) => {
    let end = pos;
    while (end < input.length && isAtomChar(input.charCodeAt(end))) end++;
    if (end === pos || defined.has(input.slice(pos, end).toUpperCase())) return [];
    return [end];
  };
}

/**
 * `{n}` then CRLF and n octets: RFC 3501 §4.3 and RFC 9051 §4.3 `literal` (CHAR8: no NUL), `{n+}` /
 * `{n-}` for a non-synchronizing one (RFC 7888 §3); with `binary`, RFC 3516 §4.2 `literal8`, `~{n}`
 * and any octet. ABNF states the count only in prose.
 */
function countedLiteral(binary: boolean): NativeRule {
  return (input, pos) => {
    const m = (binary ? /^~\{(\d{1,16})[+-]?\}\r\n/ : /^\{(\d{1,16})[+-]?\}\r\n/).exec(input.slice(pos, pos + 25));
    if (!m) return [];
    const size = Number(m[1]);
    const start = pos + m[0].length;
    if (start + size > input.length) return [];
    if (!binary && input.slice(start, start + size).includes('\0')) return [];
    return [start + size];
  };
}

/** The grammars lint reads IMAP with. */
export interface ImapGrammars {
  /** RFC 3501 with the extensions. */
  rev1: Grammar;
  /** The same after ENABLE UTF8=ACCEPT (RFC 6855): UTF-8 in quoted strings and text. */
  rev1Utf8: Grammar;
  /** RFC 9051 with the extensions. */
  rev2: Grammar;
}

/** The extensions of the table, by name. */
const EXTENSIONS_BY_NAME = new Map(IMAP_EXTENSION_GRAMMARS.map((e) => [e.name, e]));

/** Every extension of the table. */
export const ALL_IMAP_EXTENSIONS: ReadonlySet<string> = new Set(EXTENSIONS_BY_NAME.keys());

/** The extensions of the table a server with these capabilities announces (IMAP4rev2's implied ones count). */
export function imapExtensionsAnnounced(capabilities: Iterable<string>): Set<string> {
  const offered = [...capabilities];
  return new Set(IMAP_EXTENSION_GRAMMARS.filter((e) => e.capabilities.some((c) => capabilityOffered(c, offered))).map((e) => e.name));
}

/** An extension of the table by name. */
export function imapExtension(name: string): ImapExtensionGrammar | undefined {
  return EXTENSIONS_BY_NAME.get(name);
}

/** Sets of grammars kept, by the extensions they read; a session rarely needs more than two or three. */
const KEPT = 32;
const grammars = new Map<string, ImapGrammars>();

/**
 * The IMAP grammars with these extensions of the table (and those they build on), in the table's
 * order; all of them when none are named.
 */
export function imapGrammars(extensions: ReadonlySet<string> = ALL_IMAP_EXTENSIONS): ImapGrammars {
  const rows = IMAP_EXTENSION_GRAMMARS.filter((e) => extensions.has(e.name) || IMAP_EXTENSION_GRAMMARS.some((o) => extensions.has(o.name) && o.buildsOn?.includes(e.name)));
  const key = rows.map((e) => e.name).join(' ');
  const kept = grammars.get(key);
  if (kept) return kept;
  const syntax = EXTENSION_BASE + rows.map((e) => e.syntax).join('');
  const codes = rows.flatMap((e) => e.codes ?? []);
  const natives = { literal: countedLiteral(false), literal8: countedLiteral(true) };
  const rev1 = ABNF_CORE_RULES + IMAP_COMMON_SYNTAX + RFC3501_SYNTAX + REV1_ADDITIONS + syntax + REV1_CODED_TEXT;
  const rev1Natives = { ...natives, 'mailwire-code-atom': codeAtom(new Set([...REV1_DEFINED_CODES, ...codes])) };
  const built: ImapGrammars = {
    rev1: new Grammar(rev1, rev1Natives),
    rev1Utf8: new Grammar(rev1 + REV1_UTF8_ACCEPT, rev1Natives),
    rev2: new Grammar(ABNF_CORE_RULES + IMAP_COMMON_SYNTAX + RFC9051_SYNTAX + REV2_ADDITIONS + syntax + REV2_CODED_TEXT, { ...natives, 'mailwire-code-atom': codeAtom(new Set([...REV2_DEFINED_CODES, ...codes])) }),
  };
  if (grammars.size >= KEPT) grammars.delete(grammars.keys().next().value as string);
  grammars.set(key, built);
  return built;
}

/** The IMAP4rev1 grammar (RFC 3501 and every extension). */
export function imapGrammar(): Grammar {
  return imapGrammars().rev1;
}

/** What each kind of line is checked against. */
export const IMAP_RULES = {
  greeting: 'greeting',
  tagged: 'response-tagged',
  untagged: 'mailwire-untagged',
  continuation: 'continue-req',
  command: 'command',
  /** An AUTHENTICATE answer (RFC 3501 §6.2.2): base64, or "*" to cancel. */
  saslResponse: 'mailwire-sasl-response',
  /** The text of a status response that starts with "[". */
  codedText: 'mailwire-coded-text',
} as const;

/** What IMAP4rev2 took in, read in IMAP4rev1 sessions too (grammar-extensions.ts's REV1_ADDITIONS). */
const TAKEN_IN = 'ENABLE (RFC 5161), ESEARCH (RFC 4731, RFC 4466), IDLE (RFC 2177), LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819), LITERAL+ (RFC 7888), MOVE (RFC 6851), NAMESPACE (RFC 2342), SASL-IR (RFC 4959), SEARCHRES (RFC 5182), UIDPLUS (RFC 4315), UNSELECT (RFC 3691), UTF8=ACCEPT (RFC 6855)';

/** The grammars and extensions lint knows, for help and messages. */
export const IMAP_GRAMMAR_SOURCES = `IMAP4rev1 (RFC 3501 §9) and IMAP4rev2 (RFC 9051 §9), as the session shows which, with ${TAKEN_IN}; the extensions the server announces (or all, while it has not said): ${IMAP_EXTENSION_GRAMMARS.map((e) => `${e.name} (${e.source})`).join(', ')}; and X-prefixed experimental responses (RFC 3501 §6.5.1)`;
