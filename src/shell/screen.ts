/**
 * The terminal as the shell uses it: session output is written above the prompt without garbling the
 * line being typed (clear the prompt, write, draw prompt + line + cursor again), a grey syntax hint is
 * drawn after the cursor, and a secret is asked for without echo. node:readline knows none of this;
 * it is done here with its cursor arithmetic (`getCursorPos`) and the ANSI sequences of
 * node:readline's own helpers.
 */
import { clearScreenDown, cursorTo, moveCursor, type Interface } from 'node:readline';
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** The parts of readline's Interface used here that its typings leave out. */
interface ReadlineView {
  line: string;
  cursor: number;
  /** Rows between the prompt's first row and the cursor at the last redraw (Node's own field). */
  prevRows: number;
}

export interface ScreenOptions {
  out: Writable & { columns?: number };
  /** The prompt, styled, for the state the session is in now. */
  prompt: () => string;
  /** The hint for a line (plain text; "" for none) and how to style it. */
  hint: (line: string) => string;
  styleHint: (text: string) => string;
}

type Shown = 'none' | 'prompt' | 'secret';

/** Lines longer than this get no syntax hint. */
export const HINT_LINE_LIMIT = 2000;

/** A cursor position as one count of columns from the prompt's start. */
function offsetOf(pos: { rows: number; cols: number }, columns: number): number {
  return pos.rows * columns + pos.cols;
}

export class Screen {
  private rl: Interface | null = null;
  private shown: Shown = 'none';
  /** What to draw when the screen is idle: the prompt, a secret's question, or nothing (ending). */
  private mode: 'prompt' | 'secret' | 'off' = 'off';
  private secretQuestion = '';
  /** What has been typed of an answer shown as typed (a user name); null for a secret. */
  private answerShown: (() => string) | null = null;
  /** The last output did not end its line (a literal streaming): no prompt under it yet. */
  private lineOpen = false;
  private drawScheduled = false;
  /** Width of the hint drawn after the cursor, 0 when none. */
  private hintWidth = 0;
  /**
   * Where appended text left the cursor: its column counted from the prompt's first row, for the
   * line it was measured on. Measuring again costs a pass over the whole line (getCursorPos), which
   * a paste arriving in many reads must not pay for each read.
   */
  private measured: { prompt: string; line: string; offset: number } | null = null;

  constructor(private readonly o: ScreenOptions) {}

  /** Starts drawing the prompt of `rl`; keypresses on `input` redraw the hint. */
  attach(rl: Interface, input: EventEmitter): void {
    this.rl = rl;
    this.mode = 'prompt';
    // Before readline handles a key, the hint goes (readline writes where it was); after, it is drawn again.
    input.prependListener('keypress', () => this.clearHint());
    input.on('keypress', () => this.drawHint());
    this.draw();
  }

  /** No more prompts (the session is ending): output goes straight to the terminal. */
  detach(): void {
    // The last prompt stays on screen, as a terminal shows a shell's last line after exit.
    if (this.shown !== 'none') this.o.out.write('\n');
    this.shown = 'none';
    this.hintWidth = 0;
    this.mode = 'off';
    this.rl = null;
  }

  /** Session output, above the prompt. Returns false when the terminal is backed up (as write() does). */
  write(text: string): boolean {
    if (text === '') return true;
    this.hide();
    const ok = this.o.out.write(text);
    this.lineOpen = !text.endsWith('\n');
    this.scheduleDraw();
    return ok;
  }

  /** Enter was pressed: readline has moved to a fresh row, the prompt stays above as typed. */
  lineEntered(): void {
    this.shown = 'none';
    this.hintWidth = 0;
    this.scheduleDraw();
  }

  /**
   * Appends printable text typed or pasted at the end of the line, in time linear in the text (see
   * KeyboardInput); false when it cannot be done here (no prompt shown, the cursor elsewhere, a hint
   * being asked), and readline's own key handling must do it.
   */
  appendTyped(text: string): boolean {
    const rl = this.rl;
    if (!rl || this.mode !== 'prompt' || this.shown !== 'prompt') return false;
    const view = rl as unknown as ReadlineView;
    if (view.cursor !== view.line.length) return false;
    // A pseudo-terminal of no size (`script` run without one) says 0 columns: 80, as for none.
    const columns = this.o.out.columns || 80;
    // A line known from the last append costs nothing to place; any other is measured once.
    const prompt = rl.getPrompt();
    const known = this.measured;
    const before = known !== null && known.line === view.line && known.prompt === prompt ? known.offset : offsetOf(rl.getCursorPos(), columns);
    this.clearHint();
    view.line += text;
    view.cursor = view.line.length;
    let offset: number;
    if (/^[\x20-\x7e]*$/.test(text)) {
      offset = before + text.length;
    } else {
      // Wide and combining characters: readline's own measure, which knows them.
      offset = offsetOf(rl.getCursorPos(), columns);
    }
    this.o.out.write(text);
    // At the right margin the terminal holds the cursor on the last column; readline counts it on
    // the next row, column 0. A space and a backspace put it where readline counts it.
    if (offset > 0 && offset % columns === 0) this.o.out.write(' \b');
    view.prevRows = Math.floor(offset / columns);
    this.measured = { prompt, line: view.line, offset };
    this.drawHint();
    return true;
  }

  /** The prompt's content changed (state, mode): draw it again now. */
  refresh(): void {
    if (this.shown === 'prompt') {
      this.hide();
      this.draw();
    } else {
      this.scheduleDraw();
    }
  }

  /**
   * The typed line is dropped (Ctrl-C): it stays on screen ended by "^C", as shells do, and an empty
   * prompt follows.
   */
  abandonLine(): void {
    const rl = this.rl;
    if (!rl) return;
    const view = rl as unknown as ReadlineView;
    this.hide();
    this.o.out.write(`${this.o.prompt()}${view.line}^C\n`);
    view.line = '';
    view.cursor = 0;
    this.draw();
  }

  /**
   * Asks a question whose answer is read by readAnswer: without echo, or with `shown` giving what
   * has been typed so far (drawn again after output).
   */
  beginSecret(question: string, shown: (() => string) | null = null): void {
    this.hide();
    this.mode = 'secret';
    this.secretQuestion = question;
    this.answerShown = shown;
    this.draw();
  }

  endSecret(): void {
    if (this.shown === 'secret') this.o.out.write('\n');
    this.shown = 'none';
    this.mode = this.rl ? 'prompt' : 'off';
    this.scheduleDraw();
  }

  private hide(): void {
    if (this.shown === 'none') return;
    if (this.shown === 'prompt' && this.rl) {
      const rows = this.rl.getCursorPos().rows;
      if (rows > 0) moveCursor(this.o.out, 0, -rows);
    }
    cursorTo(this.o.out, 0);
    clearScreenDown(this.o.out);
    this.shown = 'none';
    this.hintWidth = 0;
  }

  private scheduleDraw(): void {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    // Output often comes in bursts (a FETCH of many lines): the prompt is drawn once after them.
    setImmediate(() => {
      this.drawScheduled = false;
      this.draw();
    });
  }

  private draw(): void {
    if (this.shown !== 'none' || this.lineOpen) return;
    if (this.mode === 'secret') {
      this.o.out.write(this.secretQuestion + (this.answerShown?.() ?? ''));
      this.shown = 'secret';
      return;
    }
    const rl = this.rl;
    if (this.mode !== 'prompt' || !rl) return;
    rl.setPrompt(this.o.prompt());
    // The prompt is drawn on a fresh row: readline must not move up over the output to find it.
    (rl as unknown as ReadlineView).prevRows = 0;
    rl.prompt(true);
    this.shown = 'prompt';
    this.drawHint();
  }

  private clearHint(): void {
    if (this.hintWidth === 0) return;
    // The hint starts at the cursor (it is drawn only with the cursor at the end of the line).
    this.o.out.write('\x1b[K');
    this.hintWidth = 0;
  }

  private drawHint(): void {
    const rl = this.rl;
    if (!rl || this.shown !== 'prompt' || this.hintWidth > 0) return;
    const view = rl as unknown as ReadlineView;
    // A hint names the argument being typed; past a screenful of text it helps nobody, and working
    // it out (and where the cursor is) would cost a pass over the line for every key.
    if (view.cursor !== view.line.length || view.line.length > HINT_LINE_LIMIT) return;
    const hint = this.o.hint(view.line);
    if (hint === '') return;
    const columns = this.o.out.columns || 80;
    const room = columns - rl.getCursorPos().cols - 1;
    if (room <= 0) return;
    // Never wrap: a hint on the next row would stay there when the line is redrawn.
    const text = [...hint].slice(0, room).join('');
    const width = [...text].length;
    this.o.out.write(`${this.o.styleHint(text)}\x1b[${width}D`);
    this.hintWidth = width;
  }
}

/**
 * Reads one line, taking the keys away from readline meanwhile (so a secret never enters its line,
 * history or undo buffer). Without echo unless `echo` is given (a user name). Backspace and Ctrl-U
 * edit; Enter ends; Ctrl-C, and Ctrl-D on an empty answer, give null (the command is not sent).
 * `typed` tells what has been typed so far.
 */
export function readAnswer(input: EventEmitter, echo: Writable | null = null): { answer: Promise<string | null>; typed: () => string } {
  let secret = '';
  const answer = readKeys(input, echo, (text) => {
    secret = text;
  });
  return { answer, typed: () => secret };
}

function readKeys(input: EventEmitter, echo: Writable | null, onChange: (text: string) => void): Promise<string | null> {
  const saved = input.listeners('keypress') as Array<(...args: unknown[]) => void>;
  input.removeAllListeners('keypress');
  return new Promise((resolve) => {
    let secret = '';
    const finish = (value: string | null) => {
      input.removeListener('keypress', onKey);
      for (const l of saved) input.on('keypress', l);
      resolve(value);
    };
    const onKey = (str: string | undefined, key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined) => {
      if (key?.ctrl && key.name === 'c') return finish(null);
      if (key?.ctrl && key.name === 'd') return secret === '' ? finish(null) : undefined;
      if (key?.name === 'return' || key?.name === 'enter') return finish(secret);
      if (key?.name === 'backspace') {
        if (secret !== '') echo?.write('\b \b');
        secret = [...secret].slice(0, -1).join('');
      } else if (key?.ctrl && key.name === 'u') {
        echo?.write('\b \b'.repeat([...secret].length));
        secret = '';
      } else if (typeof str === 'string' && str !== '' && !key?.ctrl && !key?.meta && !/[\x00-\x1f\x7f]/.test(str)) {
        secret += str;
        echo?.write(str);
      }
      onChange(secret);
      return undefined;
    };
    input.on('keypress', onKey);
  });
}
