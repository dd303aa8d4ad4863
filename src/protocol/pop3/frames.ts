/**
 * What the POP3 framer yields. Whether a reply is multi-line depends on the command it answers and on
 * its status (RFC 1939 §3): the framer is told what to expect for each command sent, in order.
 */

/** What the reply to one command may look like. */
export type Pop3ReplyShape =
  /** One status line. */
  | 'single'
  /** A status line; if it is +OK, a multi-line body follows, ended by a line holding only ".". */
  | 'multiline-if-ok';

export type Pop3Status = '+OK' | '-ERR' | '+' | 'unknown';

export type Pop3Frame =
  | {
      type: 'status';
      /** The status line without its line ending. */
      bytes: Buffer;
      /** "+OK", "-ERR", "+" (a SASL continuation, RFC 5034: the exchange goes on) or anything else. */
      status: Pop3Status;
      /** True when a multi-line body follows this status line. */
      multiline: boolean;
      /** True for the greeting (the first line of the connection). */
      greeting: boolean;
      /** True when no command was waiting for this reply (the server spoke out of turn). */
      unsolicited: boolean;
      /** The line ended in a bare LF, not CRLF (RFC 1939 §3); absent when it ended in CRLF. */
      bareLf?: true;
    }
  | {
      type: 'body-line';
      /** The line with dot-stuffing removed (RFC 1939 §3), without its line ending. */
      bytes: Buffer;
      /** True when the wire line began with a stuffed "." that was removed. */
      stuffed: boolean;
      /** The line ended in a bare LF, not CRLF (RFC 1939 §3); absent when it ended in CRLF. */
      bareLf?: true;
    }
  | {
      /** The terminating "." line of a multi-line reply. */
      type: 'end';
      /** The line ended in a bare LF, not CRLF (RFC 1939 §3); absent when it ended in CRLF. */
      bareLf?: true;
    }
  | {
      type: 'error';
      code: 'line-too-long';
      message: string;
    };
