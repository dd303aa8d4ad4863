/**
 * Writes the sandbox's live log to a stream (the terminal, a file) without ever letting the stream
 * hold the server up: writes go out asynchronously, and while more than `maxQueuedOctets` wait to
 * be written (a terminal paused with Ctrl-S, a slow disk, a pipe nobody reads), further lines are
 * dropped and counted; once the stream has drained, one line says how many were lost. Memory is
 * bounded by the queue, and no line waits for the stream.
 */
import type { Writable } from 'node:stream';

/** What may wait to be written before lines are dropped. */
export const DEFAULT_MAX_QUEUED_OCTETS = 1024 * 1024;

export class BoundedLogWriter {
  private dropped = 0;
  private waitingForDrain = false;

  constructor(
    private readonly stream: Writable,
    /** False for a stream that is not the log's own (the process's stdout): close() leaves it open. */
    private readonly ownsStream = true,
    private readonly maxQueuedOctets = DEFAULT_MAX_QUEUED_OCTETS,
  ) {}

  /** Lines dropped since the last note. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Queues a line (a line end is added), or drops it when too much is waiting. */
  write(line: string): void {
    if (this.stream.destroyed || this.stream.writableEnded) return;
    if (this.stream.writableLength >= this.maxQueuedOctets) {
      this.dropped++;
      this.noteWhenDrained();
      return;
    }
    if (this.dropped > 0) this.flushNote();
    this.stream.write(`${line}\n`);
  }

  private noteWhenDrained(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.stream.once('drain', () => {
      this.waitingForDrain = false;
      if (this.dropped > 0) this.flushNote();
    });
  }

  private flushNote(): void {
    const n = this.dropped;
    this.dropped = 0;
    this.stream.write(`… ${n} line${n === 1 ? '' : 's'} of the log dropped: it was written more slowly than commands came\n`);
  }

  /** Ends the stream (if its own) once what is queued is written. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.destroyed || this.stream.writableEnded) return resolve();
      if (this.dropped > 0) this.flushNote();
      if (this.ownsStream) this.stream.end(() => resolve());
      else resolve();
    });
  }
}
