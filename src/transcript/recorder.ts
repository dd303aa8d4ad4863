/**
 * --record: writes the session as an RFC-style transcript while it runs. Every rendered piece goes to
 * the file with a synchronous write, so whatever happens to the connection or the process, what was
 * seen is on disk. Secrets are already placeholders in the events; nothing here sees them.
 *
 * The file is meant to be replayed: the parts a server will not repeat are written as patterns
 * (variables.ts), every other "$" is doubled, and a `# secret: USER` line names whose secret a
 * `<secret>` or an APOP digest stands for, so that replay knows what to ask for.
 */
import { closeSync, fchmodSync, fstatSync, openSync, writeSync } from 'node:fs';
import { MailwireError } from '../errors.js';
import { escapeDisplayText, escapeServerText } from '../render/escape.js';
import { TranscriptRenderer } from '../render/transcript-renderer.js';
import type { Protocol, SessionEvent, TlsMode } from '../session/events.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { TRANSCRIPT_MAGIC, transcriptHeader } from './format.js';
import { imapCommandNeed, pop3CommandNeed } from './secrets.js';
import { RecordingPatterns } from './variables.js';
import { fileErrorText } from '../file-errors.js';

export { TRANSCRIPT_MAGIC };

export interface RecordingHeader {
  protocol: Protocol;
  /** e.g. imap://127.0.0.1:143 */
  target: string;
  tls: TlsMode;
  /** ISO 8601 */
  date: string;
  /** --insecure was given: the header says the certificate was not verified. */
  insecure?: boolean;
  /** --show-certs: the recording gets the TLS details too. */
  showCerts?: boolean;
  /** The user of AUTHENTICATE / AUTH exchanges mailwire runs (--user), declared for replay. */
  user?: string;
}

/** A recording asked to be a new file found one of its name (TranscriptRecorder's `newFile`). */
export class RecordingExists extends MailwireError {
  constructor(path: string) {
    super('file', `cannot write transcript ${path}: a file of that name exists`);
  }
}

/** The header line that warns that the session ran with --insecure (a plain comment, not a directive). */
export const INSECURE_HEADER = '# WARNING: recorded with --insecure: the server certificate was not verified, the server may not be who it claims';

/** Replaces the end of `rendered` (the text of one event, then "\n") with `text`. */
function replaceTail(rendered: string, shown: string, text: string): string {
  const tail = `${shown}\n`;
  if (shown === text || !rendered.endsWith(tail)) return rendered;
  return `${rendered.slice(0, rendered.length - tail.length)}${text}\n`;
}

export class TranscriptRecorder {
  private fd: number | null;
  private readonly renderer: TranscriptRenderer;
  private readonly patterns = new RecordingPatterns();
  private readonly declared = new Set<string>();
  /** POP3: the user named by the last USER, whose secret a later PASS carries. */
  private lastUser: string | null = null;

  /**
   * `newFile`: the file must not exist yet (a name a server chose, which another recording may have
   * taken in the same second): RecordingExists is thrown then, for the caller to pick another name.
   * @throws MailwireError('file') when the file cannot be created.
   */
  constructor(
    readonly path: string,
    header: RecordingHeader,
    { newFile = false }: { newFile?: boolean } = {},
  ) {
    this.renderer = new TranscriptRenderer({ colorLevel: 0, annotate: false, showCerts: header.showCerts === true });
    try {
      // 0600: a transcript shows a user's mail even with the secrets masked.
      this.fd = openSync(path, newFile ? 'wx' : 'w', 0o600);
      // The mode of open() applies only when it creates the file: an existing 0644 file stays 0644.
      // (Not a device or a pipe: --record /dev/stdout is theirs.)
      if (fstatSync(this.fd).isFile()) fchmodSync(this.fd, 0o600);
    } catch (error) {
      if (newFile && (error as NodeJS.ErrnoException).code === 'EEXIST') throw new RecordingExists(path);
      throw new MailwireError('file', `cannot write transcript ${path}: ${fileErrorText(error)}`);
    }
    this.write(transcriptHeader({ protocol: header.protocol, target: header.target, tls: header.tls, recorded: header.date }));
    // A plain comment, not a directive: readers of the file see it first thing.
    if (header.insecure) this.write(`${INSECURE_HEADER}\n`);
    if (header.user !== undefined && header.user !== '' && !/\s/.test(header.user)) {
      this.declared.add(header.user);
      this.write(`# secret: ${header.user}\n`);
    }
  }

  record(event: SessionEvent): void {
    // The directive goes before the line, after whatever line is still open.
    if (event.kind === 'client-line' && event.part === 'command') {
      const user = this.secretUser(event.text, event.protocol);
      if (user !== null) this.write(`${this.renderer.finish()}# secret: ${user}\n`);
    }
    const rendered = this.renderer.render(event);
    switch (event.kind) {
      case 'client-line': {
        const shown = escapeDisplayText(event.text);
        if (event.part === 'literal') {
          // Literal data is written as it was sent: its octet count must stay true. Command text
          // after a literal's last line is read as a pattern (replay fills captures in it): its "$"
          // are doubled.
          const at = event.literalChars;
          if (at === undefined) break;
          this.write(replaceTail(rendered, shown, shown.slice(0, at) + this.patterns.clientLine(shown.slice(at), event.protocol, false)));
          return;
        }
        this.write(replaceTail(rendered, shown, this.patterns.clientLine(shown, event.protocol, event.part === 'command')));
        return;
      }
      case 'imap-segment': {
        const shown = escapeServerText(event.bytes);
        this.write(replaceTail(rendered, shown, this.patterns.imapSegment(shown, event.first)));
        return;
      }
      case 'pop3-status': {
        const shown = escapeServerText(event.bytes);
        this.write(replaceTail(rendered, shown, this.patterns.pop3Status(shown)));
        return;
      }
      case 'pop3-body-line': {
        const shown = escapeServerText(event.bytes);
        this.write(replaceTail(rendered, shown, this.patterns.pop3BodyLine(shown)));
        return;
      }
      default:
        break;
    }
    this.write(rendered);
  }

  /**
   * Declares whose secret a masked exchange carried (`# secret: USER`), once per user: for a login the
   * recorder cannot read from the command line (a SASL exchange a proxied client ran).
   */
  declareUser(user: string): void {
    if (user === '' || /\s/.test(user) || this.declared.has(user)) return;
    this.declared.add(user);
    this.write(`${this.renderer.finish()}# secret: ${user}\n`);
  }

  /** Ends an open line, if any, and closes the file. */
  close(): void {
    if (this.fd === null) return;
    this.write(this.renderer.finish());
    closeSync(this.fd);
    this.fd = null;
  }

  /** The user to declare with `# secret: USER` before this command, the first that needs their secret. */
  private secretUser(text: string, protocol: Protocol): string | null {
    let user: string | null = null;
    if (protocol === 'imap') {
      const need = imapCommandNeed(text);
      if (need?.kind === 'imap-login') user = need.user;
    } else {
      const words = text.trim().split(/\s+/);
      if ((words[0] ?? '').toUpperCase() === 'USER') this.lastUser = words[1] ?? null;
      const need = pop3CommandNeed(text, this.lastUser);
      if (need?.kind === 'apop') user = need.user;
      if (need?.kind === 'pop3-pass' && text.includes(SECRET_PLACEHOLDER)) user = need.user;
    }
    if (user === null || user === '' || this.declared.has(user) || /\s/.test(user)) return null;
    this.declared.add(user);
    return user;
  }

  /**
   * @throws MailwireError('file') when the file takes no more (a full disk, a device that fails):
   * the recording stops there, and the session with it, since a recording that silently stopped
   * would pass for a whole one. Later writes do nothing.
   */
  private write(text: string): void {
    if (this.fd === null || text === '') return;
    try {
      writeSync(this.fd, text);
    } catch (error) {
      const fd = this.fd;
      this.fd = null;
      try {
        closeSync(fd);
      } catch {
        // Closing a file that failed a write may fail too; the write's error is the one to tell.
      }
      throw new MailwireError('file', `cannot write transcript ${this.path}: ${fileErrorText(error)}`);
    }
  }
}
