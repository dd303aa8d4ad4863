/**
 * The escapes of `.raw` (the shell's, and a script's), so any octet can be typed: `\r`, `\n`, `\t`,
 * `\0`, `\\` and `\xNN` (two hex digits). Everything else is sent as its UTF-8 octets, and nothing
 * is added: no CRLF unless typed. Pure.
 */
import { MailwireError } from '../errors.js';

const SIMPLE: Readonly<Record<string, number>> = { r: 0x0d, n: 0x0a, t: 0x09, '0': 0x00, '\\': 0x5c };

/**
 * Turns escaped text into the octets it stands for.
 * @throws MailwireError('input') for an unknown escape or a bad `\x`
 */
export function parseRawEscapes(text: string): Buffer {
  const out: Buffer[] = [];
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\\') {
      plain += c;
      continue;
    }
    out.push(Buffer.from(plain, 'utf8'));
    plain = '';
    const e = text[i + 1];
    if (e === undefined) throw new MailwireError('input', 'raw: a "\\" at the end of the line escapes nothing (type \\\\ for a backslash)');
    if (e === 'x' || e === 'X') {
      const hex = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new MailwireError('input', `raw: "\\x" needs two hex digits, got "${hex}"`);
      out.push(Buffer.from([parseInt(hex, 16)]));
      i += 3;
      continue;
    }
    const byte = SIMPLE[e];
    if (byte === undefined) throw new MailwireError('input', `raw: unknown escape "\\${e}" (known: \\r \\n \\t \\0 \\\\ \\xNN)`);
    out.push(Buffer.from([byte]));
    i += 1;
  }
  out.push(Buffer.from(plain, 'utf8'));
  return Buffer.concat(out);
}
