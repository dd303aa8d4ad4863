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

export class Words {
  readonly #catalogue: Catalogue;

  constructor(readonly language: Language) {
    this.#catalogue = CATALOGUES[language];
  }

  /** Whether the catalogue has the key (variants are looked up before they are used). */
  has(key: string): boolean {
    return Object.hasOwn(this.#catalogue, key);
  }

  /** The message of `key` filled with `values`; the key itself when missing (a test keeps that from happening). */
  text(key: string, values: MessageValues = {}): string {
    const message = this.#catalogue[key];
    return message === undefined ? key : formatMessage(this.language, message, values);
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
