/**
 * --record: writes the session as an RFC-style transcript while it runs. Every rendered piece goes to
 * the file with a synchronous write, so whatever happens to the connection or the process, what was
 * seen is on disk. Secrets are already placeholders in the events; nothing here sees them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { MailwireError } from '../errors.js';
import { TranscriptRenderer } from '../render/transcript-renderer.js';
import type { Protocol, SessionEvent } from '../session/events.js';

/** First line of every recorded transcript; later versions of the format will be told apart by it. */
export const TRANSCRIPT_MAGIC = '# mailwire transcript v1';

export interface RecordingHeader {
  protocol: Protocol;
  /** e.g. imap://127.0.0.1:143 */
  target: string;
  tls: 'none' | 'starttls' | 'implicit';
  /** ISO 8601 */
  date: string;
}

export class TranscriptRecorder {
  private fd: number | null;
  private readonly renderer = new TranscriptRenderer({ colorLevel: 0, annotate: false, pop3Unstuff: false });

  /** @throws MailwireError('file') when the file cannot be created. */
  constructor(
    readonly path: string,
    header: RecordingHeader,
  ) {
    try {
      // 0600: a transcript shows a user's mail even with the secrets masked.
      this.fd = openSync(path, 'w', 0o600);
    } catch (error) {
      throw new MailwireError('file', `cannot write transcript ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    this.write(
      `${TRANSCRIPT_MAGIC}\n# protocol: ${header.protocol}\n# target: ${header.target}\n# tls: ${header.tls}\n# recorded: ${header.date}\n`,
    );
  }

  record(event: SessionEvent): void {
    this.write(this.renderer.render(event));
  }

  /** Ends an open line, if any, and closes the file. */
  close(): void {
    if (this.fd === null) return;
    this.write(this.renderer.finish());
    closeSync(this.fd);
    this.fd = null;
  }

  private write(text: string): void {
    if (this.fd === null || text === '') return;
    writeSync(this.fd, text);
  }
}
