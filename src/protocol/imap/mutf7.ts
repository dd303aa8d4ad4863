/**
 * Modified UTF-7, the IMAP4rev1 encoding of international mailbox names (RFC 3501 §5.1.3): printable
 * US-ASCII stands for itself, "&" is written "&-", and any other run of characters is "&", their
 * UTF-16BE code units in BASE64 with "," instead of "/" and without padding, then "-". Servers send
 * names this way in LIST, LSUB and STATUS unless UTF8=ACCEPT is enabled (RFC 6855). Pure.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when decoding changes `name`: it holds an "&", which starts a shift sequence or is written
 * "&-" for an "&" itself ("Tom &- Jerry" is "Tom & Jerry", which a reader should be told).
 */
export function hasModifiedUtf7Shift(name: string): boolean {
  return name.includes('&');
}

/**
 * Decodes a mailbox name from modified UTF-7. Returns null when the name is not well-formed modified
 * UTF-7 (RFC 3501 §5.1.3: a bad BASE64 character, leftover bits that are not zero, a lone surrogate,
 * or a shifted run of characters that could have been written directly, such as "&AGE-" for "a"):
 * a server that sends such a name sends it as is, and a guessed decoding would mislead.
 */
export function decodeModifiedUtf7(name: string): string | null {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name[i] as string;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) return null;
    if (c !== '&') {
      out += c;
      i++;
      continue;
    }
    const end = name.indexOf('-', i + 1);
    if (end < 0) return null;
    const run = name.slice(i + 1, end);
    i = end + 1;
    if (run === '') {
      out += '&';
      continue;
    }
    const decoded = decodeRun(run);
    if (decoded === null) return null;
    out += decoded;
  }
  return out;
}

/** One shifted run: modified BASE64 of UTF-16BE. */
function decodeRun(run: string): string | null {
  let bits = 0;
  let value = 0;
  const units: number[] = [];
  for (const c of run) {
    const v = VALUE.get(c);
    if (v === undefined) return null;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 16) {
      bits -= 16;
      units.push((value >> bits) & 0xffff);
      value &= (1 << bits) - 1;
    }
  }
  // What is left must be fewer than 6 zero bits of padding.
  if (bits >= 6 || value !== 0 || units.length === 0) return null;
  const text = String.fromCharCode(...units);
  // RFC 3501 §5.1.3: printable US-ASCII "MUST NOT" be encoded; lone surrogates are not characters.
  if (/[\x20-\x7e]/.test(text) || LONE_SURROGATE.test(text)) return null;
  return text;
}

/** Encodes a mailbox name in modified UTF-7 (what a server expects when UTF8=ACCEPT is not enabled). */
export function encodeModifiedUtf7(name: string): string {
  let out = '';
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    out += `&${encodeRun(pending)}-`;
    pending = '';
  };
  for (const c of name) {
    const code = c.codePointAt(0) as number;
    if (code >= 0x20 && code <= 0x7e) {
      flush();
      out += c === '&' ? '&-' : c;
    } else {
      pending += c;
    }
  }
  flush();
  return out;
}

function encodeRun(text: string): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    value = (value << 16) | text.charCodeAt(i);
    bits += 16;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(value >> bits) & 0x3f];
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (6 - bits)) & 0x3f];
  return out;
}
