/**
 * A literal's marker at the end of a line or word (RFC 3501 §4.3 `{n}`, RFC 7888 `{n+}` and `{n-}`,
 * RFC 3516 `~{n}`), as the explanations read it: the session explainer to count the octets that
 * follow, the line explainers to say what the marker announces. Pure.
 */

/** At most 15 digits: a larger count is no count a transcript's octets could be checked against. */
const LITERAL_AT_END = /~?\{(\d{1,15})([+-]?)\}$/;

export interface LiteralAtEnd {
  size: number;
  /** A synchronizing literal: the client waits for "+" before sending it. */
  sync: boolean;
  /** Characters of the marker: the whole text when it is nothing else. */
  length: number;
}

/** The marker `text` ends in, or null. Only the end is searched: a marker is a few characters long. */
export function literalAtEnd(text: string): LiteralAtEnd | null {
  const m = LITERAL_AT_END.exec(text.slice(-24));
  return m ? { size: Number(m[1]), sync: m[2] === '', length: m[0].length } : null;
}
