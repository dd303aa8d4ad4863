/**
 * The message catalogues: every command, response, response code, POP3 reply and CAPA tag of the
 * tables has words in every language; the languages have the same keys, the same placeholders, and
 * the plural forms their language needs; the default language follows the POSIX locale variables.
 */
import { describe, expect, it } from 'vitest';
import { tableKeys } from '../../src/protocol/explain/catalogue-keys.js';
import { EN } from '../../src/protocol/explain/catalogues/en.js';
import { RU } from '../../src/protocol/explain/catalogues/ru.js';
import { languageFromEnvironment, LANGUAGES, parseLanguage } from '../../src/protocol/explain/language.js';
import { formatMessage, pluralCategory } from '../../src/protocol/explain/message-format.js';
import { CATALOGUES } from '../../src/protocol/explain/words.js';
import { placeholders } from '../support/catalogue-placeholders.js';

describe('message catalogues', () => {
  const keys = tableKeys();

  it.each(LANGUAGES)('%s has words for every row of the command and response tables', (language) => {
    const catalogue = CATALOGUES[language];
    for (const [table, list] of Object.entries(keys)) {
      const missing = list.filter((k) => !Object.hasOwn(catalogue, k));
      expect(missing, `${language}: ${table}`).toEqual([]);
    }
  });

  it('Russian has exactly the English keys', () => {
    expect(Object.keys(RU).sort()).toEqual(Object.keys(EN).sort());
  });

  it.each(LANGUAGES)('%s: no message is empty or padded', (language) => {
    for (const [key, message] of Object.entries(CATALOGUES[language])) {
      expect(message.trim(), key).toBe(message);
      expect(message, key).not.toBe('');
    }
  });

  it('both languages fill the same placeholders; plurals have 2 forms in English, 3 in Russian', () => {
    for (const key of Object.keys(EN)) {
      const en = placeholders(EN[key] as string);
      const ru = placeholders(RU[key] as string);
      // The shell's key help mentions "{n}" and "{file:PATH}" as text the user types.
      if (key === 'shell.help.keys') continue;
      const names = (p: Map<string, number[]>) => [...p.keys()].filter((n) => (p.get(n) ?? []).includes(0)).sort();
      expect(names(ru), key).toEqual(names(en));
      for (const forms of en.values()) for (const f of forms) if (f > 0) expect(f, key).toBe(2);
      for (const forms of ru.values()) for (const f of forms) if (f > 0) expect(f, key).toBe(3);
    }
  });

  it('counts the table keys (the coverage figures)', () => {
    const counts = Object.fromEntries(Object.entries(keys).map(([t, l]) => [t, l.length]));
    expect(counts['IMAP response codes']).toBeGreaterThanOrEqual(11 + 17 + 7);
    expect(counts['IMAP data responses']).toBeGreaterThanOrEqual(13);
    expect(counts['POP3 commands']).toBe(2 * 17);
  });
});

describe('plurals follow the language', () => {
  const messages = '{n} {n|сообщение|сообщения|сообщений}';
  it.each([
    [1, '1 сообщение'],
    [2, '2 сообщения'],
    [4, '4 сообщения'],
    [5, '5 сообщений'],
    [11, '11 сообщений'],
    [12, '12 сообщений'],
    [21, '21 сообщение'],
    [22, '22 сообщения'],
    [25, '25 сообщений'],
    [111, '111 сообщений'],
    [172, '172 сообщения'],
    [0, '0 сообщений'],
  ])('ru %i', (n, text) => {
    expect(formatMessage('ru', messages, { n })).toBe(text);
  });

  it.each([
    [0, '0 messages'],
    [1, '1 message'],
    [2, '2 messages'],
    [21, '21 messages'],
  ])('en %i', (n, text) => {
    expect(formatMessage('en', '{n} {n|message|messages}', { n })).toBe(text);
  });

  it('reads the categories from Intl.PluralRules', () => {
    expect(pluralCategory('ru', 3)).toBe('few');
    expect(pluralCategory('ru', 7)).toBe('many');
    expect(pluralCategory('en', 1)).toBe('one');
  });

  it('a missing value shows as "?" and never throws', () => {
    expect(formatMessage('en', 'mailbox {mailbox}')).toBe('mailbox ?');
  });
});

describe('the default language', () => {
  it.each([
    [{ LANG: 'ru_RU.UTF-8' }, 'ru'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'de_DE.UTF-8' }, 'en'],
    [{}, 'en'],
    [{ LANG: 'ru_RU.UTF-8', LC_MESSAGES: 'C' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'ru_RU.UTF-8' }, 'ru'],
    [{ LC_MESSAGES: 'en_US.UTF-8', LC_ALL: 'ru_RU.KOI8-R' }, 'ru'],
    [{ LC_ALL: '', LANG: 'ru' }, 'ru'],
    [{ LC_ALL: 'POSIX', LANG: 'ru' }, 'en'],
  ])('%j -> %s', (vars, language) => {
    expect(languageFromEnvironment(vars)).toBe(language);
  });

  it('--lang takes ru, RU, ru-RU, en; nothing else', () => {
    expect(parseLanguage('ru')).toBe('ru');
    expect(parseLanguage('RU')).toBe('ru');
    expect(parseLanguage('ru-RU')).toBe('ru');
    expect(parseLanguage('en')).toBe('en');
    expect(parseLanguage('fr')).toBeNull();
    expect(parseLanguage('')).toBeNull();
  });
});
