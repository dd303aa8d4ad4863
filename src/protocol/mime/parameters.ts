/**
 * MIME parameter values as a person reads them: RFC 2231 continuations (`name*0`, `name*1`) joined and
 * extended values (`name*=utf-8''%E2%82%AC.pdf`) decoded, and the RFC 2047 encoded-words that mailers
 * put in quoted values against the rules (`name="=?UTF-8?B?...?="`) decoded too. Pure.
 */
import { TextDecoder } from 'node:util';
import { decodeEncodedWords } from './encoded-words.js';

export interface DecodedParameter {
  name: string;
  value: string;
  /** The value was changed by decoding (so the raw form is worth comparing). */
  decoded: boolean;
}

const SECTION = /^(.+?)\*(\d+)(\*?)$/;
const EXTENDED = /^(.+?)\*$/;

interface Pieces {
  /** By section number; `extended` says whether the piece is percent-encoded. */
  parts: Map<number, { value: string; extended: boolean }>;
}

/** Decodes parameters given as (attribute, value) pairs in their order of appearance. */
export function decodeParameters(pairs: ReadonlyArray<readonly [string, string]>): DecodedParameter[] {
  const out: DecodedParameter[] = [];
  const continued = new Map<string, Pieces>();
  for (const [rawName, value] of pairs) {
    // RFC 2231 §3, §4: continuations and extended values are marked by "*" in the name.
    const section = rawName.includes('*') ? SECTION.exec(rawName) : null;
    if (section) {
      const name = (section[1] as string).toLowerCase();
      let pieces = continued.get(name);
      if (!pieces) {
        pieces = { parts: new Map() };
        continued.set(name, pieces);
        out.push({ name, value: '', decoded: true });
      }
      pieces.parts.set(Number(section[2]), { value, extended: section[3] === '*' });
      continue;
    }
    const extended = rawName.includes('*') ? EXTENDED.exec(rawName) : null;
    if (extended) {
      out.push({ name: (extended[1] as string).toLowerCase(), value: decodeExtended(value) ?? value, decoded: true });
      continue;
    }
    const words = decodeEncodedWords(value);
    out.push({ name: rawName.toLowerCase(), value: words.text, decoded: words.decoded });
  }
  for (const p of out) {
    const pieces = continued.get(p.name);
    if (!pieces || p.value !== '' || !p.decoded) continue;
    p.value = joinSections(pieces);
  }
  return out;
}

/** RFC 2231 §4.1: only the first section carries charset'language'; later extended ones are %XX only. */
function joinSections(pieces: Pieces): string {
  const order = [...pieces.parts.keys()].sort((a, b) => a - b);
  let charset = 'utf-8';
  const bytes: Buffer[] = [];
  for (const n of order) {
    const piece = pieces.parts.get(n) as { value: string; extended: boolean };
    if (!piece.extended) {
      bytes.push(Buffer.from(piece.value, 'utf8'));
      continue;
    }
    let text = piece.value;
    if (n === 0) {
      const m = /^([^']*)'[^']*'(.*)$/.exec(text);
      if (m) {
        charset = m[1] || charset;
        text = m[2] as string;
      }
    }
    bytes.push(percentDecode(text));
  }
  return decodeBytes(Buffer.concat(bytes), charset);
}

/** `charset'language'%XX...` (RFC 2231 §4); null when it has not that shape. */
function decodeExtended(value: string): string | null {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!m) return null;
  return decodeBytes(percentDecode(m[2] as string), m[1] || 'utf-8');
}

function percentDecode(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(out);
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
