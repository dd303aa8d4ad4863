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
import { parseRawEscapes } from '../session/raw-escapes.js';
import { fileErrorText } from '../file-errors.js';

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
  const raw = /^(\s*\.raw\s+)(.*)$/is.exec(line);
  if (raw) return rawEntry(protocol, raw[1] as string, raw[2] as string);
  if (/^\s*\./.test(line) && !/^\s*\.\./.test(line)) return line;
  // As sent: without the blanks completion leaves at the end.
  return maskLine(protocol, line.replace(/[ \t]+$/, ''));
}

/** Literal markers at the end of a line: `{8}`, `{8+}`, `~{8}` (RFC 3501 §4.3, RFC 7888, RFC 3516). */
const LITERAL_AT_END = /~?\{\d+[+-]?\}$/;

/**
 * A raw send as history keeps it: masked in the octets it sends, not in the escaped text typed, so
 * that neither `\x20` for a blank nor a second command after `\r\n` hides a password; whatever
 * follows a literal marker (a password sent as `{8}`, or a message) is kept as `<secret>`. Text with
 * an escape that does not parse was not sent, and is not kept.
 */
function rawEntry(protocol: Protocol, prefix: string, escaped: string): string | null {
  let octets: string;
  try {
    octets = parseRawEscapes(escaped).toString('latin1');
  } catch {
    return null;
  }
  const pieces = octets.split(/(\r?\n)/);
  let out = '';
  for (let i = 0; i < pieces.length; i += 2) {
    const content = pieces[i] as string;
    out += escapeRaw(maskLine(protocol, content)) + escapeRaw(pieces[i + 1] ?? '');
    if (protocol === 'imap' && LITERAL_AT_END.test(content) && i + 2 < pieces.length) return `${prefix}${out}${SECRET_PLACEHOLDER}`;
  }
  return prefix + out;
}

/** Octets (latin1) back to the raw send's escapes: what parseRawEscapes reads as the same octets. */
function escapeRaw(octets: string): string {
  const named: Readonly<Record<string, string>> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '\0': '\\0', '\\': '\\\\' };
  return octets.replace(/[\x00-\x1f\x7f-\xff\\]/g, (c) => named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
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
      throw new MailwireError('file', `cannot read history ${this.path}: ${fileErrorText(error)}`);
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
      throw new MailwireError('file', `cannot write history ${this.path}: ${fileErrorText(error)}`);
    }
  }
}
