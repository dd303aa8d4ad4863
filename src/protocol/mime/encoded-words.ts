/**
 * MIME encoded-words (RFC 2047): `=?charset?B?...?=` and `=?charset?Q?...?=` in header text such as a
 * Subject or the display name of an address, which IMAP's ENVELOPE hands over undecoded (RFC 3501
 * §7.4.2). Pure; charsets are whatever the WHATWG Encoding Standard knows (TextDecoder).
 */
import { TextDecoder } from 'node:util';

/** RFC 2047 §2 and RFC 2231 §5 (`charset*language`); the text may not contain "?" or white space. */
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g;

export interface DecodedHeaderText {
  text: string;
  /** At least one encoded-word was decoded. */
  decoded: boolean;
}

interface Word {
  start: number;
  end: number;
  charset: string;
  bytes: Buffer;
}

/**
 * Decodes the encoded-words in `text`. White space between two adjacent encoded-words is dropped
 * (RFC 2047 §6.2), and adjacent words in the same charset are joined before decoding, since mailers
 * split a multi-octet character across two words although §5 forbids it. A word in a charset the
 * platform does not know, or with bad encoding, is left as it is.
 */
export function decodeEncodedWords(text: string): DecodedHeaderText {
  // RFC 2047 §2: every encoded-word starts so; most header text holds none.
  if (!text.includes('=?')) return { text, decoded: false };
  const words: Word[] = [];
  // exec on the one pattern, not matchAll, which copies the pattern at every call.
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(text); m !== null; m = ENCODED_WORD.exec(text)) {
    const bytes = decodeWordBytes((m[2] as string).toUpperCase() as 'B' | 'Q', m[3] as string);
    if (bytes === null || decoderFor(m[1] as string) === null) continue;
    words.push({ start: m.index, end: m.index + m[0].length, charset: (m[1] as string).toLowerCase(), bytes });
  }
  if (words.length === 0) return { text, decoded: false };
  let out = '';
  let at = 0;
  let i = 0;
  while (i < words.length) {
    const first = words[i] as Word;
    out += text.slice(at, first.start);
    // Gather the run of adjacent words (only white space between them) in one charset.
    const bytes = [first.bytes];
    let last = first;
    let j = i + 1;
    while (j < words.length) {
      const next = words[j] as Word;
      if (!/^[ \t\r\n]*$/.test(text.slice(last.end, next.start))) break;
      if (next.charset !== first.charset) {
        // Still adjacent: the white space between them goes, the words decode separately.
        break;
      }
      bytes.push(next.bytes);
      last = next;
      j++;
    }
    out += (decoderFor(first.charset) as TextDecoder).decode(bytes.length === 1 ? first.bytes : Buffer.concat(bytes));
    at = last.end;
    const next = words[j];
    if (next && /^[ \t\r\n]*$/.test(text.slice(at, next.start))) at = next.start;
    i = j;
  }
  return { text: out + text.slice(at), decoded: true };
}

/** B (base64, RFC 2047 §4.1) or Q (§4.2: "_" is a space, "=XX" an octet). Null when malformed. */
function decodeWordBytes(encoding: 'B' | 'Q', data: string): Buffer | null {
  if (encoding === 'B') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return null;
    return Buffer.from(data, 'base64');
  }
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as string;
    if (c === '_') out.push(0x20);
    else if (c === '=') {
      const hex = data.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(c.charCodeAt(0) & 0xff);
  }
  return Buffer.from(out);
}

const decoders = new Map<string, TextDecoder | null>();

function decoderFor(charset: string): TextDecoder | null {
  const key = charset.toLowerCase();
  if (!decoders.has(key)) {
    let decoder: TextDecoder | null;
    try {
      decoder = new TextDecoder(key);
    } catch {
      decoder = null;
    }
    decoders.set(key, decoder);
  }
  return decoders.get(key) ?? null;
}
