/**
 * What the IMAP framer yields. A response (or a client command) is one or more text segments, each
 * ended by CRLF on the wire; a segment that ends in a literal marker (`{n}`, `~{n}`, `{n+}`, `{n-}`)
 * is followed by exactly n octets of literal data, then the next segment of the same response.
 * Literal data is handed out in pieces as it arrives: a literal of any size streams through.
 */

/** A literal marker at the end of a segment (RFC 3501 §4.3, RFC 3516 `~{n}`, RFC 7888 `{n+}`/`{n-}`). */
export interface LiteralMarker {
  /** Announced octet count. Always a safe integer; larger announcements are a framing error. */
  size: number;
  /** `~{n}`: a binary literal (RFC 3516), which may contain NUL. */
  binary: boolean;
  /** `{n+}` (LITERAL+) or `{n-}` (LITERAL-): the sender does not wait for a continuation request. */
  nonSynchronizing: boolean;
}

export type ImapFrame =
  | {
      type: 'segment';
      /** The segment's bytes without its line ending (CRLF, or a bare LF, which is tolerated). */
      bytes: Buffer;
      /** True for the first segment of a response/command: the one carrying the tag. */
      first: boolean;
      /** The literal announced at the end of this segment, or null when the response ends here. */
      literal: LiteralMarker | null;
      /** True when the line ended in a bare LF instead of CRLF (worth a lint warning, not fatal). */
      bareLf: boolean;
    }
  | {
      type: 'literal-data';
      /** A piece of the literal; pieces of one literal add up to exactly its announced size. */
      bytes: Buffer;
    }
  | {
      type: 'literal-end';
      size: number;
    }
  | {
      type: 'error';
      code: 'line-too-long' | 'literal-too-large';
      /** One human sentence, e.g. "server line exceeds 16777216 octets without CRLF". */
      message: string;
    };
