/**
 * Ways of cutting a byte stream into TCP-like chunks, and a comparable form of framer output, so a
 * test can check that frames depend on the bytes alone, never on where chunk boundaries fall.
 */
import type { ImapFrame, LiteralMarker } from '../../src/protocol/imap/frames.js';
import type { Pop3Frame } from '../../src/protocol/pop3/frames.js';

/** One way of delivering a stream: the chunks, and a name for failure messages. */
export interface Chunking {
  label: string;
  chunks: Buffer[];
}

/**
 * The stream whole, split in two at every byte position, and one byte at a time. Every chunk is a
 * copy in its own memory, as a socket would deliver it.
 */
export function* splitsOf(whole: Buffer): Generator<Chunking> {
  yield { label: 'whole', chunks: [Buffer.from(whole)] };
  for (let at = 1; at < whole.length; at++) {
    yield { label: `split at ${at}`, chunks: cutAt(whole, [at]) };
  }
  yield { label: 'one byte at a time', chunks: cutAt(whole, Array.from({ length: whole.length }, (_, i) => i)) };
}

/** Cuts `whole` before each of `positions` (any order, duplicates and out-of-range ones ignored). */
export function cutAt(whole: Buffer, positions: readonly number[]): Buffer[] {
  const cuts = [...new Set(positions)].filter((p) => p > 0 && p < whole.length).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, whole.length]) {
    chunks.push(Buffer.from(whole.subarray(start, cut)));
    start = cut;
  }
  return chunks.filter((c) => c.length > 0);
}

/** Pushes every chunk and returns all frames, in order. */
export function frameAll<F>(framer: { push(chunk: Buffer): F[] }, chunks: readonly Buffer[]): F[] {
  const frames: F[] = [];
  for (const chunk of chunks) frames.push(...framer.push(chunk));
  return frames;
}

/** An IMAP frame with its bytes shown as latin1 text (one character per octet), for readable diffs. */
export type ImapFrameView =
  | { type: 'segment'; text: string; first: boolean; literal: LiteralMarker | null; bareLf: boolean }
  | { type: 'literal-data'; text: string }
  | { type: 'literal-end'; size: number }
  | { type: 'error'; code: string };

/**
 * IMAP frames in a form that compares equal across chunkings: consecutive literal-data pieces are
 * merged (how a literal is cut depends on the chunks), bytes become latin1 text, error messages are
 * left out (their code is what matters).
 */
export function normaliseImapFrames(frames: readonly ImapFrame[]): ImapFrameView[] {
  const views: ImapFrameView[] = [];
  for (const frame of frames) {
    switch (frame.type) {
      case 'segment':
        views.push({ type: 'segment', text: frame.bytes.toString('latin1'), first: frame.first, literal: frame.literal, bareLf: frame.bareLf });
        break;
      case 'literal-data': {
        const last = views[views.length - 1];
        if (last?.type === 'literal-data') last.text += frame.bytes.toString('latin1');
        else views.push({ type: 'literal-data', text: frame.bytes.toString('latin1') });
        break;
      }
      case 'literal-end':
        views.push({ type: 'literal-end', size: frame.size });
        break;
      case 'error':
        views.push({ type: 'error', code: frame.code });
        break;
    }
  }
  return views;
}

/** A POP3 frame with its bytes shown as latin1 text, for readable diffs. */
export type Pop3FrameView =
  | { type: 'status'; text: string; status: string; multiline: boolean; greeting: boolean; unsolicited: boolean }
  | { type: 'body-line'; text: string; stuffed: boolean }
  | { type: 'end' }
  | { type: 'error'; code: string };

/** POP3 frames with bytes as latin1 text and error messages left out. */
export function normalisePop3Frames(frames: readonly Pop3Frame[]): Pop3FrameView[] {
  return frames.map((frame): Pop3FrameView => {
    switch (frame.type) {
      case 'status': {
        // How a line ended is looked at by tests of its own.
        const { bytes, bareLf: _bareLf, ...rest } = frame;
        return { ...rest, text: bytes.toString('latin1') };
      }
      case 'body-line':
        return { type: 'body-line', text: frame.bytes.toString('latin1'), stuffed: frame.stuffed };
      case 'end':
        return { type: 'end' };
      case 'error':
        return { type: 'error', code: frame.code };
    }
  });
}
