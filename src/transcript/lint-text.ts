/**
 * What a finding says, as data: a key of lint's catalogue (protocol/explain/catalogues/lint-en.ts,
 * lint-ru.ts) and its values, some of them texts of their own (a grammar failure inside a revision
 * note, a state name, the list of states a command is valid in). Lint finds in no language; the
 * words are chosen where the reader's language is known (lint.ts, for `mailwire lint` and the
 * handout). Pure.
 */
import { LINT_EN, type LintKey } from '../protocol/explain/catalogues/lint-en.js';
import { LINT_RU } from '../protocol/explain/catalogues/lint-ru.js';
import type { Language } from '../protocol/explain/language.js';
import { said, sayIn, type Said, type SaidValue, type SaidValues } from '../protocol/explain/said.js';

export type { LintKey } from '../protocol/explain/catalogues/lint-en.js';

/** A message of lint's catalogue with its values: a sentence as the session's notices are (said.ts). */
export type LintText = Said<LintKey>;

/** A value: as it is (a number, a tag, transcript text quoted and escaped), a text worded in turn, or a list of texts. */
export type LintValue = SaidValue<LintKey>;
export type LintValues = SaidValues<LintKey>;

const LINT_CATALOGUES: Readonly<Record<Language, Readonly<Record<LintKey, string>>>> = { en: LINT_EN, ru: LINT_RU };

/** A text of `key` with `values`. */
export function lintText(key: LintKey, values?: LintValues): LintText {
  return said(key, values);
}

/**
 * A text in words of the language: values that are texts are worded first, a list of them is joined
 * with ", " (state names, as the tables list them).
 */
export function lintWords(text: LintText, language: Language = 'en'): string {
  return sayIn(language, LINT_CATALOGUES[language], text);
}
