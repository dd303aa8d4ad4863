/**
 * A line pasted into the shell costs work linear in its length: the keyboard hands runs of text to
 * the screen whole, and the screen appends them without measuring or redrawing the whole line each
 * time. Counted, not timed: the characters written to the terminal and the characters readline's
 * cursor arithmetic has to walk over.
 */
import { createInterface, type Interface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KeyboardInput } from '../../src/shell/keyboard-input.js';
import { Screen } from '../../src/shell/screen.js';

interface Counted {
  terminal: PassThrough & { isTTY: boolean; setRawMode: (m: boolean) => void };
  rl: Interface;
  lines: string[];
  /** Characters written to the terminal. */
  written: () => number;
  /** Characters of line that readline's getCursorPos walked over. */
  measured: () => number;
  close: () => void;
}

function shellTerminal(columns = 80): Counted {
  const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_m: boolean) => undefined });
  const out = Object.assign(new PassThrough(), { isTTY: true, columns });
  let written = 0;
  out.on('data', (c: Buffer) => (written += c.length));
  let screen: Screen | null = null;
  const keyboard = new KeyboardInput(terminal, (text) => screen?.appendTyped(text) ?? false);
  const rl = createInterface({ input: keyboard as unknown as NodeJS.ReadableStream, output: out, terminal: true });
  let measured = 0;
  const getCursorPos = rl.getCursorPos.bind(rl);
  rl.getCursorPos = () => {
    measured += (rl as unknown as { line: string }).line.length;
    return getCursorPos();
  };
  screen = new Screen({ out, prompt: () => 'imap A001> ', hint: (line) => (line === 'SELECT ' ? 'mailbox' : ''), styleHint: (t) => t });
  screen.attach(rl, keyboard);
  const lines: string[] = [];
  rl.on('line', (l) => lines.push(l));
  return {
    terminal,
    rl,
    lines,
    written: () => written,
    measured: () => measured,
    close: () => {
      rl.close();
      keyboard.detach();
    },
  };
}

/** Pastes text as a terminal delivers it: in reads of at most 4096 bytes. */
function paste(t: Counted, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += 4096) t.terminal.write(bytes.subarray(i, i + 4096));
}

describe('pasting a long line into the shell', () => {
  it.each([10_000, 100_000, 1_000_000])('%i characters: the line arrives whole, with work linear in its length', (n) => {
    const t = shellTerminal();
    const line = `SEARCH TEXT "${'x'.repeat(n - 15)}"`;
    paste(t, `${line}\r`);
    expect(t.lines).toEqual([line]);
    // Echoing the line once, plus a few control sequences per read.
    expect(t.written()).toBeLessThan(n + 64 * Math.ceil(n / 4096) + 1000);
    // readline walks the line to place the cursor a bounded number of times, not once per read.
    expect(t.measured()).toBeLessThan(4 * n);
    t.close();
  });

  it('keeps non-ASCII text, and text typed after the paste, in order', () => {
    const t = shellTerminal();
    paste(t, 'SEARCH TEXT "Grüße aus Köln, 東京"');
    t.terminal.write(' CHARSET');
    t.terminal.write('\r');
    expect(t.lines).toEqual(['SEARCH TEXT "Grüße aus Köln, 東京" CHARSET']);
    t.close();
  });

  it('splits a multi-line paste into lines; a Tab inside is text, a Tab at the end completes', () => {
    const t = shellTerminal();
    let completions = 0;
    (t.rl as unknown as { completer: (l: string) => [string[], string] }).completer = (l) => {
      completions++;
      return [[], l];
    };
    paste(t, 'NOOP\rA\tB\r');
    expect(t.lines).toEqual(['NOOP', 'A\tB']);
    expect(completions).toBe(0);
    t.close();
  });

  it('leaves escape sequences to readline: a pasted line edited with the arrow keys', () => {
    const t = shellTerminal();
    paste(t, 'FETCH 1 FLAGS');
    t.terminal.write('\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D');
    t.terminal.write('(');
    t.terminal.write('\x1b[F');
    t.terminal.write(')\r');
    expect(t.lines).toEqual(['FETCH 1 (FLAGS)']);
    t.close();
  });
});
