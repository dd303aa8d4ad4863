/**
 * A transcript file written to attack a page made from it: markup in every place a file's text can
 * reach a handout (title, source, notes, client and server lines, a literal, a remark line, the file
 * name), terminal escape sequences, NUL, bidi overrides and bytes that are not UTF-8. As bytes, the way
 * a file on disk holds it.
 */

/** A file name that is markup itself (legal on POSIX file systems: it has no "/"). */
export const HOSTILE_FILE_NAME = '"><img src=x onerror=alert(6)>.txt';

const text = (s: string) => Buffer.from(s, 'utf8');

export const HOSTILE_TRANSCRIPT: Buffer = Buffer.concat([
  text("# title: <script>alert('title')</script>\n"),
  text('# source: "><img src=x onerror=alert(1)>\n'),
  text('# note: </style><script>alert(3)</script></li></ul><b>bold?</b>\n'),
  text('# protocol: imap\n'),
  text('S: * OK [ALERT] <script>alert(1)</script> '),
  Buffer.from([0x1b]),
  text('[31mred'),
  Buffer.from([0x1b]),
  text(']0;pwned'),
  Buffer.from([0x07]),
  text(' NUL:'),
  Buffer.from([0x00]),
  text(' bad:'),
  Buffer.from([0xff, 0xfe, 0xc3]),
  text(' end\n'),
  text('C: A1 LOGIN "\\"><img src=x onerror=alert(2)>" \u202eevil\n'),
  text("S: A1 OK <iframe src=javascript:alert(4)></iframe> &amp; ' \" done\n"),
  text('<svg onload=alert(5)>\n'),
  text('C: A2 FETCH 1 BODY[]\n'),
  text('S: * 1 FETCH (BODY[] {23}\n'),
  text('S: <script>x()</script>\n'),
  text('S: )\n'),
  text('S: A2 OK done\n'),
]);

/** What the escaped bytes must read as on the page (as text, HTML-escaped), as the terminal shows them. */
export const HOSTILE_SHOWN_AS = ['\\x1b[31mred', '\\x1b]0;pwned\\x07', 'NUL:\\x00', 'bad:\\xff\\xfe\\xc3', '\\u{202e}evil'];
