/**
 * Everything a session shows or records, as one discriminated union. The terminal renderer and the
 * transcript recorder both consume these events; `EventHandlers` makes a missing case a compile error.
 */
import type { DecodedViewKind } from '../protocol/imap/decoded-views.js';
import type { ImapResponseHead } from '../protocol/imap/response.js';
import type { NoticeText } from '../protocol/explain/notices.js';
import type { TlsSummary } from '../protocol/tls/summary.js';

export type Protocol = 'imap' | 'pop3';
export type TlsMode = 'none' | 'starttls' | 'implicit';

/** How a sent line relates to the command it belongs to. */
export type ClientLinePart =
  /** The first line of a command (carries the tag in IMAP). */
  | 'command'
  /** A line of literal data sent after the server's "+" (or right away for {n+}). */
  | 'literal'
  /** Text that goes on after a literal, on the same command. */
  | 'continued'
  /** A line answering a continuation request: AUTHENTICATE/AUTH responses, IDLE's DONE. */
  | 'response';

export type SessionEvent =
  | {
      kind: 'connected';
      protocol: Protocol;
      host: string;
      port: number;
      /** The address actually connected to, e.g. "127.0.0.1" or "::1". */
      address: string;
      tls: TlsMode;
    }
  | { kind: 'tls'; summary: TlsSummary }
  | {
      /** One wire line the client sent, without CRLF; secrets already replaced by SECRET_PLACEHOLDER. */
      kind: 'client-line';
      protocol: Protocol;
      /** In display form (protocol/display-form.ts), as shown and recorded: it reads back as the octets sent. */
      text: string;
      part: ClientLinePart;
      /**
       * A literal's last line joined with the command text that went on after it (`FRED FOOBAR {7}`
       * of RFC 3501 §7.5): how many characters of `text` are the literal's. Absent for a line that
       * is all literal data or all command text.
       */
      literalChars?: number;
    }
  | {
      /** A text segment of an IMAP response (the part up to CRLF or up to a literal marker). */
      kind: 'imap-segment';
      bytes: Buffer;
      /** First segment of a response: the one with the tag, status and response code. */
      first: boolean;
      /** Size of the literal that follows this segment, or null. */
      literalSize: number | null;
      /**
       * The session's reading of a first segment, decoded as latin1 (an octet a character), so that
       * whoever reads it again (replay's collector) need not parse it twice. Absent when no session made it,
       * and for `* n FETCH` data, which a session does not read (imap-session.ts, handleSegment).
       */
      head?: ImapResponseHead;
      /** For a tagged completion: milliseconds since its command was sent. */
      latencyMs?: number;
    }
  | {
      /** A piece of an IMAP literal's contents, in arrival order. */
      kind: 'imap-literal-data';
      bytes: Buffer;
    }
  | { kind: 'imap-literal-end'; size: number }
  | {
      kind: 'pop3-status';
      bytes: Buffer;
      /** A multi-line body follows. */
      multiline: boolean;
      /** For a single-line reply: milliseconds since its command was sent. */
      latencyMs?: number;
    }
  | {
      /** One line of a POP3 multi-line body, dot-stuffing removed. */
      kind: 'pop3-body-line';
      bytes: Buffer;
      /** The wire line began with an extra "." (RFC 1939 §3 byte-stuffing). */
      stuffed: boolean;
    }
  | { kind: 'pop3-end'; latencyMs?: number }
  | {
      /**
       * A SASL message (RFC 4422) decoded from the base64 line shown just before it, during an
       * exchange mailwire runs itself (`AUTHENTICATE SCRAM-SHA-256`, POP3 `AUTH PLAIN`). Passwords,
       * tokens and proofs are already SECRET_PLACEHOLDER; control characters are escaped when shown.
       */
      kind: 'sasl';
      /** The mechanism's name, e.g. "SCRAM-SHA-256". */
      mechanism: string;
      from: 'client' | 'server';
      /** The message's name in its specification ("client-first", "server-final"), or "" when it has none. */
      step: string;
      text: string;
    }
  | {
      /** Something mailwire itself says: info (comments), warnings, errors. */
      kind: 'notice';
      level: 'info' | 'warning' | 'error';
      /** In English: what a recording writes. */
      text: string;
      /**
       * The same sentence as data, when it is one of notices-en.ts: the display words it in its
       * language (render/session-words.ts); absent for what has no words but English (an error's message).
       */
      said?: NoticeText;
    }
  | {
      /**
       * A decoded view of the server response just shown (a mailbox name in modified UTF-7, the
       * encoded-words of an ENVELOPE, a BODYSTRUCTURE tree): shown beside the raw lines, never instead
       * of them, and not part of the wire transcript.
       */
      kind: 'decoded';
      view: DecodedViewKind;
      /** Text lines holding server data, unescaped (renderers escape them). */
      lines: string[];
      /** The first line as data, when it is mailwire's heading ("BODYSTRUCTURE of message 3:"), for a display in another language. */
      heading?: NoticeText;
    }
  | { kind: 'closed'; reason: string };

export type SessionEventKind = SessionEvent['kind'];

/** One handler per event kind; leaving one out does not compile. */
export type EventHandlers<R> = {
  [K in SessionEventKind]: (event: Extract<SessionEvent, { kind: K }>) => R;
};
