/**
 * Why a replayed step failed, as data (a key of replay-en.ts and its values), and its words: English
 * for the mismatch's `reason` (JUnit XML, serve's reports, every reader of the English text), the
 * reader's language for a console report and for `mailwire step` (replay-words-ru.ts, loaded only then).
 */
import { REPLAY_EN, type ReplayKey } from '../protocol/explain/catalogues/replay-en.js';
import type { Language } from '../protocol/explain/language.js';
import { said, sayIn, type Said, type SaidCatalogue, type SaidValues } from '../protocol/explain/said.js';

export type { ReplayKey } from '../protocol/explain/catalogues/replay-en.js';

/** A replay sentence as data. */
export type ReplayText = Said<ReplayKey>;

/** The sentence of `key` with `values`. */
export function replayText(key: ReplayKey, values?: SaidValues<ReplayKey>): ReplayText {
  return said(key, values);
}

/** Words of replay's sentences in one language. */
export interface ReplayWords {
  readonly language: Language;
  text(text: ReplayText): string;
}

/** The words of one language's catalogue. */
export function replayWords(language: Language, catalogue: SaidCatalogue<ReplayKey>): ReplayWords {
  return { language, text: (text) => sayIn(language, catalogue, text) };
}

export const ENGLISH_REPLAY_WORDS: ReplayWords = replayWords('en', REPLAY_EN);

/** The sentence in English. */
export function englishReplay(text: ReplayText): string {
  return ENGLISH_REPLAY_WORDS.text(text);
}
