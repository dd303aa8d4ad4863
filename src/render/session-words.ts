/**
 * The words a session's display speaks of the session itself: its notices, the connection and TLS
 * summary lines, the terminal's annotations, and the TLS details of --show-certs. English by default
 * (what a recording always says); other languages come from their own small catalogues, loaded only
 * when asked for (session-words-ru.ts), so that a plain session loads no more words than it shows.
 */
import { NOTICES_EN, type NoticeKey } from '../protocol/explain/catalogues/notices-en.js';
import { TLS_EN, type TlsKey } from '../protocol/explain/catalogues/tls-en.js';
import type { Language } from '../protocol/explain/language.js';
import { formatMessage, type MessageValues } from '../protocol/explain/message-format.js';
import type { NoticeText } from '../protocol/explain/notices.js';
import { sayIn, type SaidCatalogue } from '../protocol/explain/said.js';

/** Words of the TLS details in a language: a catalogue's `text` (the shell's Words will do). */
export type TlsWords = { text(key: TlsKey, values?: MessageValues): string };

export interface SessionWords {
  readonly language: Language;
  /** A notice's sentence (its values are inserted as they are; the line is escaped as a whole). */
  notice(text: NoticeText): string;
  /** The TLS details' words (render/tls-details.ts). */
  readonly tls: TlsWords;
}

/** The words of one language's catalogues. */
export function sessionWords(language: Language, notices: SaidCatalogue<NoticeKey>, tls: SaidCatalogue<TlsKey>): SessionWords {
  return {
    language,
    notice: (text) => sayIn(language, notices, text),
    tls: { text: (key, values) => formatMessage(language, tls[key], values) },
  };
}

/** English: the default of a display, and what a recording says. */
export const ENGLISH_WORDS: SessionWords = sessionWords('en', NOTICES_EN, TLS_EN);
