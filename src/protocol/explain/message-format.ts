/**
 * Catalogue messages with their values filled in. A message is a string with placeholders:
 *  - `{name}`: the value of `name`;
 *  - `{name|form|form|...}`: the plural form for the number `name`, in the order of the language's
 *    CLDR categories as Intl.PluralRules gives them (English: one, other; Russian: one, few, many,
 *    other), so "{n} {n|message|messages}" and "{n} {n|сообщение|сообщения|сообщений|сообщения}"
 *    read right for every n, with no word glued from pieces in code.
 * Values are inserted as they are; the sink (terminal, page) escapes the finished line.
 */
import type { Language } from './language.js';

export type MessageValues = Readonly<Record<string, string | number>>;

/** The order in which a message lists plural forms, per language. */
const PLURAL_ORDER: Record<Language, readonly Intl.LDMLPluralRule[]> = {
  en: ['one', 'other'],
  ru: ['one', 'few', 'many', 'other'],
};

const pluralRules = new Map<Language, Intl.PluralRules>();
const listFormats = new Map<Language, Intl.ListFormat>();

/** The CLDR plural category of n in the language. */
export function pluralCategory(language: Language, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(n);
}

/** "a, b and c" / "a, b и c": a list as the language writes it. */
export function formatList(language: Language, items: readonly string[]): string {
  let format = listFormats.get(language);
  if (!format) listFormats.set(language, (format = new Intl.ListFormat(language, { type: 'conjunction', style: 'long' })));
  return format.format(items);
}

/** No nesting, no backtracking: a placeholder is "{", a name, optional "|"-forms without braces, "}". */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(\|[^{}]*)?\}/g;

/**
 * Fills a message. A missing value shows as "?" (a catalogue bug shows, it does not throw); a
 * plural placeholder whose value is no number takes the last form.
 */
export function formatMessage(language: Language, message: string, values: MessageValues = {}): string {
  return message.replace(PLACEHOLDER, (_all, name: string, forms: string | undefined) => {
    const value = values[name];
    if (forms === undefined) return value === undefined ? '?' : String(value);
    const list = forms.slice(1).split('|');
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return list[list.length - 1] ?? '';
    const index = PLURAL_ORDER[language].indexOf(pluralCategory(language, n));
    return list[Math.min(index < 0 ? list.length - 1 : index, list.length - 1)] ?? '';
  });
}
