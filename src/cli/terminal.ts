/**
 * Line input from a terminal, and secrets asked without echo, for when the interactive shell is not
 * used: typing at a terminal while the output goes to a file, or a secret asked while commands come
 * from -c. The shell itself is src/shell/.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LineSource } from '../session/runner.js';

export interface TerminalInput extends LineSource {
  /** Asks a question without echoing the answer; null if input ended. */
  askHidden(prompt: string): Promise<string | null>;
  /** Asks a question, echoing the answer (a user name); null if input ended. */
  ask(prompt: string): Promise<string | null>;
  close(): void;
}

export function terminalInput(input: Readable, output: Writable): TerminalInput {
  const rl: Interface = createInterface({ input, output, terminal: true, historySize: 0 });
  const queue: string[] = [];
  const waiting: Array<(line: string | null) => void> = [];
  let ended = false;
  let muted = false;
  // readline echoes through _writeToOutput; muting it is how a no-echo prompt is done with node:readline.
  const internals = rl as unknown as { _writeToOutput: (s: string) => void };
  const write = internals._writeToOutput.bind(rl);
  internals._writeToOutput = (s: string) => {
    if (!muted) write(s);
  };
  rl.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  const nextLine = (): Promise<string | null> => {
    const queued = queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (ended) return Promise.resolve(null);
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    async next() {
      const line = await nextLine();
      return line === null ? null : Buffer.from(line, 'utf8');
    },
    async askHidden(prompt: string) {
      output.write(prompt);
      muted = true;
      try {
        return await nextLine();
      } finally {
        muted = false;
        output.write('\n');
      }
    },
    async ask(prompt: string) {
      output.write(prompt);
      return nextLine();
    },
    close() {
      rl.close();
    },
  };
}

/** A question asked on the terminal while commands come from -c. */
export async function askOnce(input: Readable, output: Writable, prompt: string): Promise<string | null> {
  const t = terminalInput(input, output);
  try {
    return await t.ask(prompt);
  } finally {
    t.close();
  }
}

/** A secret asked on the controlling terminal while input comes from elsewhere (-c with a terminal). */
export async function askHiddenOnce(input: Readable, output: Writable, prompt: string): Promise<string | null> {
  const t = terminalInput(input, output);
  try {
    return await t.askHidden(prompt);
  } finally {
    t.close();
  }
}
