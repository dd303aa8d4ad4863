/** Replay's Russian words (replay-words.ts): loaded by import() only for a run in Russian. */
import { REPLAY_RU } from '../protocol/explain/catalogues/replay-ru.js';
import { replayWords, type ReplayWords } from './replay-words.js';

export const RUSSIAN_REPLAY_WORDS: ReplayWords = replayWords('ru', REPLAY_RU);
