/**
 * A sentence as data: a key of a small catalogue and its values, some of them sentences of their own
 * (a login failure's reason inside "login failed: ..."). What sessions, certificates and replay say
 * is made so, and worded where the reader's language is known: the display words it in the language
 * asked for, a recording and an error message in English. Pure, and small: a plain session loads it.
 */
import type { Language } from './language.js';
import { formatMessage, type MessageValues } from './message-format.js';

/** A message of a catalogue whose keys are K, with its values. */
export interface Said<K extends string = string> {
  readonly key: K;
  readonly values?: SaidValues<K>;
}

/**
 * A value: as it is (a number, a command name, server text already escaped where the line needs it),
 * a sentence worded in turn, or a list of sentences joined with ", " (state names, as tables list them).
 */
export type SaidValue<K extends string = string> = string | number | Said<K> | readonly Said<K>[];
export type SaidValues<K extends string = string> = Readonly<Record<string, SaidValue<K>>>;

/** The sentence of `key` with `values`. */
export function said<K extends string>(key: K, values?: SaidValues<K>): Said<K> {
  return values === undefined ? { key } : { key, values };
}

/** A catalogue of one language: every key has its message. */
export type SaidCatalogue<K extends string> = Readonly<Record<K, string>>;

/** `text` in words of `catalogue`, the language's: values that are sentences are worded first. */
export function sayIn<K extends string>(language: Language, catalogue: SaidCatalogue<K>, text: Said<K>): string {
  return sayWith(text, (key, values) => formatMessage(language, catalogue[key], values));
}

/** `text` worded by `word` (a catalogue's message filled, in some language): its sentences first. */
export function sayWith<K extends string>(text: Said<K>, word: (key: K, values: MessageValues) => string): string {
  const given = text.values;
  if (given === undefined) return word(text.key, {});
  const values: Record<string, string | number> = {};
  for (const name in given) {
    const value = given[name] as SaidValue<K>;
    values[name] = typeof value !== 'object' ? value : isList(value) ? value.map((t) => sayWith(t, word)).join(', ') : sayWith(value, word);
  }
  return word(text.key, values);
}

/** Every key a sentence is worded from, its values' sentences too (tests check both languages have them). */
export function keysOf<K extends string>(text: Said<K>, into: Set<K> = new Set()): Set<K> {
  into.add(text.key);
  for (const value of Object.values(text.values ?? {}) as SaidValue<K>[]) {
    if (typeof value === 'object') for (const t of isList(value) ? value : [value]) keysOf(t, into);
  }
  return into;
}

/** Whether a sentence's value is a list of sentences (Array.isArray does not narrow a readonly array away). */
function isList<K extends string>(value: Said<K> | readonly Said<K>[]): value is readonly Said<K>[] {
  return Array.isArray(value);
}
