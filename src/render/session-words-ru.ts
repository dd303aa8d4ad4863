/**
 * The Russian words of a session's display (session-words.ts): loaded by import() only when the
 * session runs in Russian (--lang ru or a Russian locale), never by a plain English session.
 */
import { NOTICES_RU } from '../protocol/explain/catalogues/notices-ru.js';
import { TLS_RU } from '../protocol/explain/catalogues/tls-ru.js';
import { sessionWords, type SessionWords } from './session-words.js';

export const RUSSIAN_WORDS: SessionWords = sessionWords('ru', NOTICES_RU, TLS_RU);
