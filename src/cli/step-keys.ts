/**
 * The keys of `mailwire step` at a projector: Enter or Space goes on, q (or Ctrl-C, Ctrl-D) quits,
 * and --auto goes on by itself after its seconds. Raw mode only while waiting, so a secret asked for
 * in between is typed as at any prompt.
 */
import type { Env } from '../env.js';
import type { Language } from '../protocol/explain/language.js';
import type { Span } from '../render/roles.js';

/** Waits for Enter, Space or q on a terminal, or for the --auto time; true to go on. */
export function nextKey(env: Env, autoSeconds: number | undefined): Promise<boolean> {
  const stdin = env.stdin as NodeJS.ReadStream;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (goOn: boolean) => {
      if (timer) clearTimeout(timer);
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      resolve(goOn);
    };
    const onData = (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === 0x0d || byte === 0x0a || byte === 0x20) return done(true);
        // q, Q, Ctrl-C, Ctrl-D
        if (byte === 0x71 || byte === 0x51 || byte === 0x03 || byte === 0x04) return done(false);
      }
    };
    if (autoSeconds !== undefined) timer = setTimeout(() => done(true), autoSeconds * 1000);
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}


/** The key hint, in the step's language. */
function keyHint(language: Language): string {
  return language === 'ru' ? '[Enter или пробел — дальше, q — выход]' : '[Enter or Space: next, q: quit]';
}

/**
 * Shows the key hint and waits for a key (or the --auto time); true to go on. On a terminal the hint
 * is then wiped, so the screen holds the session and its explanations only, as a projected class
 * reads them; written to a file, the hint's line stays as it was written.
 */
export async function awaitNextStep(env: Env, autoSeconds: number | undefined, language: Language, style: (spans: readonly Span[]) => string): Promise<boolean> {
  env.stdout.write(style([{ role: 'hint', text: keyHint(language) }]));
  const goOn = await nextKey(env, autoSeconds);
  // CR and "erase the whole line" (ECMA-48 EL 2) take the hint away; the blank line between steps stays.
  env.stdout.write(env.stdoutIsTTY ? '\r\x1b[2K\n' : '\n\n');
  return goOn;
}
