/**
 * What a session says of itself, as data (a key of notices-en.ts and its values), and its English
 * words: a notice event carries both, so that a recording and every reader of `text` get the English
 * sentence as before, and the display words the same notice in the language asked for.
 */
import { NOTICES_EN, type NoticeKey } from './catalogues/notices-en.js';
import { said, sayIn, type Said, type SaidValues } from './said.js';

export type { NoticeKey } from './catalogues/notices-en.js';

/** A notice's sentence as data. */
export type NoticeText = Said<NoticeKey>;

/** The sentence of `key` with `values`. */
export function noticeText(key: NoticeKey, values?: SaidValues<NoticeKey>): NoticeText {
  return said(key, values);
}

/** The sentence in English: what a recording holds, and what `text` says. */
export function englishNotice(text: NoticeText): string {
  return sayIn('en', NOTICES_EN, text);
}
