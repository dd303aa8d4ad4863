// A second floor of the FETCH ENVELOPE BODYSTRUCTURE rows: the least a Node.js program does to
// print what mailwire prints from the same replies, written straight for them. Each server line with
// "S: ", and after each FETCH response its decoded views: the ENVELOPE's fields with RFC 2047
// encoded-words, decoded; the BODYSTRUCTURE as a tree of sections. With --no-decode, the lines alone.
// Like bench/node-copy-client.mjs it sends the whole script at once and reads until the server closes.
// What mailwire costs above this is its own: start-up, the session, its checks of hostile input.
// It reads what the bench's Dovecot sends (every response on one line, no literals, no "\" in a
// quoted string) and stops with an error on anything else, so a floor that skipped work cannot pass.
// Usage: node bench/node-views-client.mjs PORT [--no-decode] < script
import { connect } from 'node:net';
import { TextDecoder } from 'node:util';

const [port, option] = process.argv.slice(2);
const views = option !== '--no-decode';

/** Octets that end an atom: RFC 3501 §9 atom-specials, but not "\\", which starts a flag (\\Seen). */
const ENDS_ATOM = new Uint8Array(256);
for (const c of ' ()[]{"%*') ENDS_ATOM[c.charCodeAt(0)] = 1;
for (let c = 0; c < 0x20; c++) ENDS_ATOM[c] = 1;
ENDS_ATOM[0x7f] = 1;

/** The response being read, and the position in it. */
let text = '';
let at = 0;

function fail(what) {
  throw new Error(`${what} at ${at}: ${text.slice(0, 80)}`);
}

/** One IMAP value: a list as an array, a quoted string or atom as a string, a number, NIL as null. */
function value() {
  const c = text.charCodeAt(at);
  if (c === 0x28) {
    at++;
    const list = [];
    for (;;) {
      while (text.charCodeAt(at) === 0x20) at++;
      if (text.charCodeAt(at) === 0x29) {
        at++;
        return list;
      }
      if (at >= text.length) fail('unterminated list');
      list.push(value());
    }
  }
  if (c === 0x22) {
    const close = text.indexOf('"', at + 1);
    if (close < 0) fail('unterminated string');
    const s = text.slice(at + 1, close);
    if (s.includes('\\')) fail('escaped quoted string');
    at = close + 1;
    return ascii(s) ? s : Buffer.from(s, 'latin1').toString('utf8');
  }
  if (c === 0x7b) fail('literal');
  const start = at;
  while (at < text.length && ENDS_ATOM[text.charCodeAt(at)] !== 1) at++;
  if (at === start) fail('empty atom');
  const atom = text.slice(start, at);
  if (atom.length === 3 && atom.toUpperCase() === 'NIL') return null;
  return /^[0-9]+$/.test(atom) ? Number(atom) : atom;
}

const NOT_ASCII = /[^\x00-\x7f]/;
const ascii = (s) => !NOT_ASCII.test(s);
const CONTROL = /[\x00-\x1f\x7f]/g;
const escaped = (s) => s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const decoders = new Map();
function decoderFor(charset) {
  if (!decoders.has(charset)) {
    let decoder = null;
    try {
      decoder = new TextDecoder(charset);
    } catch {}
    decoders.set(charset, decoder);
  }
  return decoders.get(charset);
}

/** RFC 2047: encoded-words, with the white space between two of them (§6.2). */
const WORD = /=\?([^?\s*]+)\?([BbQq])\?([^?\s]*)\?=(?:[ \t]+(?==\?))?/g;

/** The text with its encoded-words decoded, or null when it held none. */
function decodeWords(s) {
  if (!s.includes('=?')) return null;
  let decoded = false;
  const out = s.replace(WORD, (word, charset, encoding, data) => {
    const decoder = decoderFor(charset.toLowerCase());
    if (decoder === null) return word;
    decoded = true;
    if (encoding === 'B' || encoding === 'b') return decoder.decode(Buffer.from(data, 'base64'));
    const octets = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return decoder.decode(Buffer.from(octets, 'latin1'));
  });
  return decoded ? out : null;
}

const sameAddress = (a, b) => a.length === b.length && a.every((x, i) => x.every((v, k) => v === b[i][k]));

/** RFC 3501 §7.4.2: an address list with a decoded display name, as `name <mailbox@host>, ...`. */
function addressLine(label, list, from) {
  if (!Array.isArray(list)) return '';
  if ((label === 'sender' || label === 'reply-to') && Array.isArray(from) && sameAddress(list, from)) return '';
  let decoded = false;
  const parts = [];
  for (const [name, , mailbox, host] of list) {
    const spec = `${mailbox ?? ''}@${host}`;
    const words = typeof name === 'string' && name !== '' ? decodeWords(name) : null;
    if (words !== null) decoded = true;
    parts.push(typeof name === 'string' && name !== '' ? `${words ?? name} <${spec}>` : spec);
  }
  return decoded ? `#   ${escaped(`${label}: ${parts.join(', ')}`)}\n` : '';
}

const ADDRESS_FIELDS = [['from', 2], ['sender', 3], ['reply-to', 4], ['to', 5], ['cc', 6], ['bcc', 7]];

function envelopeLines(envelope) {
  let out = '';
  const subject = typeof envelope[1] === 'string' ? decodeWords(envelope[1]) : null;
  if (subject !== null) out += `#   ${escaped(`subject: ${subject}`)}\n`;
  for (const [label, i] of ADDRESS_FIELDS) out += addressLine(label, envelope[i], envelope[2]);
  return out;
}

/** A parameter value as mailwire shows it: bare when a token, else quoted. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const shown = (v) => (TOKEN.test(v) ? v : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`);

function paramText(list) {
  let out = '';
  if (Array.isArray(list)) for (let i = 0; i + 1 < list.length; i += 2) out += `; ${list[i].toLowerCase()}=${shown(list[i + 1])}`;
  return out;
}

const dispositionText = (v) => (Array.isArray(v) && typeof v[0] === 'string' ? `, ${v[0].toLowerCase()}${paramText(v[1])}` : '');

/** RFC 3501 §7.4.2 and §6.4.5: one part's line, then its parts', labelled with their section numbers. */
function partLines(part, label, depth) {
  const head = `#   ${'  '.repeat(depth)}${label === null ? '' : `[${label}] `}`;
  if (Array.isArray(part[0])) {
    let i = 0;
    while (Array.isArray(part[i])) i++;
    let out = `${escaped(`${head}multipart/${part[i].toLowerCase()}${paramText(part[i + 1])}${dispositionText(part[i + 2])}`)}\n`;
    for (let k = 0; k < i; k++) out += partLines(part[k], label === null ? String(k + 1) : `${label}.${k + 1}`, depth + 1);
    return out;
  }
  const type = part[0].toLowerCase();
  let line = `${head}${type}/${part[1].toLowerCase()}${paramText(part[2])}`;
  if (typeof part[5] === 'string') line += `, ${part[5].toLowerCase()}`;
  if (typeof part[6] === 'number') line += `, ${part[6]} octet${part[6] === 1 ? '' : 's'}`;
  let extension = 7;
  if (type === 'text') {
    if (typeof part[7] === 'number') line += `, ${part[7]} line${part[7] === 1 ? '' : 's'}`;
    extension = 8;
  } else if (type === 'message') fail('message part');
  if (typeof part[3] === 'string') line += `, id ${part[3]}`;
  if (typeof part[4] === 'string') line += `, "${part[4]}"`;
  return `${escaped(`${line}${dispositionText(part[extension + 1])}`)}\n`;
}

const FETCH = /^\* ([0-9]+) FETCH \(/;

/** What is printed for one server line. */
function shownLine(line) {
  const out = `S: ${escaped(ascii(line) ? line : Buffer.from(line, 'latin1').toString('utf8'))}\n`;
  const fetch = views ? FETCH.exec(line) : null;
  if (fetch === null) return out;
  if (line.endsWith('}')) fail('literal');
  text = line;
  at = fetch[0].length;
  let shownViews = '';
  while (at < text.length && text.charCodeAt(at) !== 0x29) {
    const space = text.indexOf(' ', at);
    const name = text.slice(at, space);
    at = space + 1;
    const v = value();
    if (name === 'ENVELOPE') shownViews += envelopeLines(v);
    else if (name === 'BODYSTRUCTURE') shownViews += `#   BODYSTRUCTURE of message ${fetch[1]}:\n${partLines(v, Array.isArray(v[0]) ? null : '1', 1)}`;
    if (text.charCodeAt(at) === 0x20) at++;
  }
  return out + shownViews;
}

const script = [];
process.stdin.on('data', (chunk) => script.push(chunk));
process.stdin.on('end', () => {
  const socket = connect(Number(port), '127.0.0.1', () => socket.write(Buffer.concat(script)));
  let rest = '';
  socket.on('data', (chunk) => {
    const received = rest + chunk.toString('latin1');
    let out = '';
    let start = 0;
    for (let end = received.indexOf('\r\n'); end >= 0; end = received.indexOf('\r\n', start)) {
      out += shownLine(received.slice(start, end));
      start = end + 2;
    }
    rest = received.slice(start);
    process.stdout.write(out);
  });
  socket.on('error', (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
});
