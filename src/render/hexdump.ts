/**
 * Hex view of raw bytes, as `xxd` and Wireshark lay it out: offset, sixteen octets in hex, and the
 * printable ASCII beside them ("." for anything else, so nothing the server sends reaches the
 * terminal as a control). Pure.
 */

/** Lines of a hex dump of `bytes`; `offset` numbers the first octet (a running count across chunks). */
export function hexDumpLines(bytes: Buffer, offset = 0): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(offset + i).toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines;
}
