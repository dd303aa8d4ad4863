/**
 * The shell's history, one file per protocol under `$XDG_STATE_HOME/mailwire/` (the XDG Base
 * Directory spec's place for history; `~/.local/state` when unset), created with mode 0600 in a 0700
 * folder. Nothing secret is ever written: a password becomes `<secret>` (recalling such a line makes
 * mailwire ask for it again), lines typed inside a literal or in answer to a SASL challenge are not
 * kept at all.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MailwireError } from '../errors.js';
import { maskImapSecrets } from '../protocol/imap/request.js';
import { maskPop3Secrets } from '../protocol/pop3/commands.js';
import type { Protocol } from '../session/events.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';

/** Lines kept per protocol. */
export const HISTORY_SIZE = 1000;

/** `$XDG_STATE_HOME/mailwire/history-imap`; XDG says a relative value is invalid and is ignored. */
export function historyPath(protocol: Protocol, vars: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const xdg = vars.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir, '.local', 'state');
  return join(base, 'mailwire', `history-${protocol}`);
}

/** What kind of line was typed, as far as history cares. */
export type TypedKind = 'command' | 'literal' | 'continuation';

/**
 * The history entry for a typed line, or null when it is not to be kept: literal data (it may be a
 * password sent as a literal, and is a message's text anyway), answers to continuation requests
 * (SASL responses are credentials), blank lines. Secrets in commands are masked, in the shell's raw
 * send too.
 */
export function historyEntry(protocol: Protocol, line: string, kind: TypedKind): string | null {
  if (line.trim() === '') return null;
  if (kind === 'literal') return null;
  if (kind === 'continuation') return /^\s*DONE\s*$/i.test(line) ? line : null;
  const raw = /^(\s*\.raw\s+)(.*)$/s.exec(line);
  if (raw) return (raw[1] as string) + maskLine(protocol, raw[2] as string);
  if (/^\s*\./.test(line) && !/^\s*\.\./.test(line)) return line;
  // As sent: without the blanks completion leaves at the end.
  return maskLine(protocol, line.replace(/[ \t]+$/, ''));
}

function maskLine(protocol: Protocol, line: string): string {
  return protocol === 'imap' ? maskImapSecrets(line).masked : maskPop3Secrets(line).masked;
}

/**
 * A line recalled from history (or copied from a transcript) with `<secret>` where its secret was:
 * the line without it, so that mailwire asks for the secret (`LOGIN joe <secret>` → `LOGIN joe`,
 * `PASS <secret>` → `PASS`). Other lines are returned as they are.
 */
export function withoutSecretPlaceholder(line: string): string {
  const end = line.trimEnd();
  if (!end.endsWith(` ${SECRET_PLACEHOLDER}`)) return line;
  return end.slice(0, -SECRET_PLACEHOLDER.length).trimEnd();
}

/** Loads and saves one protocol's history file. */
export class HistoryFile {
  constructor(readonly path: string) {}

  /** Entries newest first (readline's order); none when the file does not exist yet. */
  load(): string[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new MailwireError('file', `cannot read history ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    return text
      .split('\n')
      .filter((l) => l !== '')
      .reverse()
      .slice(0, HISTORY_SIZE);
  }

  /** Writes entries (newest first) oldest first, one per line, mode 0600. */
  save(entries: readonly string[]): void {
    try {
      mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
      const lines = entries.slice(0, HISTORY_SIZE).filter((l) => !l.includes('\n')).reverse();
      writeFileSync(this.path, lines.length === 0 ? '' : `${lines.join('\n')}\n`, { mode: 0o600 });
      // The mode of writeFileSync applies only when it creates the file.
      chmodSync(this.path, 0o600);
    } catch (error) {
      throw new MailwireError('file', `cannot write history ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
}
