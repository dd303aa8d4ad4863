/**
 * Input lines from a stream (a pipe or a file), as bytes: a literal's octets are counted on what the
 * user wrote, so lines are never decoded and re-encoded on the way. LF ends a line; a CR before it is
 * dropped (scripts written on Windows work as the RFC examples do).
 */
import type { Readable } from 'node:stream';
import type { LineSource } from '../session/runner.js';

export function streamLineSource(stream: Readable): LineSource {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let buffered = Buffer.alloc(0);
  let ended = false;
  return {
    async next(): Promise<Buffer | null> {
      for (;;) {
        const lf = buffered.indexOf(0x0a);
        if (lf >= 0) {
          const end = lf > 0 && buffered[lf - 1] === 0x0d ? lf - 1 : lf;
          const line = buffered.subarray(0, end);
          buffered = buffered.subarray(lf + 1);
          return line;
        }
        if (ended) {
          if (buffered.length === 0) return null;
          const last = buffered;
          buffered = Buffer.alloc(0);
          return last;
        }
        const { value, done } = await iterator.next();
        if (done) ended = true;
        else buffered = Buffer.concat([buffered, typeof value === 'string' ? Buffer.from(value) : value]);
      }
    },
  };
}

/** Lines given on the command line (-c). */
export function arrayLineSource(lines: readonly string[]): LineSource {
  let i = 0;
  return {
    next: async () => (i < lines.length ? Buffer.from(lines[i++] as string, 'utf8') : null),
  };
}

/** The lines of `first`, then those of `then` (a URL's login before the user's own commands). */
export function concatLineSources(first: LineSource, then: LineSource): LineSource {
  let firstDone = false;
  return {
    async next(): Promise<Buffer | null> {
      if (!firstDone) {
        const line = await first.next();
        if (line !== null) return line;
        firstDone = true;
      }
      return then.next();
    },
  };
}
