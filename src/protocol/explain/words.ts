/**
 * Words in one language: a catalogue and the rules of its language (plurals, lists), and the
 * Explanation value the engine returns. Everything people read in explanations, the shell's help
 * and the state names goes through here.
 */
import { EN } from './catalogues/en.js';
import { RU } from './catalogues/ru.js';
import type { Language } from './language.js';
import { formatList, formatMessage, type MessageValues } from './message-format.js';

/** One short line saying what a protocol line means here, and where the RFC says so. */
export interface Explanation {
  /** The catalogue key it was written from, e.g. "imap.response.EXISTS". */
  key: string;
  /** The RFC section, e.g. "RFC 3501 §7.3.1"; "" when none applies. */
  rfc: string;
  /** The line, values filled in (server and file values unescaped: the sink escapes). */
  text: string;
}

export type Catalogue = Readonly<Record<string, string>>;

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en: EN, ru: RU };

/**
 * A value a recording holds as a pattern hole (`$`, `$uidvalidity`, `<$>`, `($)`): the recorder wrote
 * a value the server will not send again (transcript/volatile-values.ts), not the value itself.
 */
const HOLE = /^[(<]?\$[A-Za-z_][A-Za-z0-9_]*[)>]?$|^[(<]?\$[)>]?$/;

export class Words {
  readonly #catalogue: Catalogue;
  /** Lines are transcript text, where a hole stands for a value that changes from run to run. */
  readonly #holes: boolean;

  constructor(readonly language: Language, { holes = false }: { holes?: boolean } = {}) {
    this.#catalogue = CATALOGUES[language];
    this.#holes = holes;
  }

  /** Whether the catalogue has the key (variants are looked up before they are used). */
  has(key: string): boolean {
    return Object.hasOwn(this.#catalogue, key);
  }

  /** The message of `key` filled with `values`; the key itself when missing (a test keeps that from happening). */
  text(key: string, values: MessageValues = {}): string {
    if (this.#holes && Object.values(values).some(isHole)) return this.#textWithHoles(key, values);
    const message = this.#catalogue[key];
    return message === undefined ? key : formatMessage(this.language, message, this.#holes ? withoutDollarEscapes(values) : values);
  }

  /**
   * A message whose values include a hole: its `.hole` variant where the catalogue has one (written
   * for the values recordings hold as holes), else each hole told as a value that varies. A student
   * must not read "$uidvalidity" as the server's answer.
   */
  #textWithHoles(key: string, values: MessageValues): string {
    const variant = this.#catalogue[`${key}.hole`];
    if (variant !== undefined) return formatMessage(this.language, variant, withoutDollarEscapes(values));
    const varies = this.#catalogue['value.hole'] ?? '?';
    const filled = withoutDollarEscapes(Object.fromEntries(Object.entries(values).map(([name, value]) => [name, isHole(value) ? varies : value])));
    const message = this.#catalogue[key];
    return message === undefined ? key : formatMessage(this.language, message, filled);
  }

  /** Whether `value` is a pattern hole of transcript text (never, for a live session's lines). */
  isHole(value: string): boolean {
    return this.#holes && isHole(value);
  }

  /** An explanation line. */
  say(key: string, rfc: string, values: MessageValues = {}): Explanation {
    return { key, rfc, text: this.text(key, values) };
  }

  /** "a, b and c" in the language. */
  list(items: readonly string[]): string {
    return formatList(this.language, items);
  }
}

function isHole(value: string | number): boolean {
  return typeof value === 'string' && HOLE.test(value);
}

/** Values of transcript text with "$$" (a "$" on the wire, pattern syntax) back to "$": $$Junk is $Junk. */
function withoutDollarEscapes(values: MessageValues): MessageValues {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === 'string' ? value.replaceAll('$$', '$') : value]));
}
