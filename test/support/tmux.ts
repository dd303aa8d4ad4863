/**
 * A real terminal for tests of the interactive shell: the built mailwire runs in a tmux pane of a
 * fixed size on a private tmux server, keys are sent as a person types them, and the screen is read
 * back with capture-pane. Waits poll the screen until what is expected shows up, with a generous
 * deadline, so a loaded machine makes the tests slower, never wrong.
 *
 * Key names are tmux's (Enter, Tab, C-c, C-d). Node's readline treats keys that arrive together
 * as a paste and does not complete on a Tab in the middle of one: send Tab last in a call, and
 * before a second Tab wait until the first has been read (waitUntilRead).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const EXIT_MARK = /\[mailwire exited (\d+)\]/;
const DEADLINE_MS = 20_000;

/**
 * Prints how many octets wait in a tty's input queue, not yet read by the program on it (FIONREAD on
 * the pane's tty, opened without becoming anybody's controlling terminal). Node.js has no ioctl().
 */
const UNREAD_INPUT = [
  'import fcntl, os, struct, sys, termios',
  'fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)',
  "print(struct.unpack('i', fcntl.ioctl(fd, termios.FIONREAD, bytes(4)))[0])",
].join('\n');

export function tmuxAvailable(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'tmux')));
}

/** Single-quotes a word for sh. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface Terminal {
  /** Types text as it is (no key names). */
  type(text: string): void;
  /** Pastes text as a terminal does (tmux's paste buffer: arrives in large reads, not key by key). */
  paste(text: string): void;
  /** Presses keys by tmux name: "Enter", "Tab", "C-c", "C-d", "Up". */
  press(...keys: string[]): void;
  /** The whole screen and scrollback, wrapped lines joined, trailing blank lines dropped. */
  screen(): string;
  /** The line the cursor is on (the prompt and what is typed, hint included). */
  cursorLine(): string;
  /** Waits until the screen matches; returns the screen. */
  waitFor(pattern: RegExp, what?: string): Promise<string>;
  /** Waits until the line under the cursor matches (a prompt redrawn, a hint shown). */
  waitForCursorLine(pattern: RegExp, what?: string): Promise<string>;
  /**
   * Waits until mailwire has read every key sent so far (the pane's tty holds none unread), so that
   * the next keys come in a read of their own: a second Tab, whose first has nothing to show.
   */
  waitUntilRead(): Promise<void>;
  /** Waits for mailwire to exit; its exit status. */
  exitStatus(): Promise<number>;
  close(): void;
}

/**
 * Starts `mailwire argv...` in a 160x50 pane with only the given environment (plus PATH, a UTF-8
 * locale and TERM=xterm-256color unless given). `program` replaces the built mailwire run by this
 * checkout's node (e.g. ['mailwire'], found on the given PATH, as a user's shell finds it).
 */
export function startTerminal(argv: readonly string[], env: Record<string, string>, program: readonly string[] = [process.execPath, BIN]): Terminal {
  const socket = `mailwire-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const vars = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TERM: 'xterm-256color', ...env };
  const command = [
    'env -i',
    ...Object.entries(vars).map(([k, v]) => shellQuote(`${k}=${v}`)),
    ...program.map(shellQuote),
    ...argv.map(shellQuote),
  ].join(' ');
  tmux('new-session', '-d', '-x', '160', '-y', '50', '-s', 'mw', `${command}; echo "[mailwire exited $?]"; exec sleep 3600`);
  // tmux leaves its socket file behind when the server goes: removed in close().
  const socketPath = tmux('display-message', '-p', '#{socket_path}').trim();

  const screen = () =>
    tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', 'mw')
      .replace(/\s+$/, '')
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .join('\n');
  const cursorLine = () => {
    const y = Number(tmux('display-message', '-p', '-t', 'mw', '#{cursor_y}').trim());
    return tmux('capture-pane', '-p', '-t', 'mw').split('\n')[y] ?? '';
  };
  const paneTty = tmux('display-message', '-p', '-t', 'mw', '#{pane_tty}').trim();
  const unread = () => execFileSync('python3', ['-c', UNREAD_INPUT, paneTty], { encoding: 'utf8' }).trim();
  const poll = async (read: () => string, pattern: RegExp, what: string): Promise<string> => {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const text = read();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) {
        throw new Error(`terminal never showed ${what} (${pattern}); screen:\n${screen()}\n--- cursor line: ${JSON.stringify(cursorLine())}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    type: (text) => void tmux('send-keys', '-t', 'mw', '-l', text),
    paste: (text) => {
      execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'load-buffer', '-b', 'mwpaste', '-'], { input: text });
      tmux('paste-buffer', '-d', '-b', 'mwpaste', '-t', 'mw');
    },
    press: (...keys) => void tmux('send-keys', '-t', 'mw', ...keys),
    screen,
    cursorLine,
    waitFor: (pattern, what = 'the expected text') => poll(screen, pattern, what),
    waitForCursorLine: (pattern, what = 'the expected line') => poll(cursorLine, pattern, what),
    waitUntilRead: async () => void (await poll(unread, /^0$/, 'every key read')),
    exitStatus: async () => Number(EXIT_MARK.exec(await poll(screen, EXIT_MARK, 'mailwire exiting'))?.[1]),
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      if (socketPath !== '') rmSync(socketPath, { force: true });
    },
  };
}
