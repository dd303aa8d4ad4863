/**
 * The languages mailwire explains the protocols in, and how the default is found: `--lang` first,
 * else the POSIX locale variables in their order of precedence (LC_ALL, LC_MESSAGES, LANG), else
 * English. Pure: the variables are passed in (nothing below cli/ reads process.env).
 */

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** 'ru' for "ru", "RU", "ru_RU.UTF-8", "ru-RU"; null for anything mailwire has no words in. */
export function parseLanguage(value: string): Language | null {
  const m = /^([a-z]{2,3})(?:[_-][a-z0-9]+)?(?:\.[a-z0-9-]+)?(?:@[a-z0-9]+)?$/i.exec(value.trim());
  const code = m?.[1]?.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(code ?? '') ? (code as Language) : null;
}

/**
 * POSIX (XBD §8.2): LC_ALL overrides LC_MESSAGES, which overrides LANG; an empty variable counts as
 * unset. The first set variable decides; "C" or "POSIX" or a language without a catalogue means English.
 */
export function languageFromEnvironment(vars: Readonly<Record<string, string | undefined>>): Language {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = vars[name];
    if (value === undefined || value === '') continue;
    return parseLanguage(value) ?? 'en';
  }
  return 'en';
}
