/**
 * The shell's keyboard: a stream that stands between the terminal and node:readline.
 *
 * readline takes its input one key at a time, and for each printable key it measures the whole
 * line again (`getCursorPos`) and, once the line wraps, redraws it: a pasted line of n characters
 * costs O(n²) work and output (a 100,000-character paste took about 50 s and 880 MB). Here a run of
 * printable characters that arrives in one read, which is what a paste is (and keys typed faster
 * than the event loop turns), is offered whole to `onText`, which can append it to the line in time
 * linear in the run. Everything else (Enter, Tab, Ctrl keys, escape sequences of arrows and
 * function keys) goes on to readline's key decoder, as it would without this stream. When `onText`
 * declines (a secret is being asked, the cursor is not at the end of the line), the run goes to
 * the key decoder too.
 */
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The terminal as readline uses it: a readable stream that may switch to raw mode. */
export type TerminalInput = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * C0 and C1 controls and DEL: keys for readline's decoder. Everything else is text, and so is a Tab
 * inside a paste (readline completes only on a Tab that ends what arrived, and inserts the others).
 */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const TEXT_RUN = /[^\x00-\x08\x0a-\x1f\x7f-\x9f]+|[\x00-\x08\x0a-\x1f\x7f-\x9f]+/g;
/** A read that ends inside an escape sequence: the next read belongs to the same key. */
const UNFINISHED_ESCAPE = /\x1b(?:\[[0-9;?]*|O|\[\[)?$/;

export class KeyboardInput extends EventEmitter {
  readonly isTTY: boolean;
  private readonly decoder = new StringDecoder('utf8');
  /** The last read went to the key decoder and stopped inside an escape sequence. */
  private inEscape = false;
  private readonly onData = (chunk: Buffer | string): void => this.take(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  private readonly onEnd = (): void => {
    this.emit('end');
  };
  private readonly onError = (error: unknown): void => {
    this.emit('error', error);
  };

  /**
   * @param terminal the real standard input
   * @param onText offered each run of printable text; returns true when it took it
   */
  constructor(
    private readonly terminal: TerminalInput,
    private readonly onText: (text: string) => boolean,
  ) {
    super();
    this.isTTY = terminal.isTTY === true;
    terminal.on('data', this.onData);
    terminal.on('end', this.onEnd);
    terminal.on('error', this.onError);
  }

  setRawMode(mode: boolean): this {
    this.terminal.setRawMode?.(mode);
    return this;
  }

  pause(): this {
    this.terminal.pause();
    return this;
  }

  resume(): this {
    this.terminal.resume();
    return this;
  }

  isPaused(): boolean {
    return this.terminal.isPaused();
  }

  /** Stops listening to the terminal (the shell is over). */
  detach(): void {
    this.terminal.off('data', this.onData);
    this.terminal.off('end', this.onEnd);
    this.terminal.off('error', this.onError);
  }

  private take(text: string): void {
    if (text === '') return;
    // Escape sequences are left whole to the decoder: a run of text may be the end of one.
    if (this.inEscape || text.includes('\x1b')) {
      this.toDecoder(text);
      return;
    }
    const completes = text.endsWith('\t');
    const body = completes ? text.slice(0, -1) : text;
    for (const [run] of body.matchAll(TEXT_RUN)) {
      if (CONTROL.test(run.charAt(0)) || !this.onText(run)) this.toDecoder(run);
    }
    if (completes) this.toDecoder('\t');
  }

  private toDecoder(text: string): void {
    this.inEscape = UNFINISHED_ESCAPE.test(text);
    this.emit('data', Buffer.from(text, 'utf8'));
  }
}
