/**
 * Decoding for SEARCH (RFC 3501 §6.4.4): header fields may hold RFC 2047 encoded words, and bodies
 * may be quoted-printable or base64 (RFC 2045 §6). A search for "understand" must find the subject
 * `=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=`, as it does on real servers. Pure.
 */

/** Decodes bytes in a charset; unknown charsets fall back to UTF-8 (then Latin-1 for invalid UTF-8). */
export function decodeCharset(bytes: Buffer, charset: string): string {
  const name = charset.trim().toLowerCase();
  if (name !== '' && name !== 'us-ascii' && name !== 'utf-8' && name !== 'utf8') {
    try {
      return new TextDecoder(name).decode(bytes);
    } catch {
      // Unknown to this Node build: fall through.
    }
  }
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') ? bytes.toString('latin1') : text;
}

/** RFC 2045 §6.7 quoted-printable (soft line breaks "=\r\n" removed). */
export function decodeQuotedPrintable(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '=') {
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      if (text[i + 1] === '\r' && text[i + 2] === '\n') {
        i += 2;
        continue;
      }
      if (text[i + 1] === '\n') {
        i += 1;
        continue;
      }
    }
    out.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(out);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words in a header value. Blanks between two adjacent encoded words are
 * dropped (RFC 2047 §6.2); everything else is kept as written.
 */
export function decodeEncodedWords(text: string): string {
  return text
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g, '$1')
    .replace(ENCODED_WORD, (_all, charset: string, encoding: string, data: string) => {
      // RFC 2231 §5: "charset*language" in an encoded word.
      const cs = charset.split('*')[0] ?? charset;
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, cs);
    });
}

/** A part body decoded by its Content-Transfer-Encoding (7bit, 8bit, binary: as they are). */
export function decodeTransferEncoding(body: Buffer, encoding: string): Buffer {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.toString('latin1'));
    default:
      return body;
  }
}

/** Case-insensitive substring match, as SEARCH's string criteria are (RFC 3501 §6.4.4). */
export function containsText(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}
