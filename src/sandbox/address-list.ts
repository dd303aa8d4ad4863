/**
 * RFC 5322 §3.4 address lists (From, To, Cc, ...) parsed into the address structures of IMAP's
 * ENVELOPE (RFC 3501 §7.4.2): (name adl mailbox host), with RFC 2822 groups written as a start
 * marker (NIL NIL group-name NIL) and an end marker (NIL NIL NIL NIL). Lenient, like the servers
 * clients talk to: what cannot be parsed is kept rather than dropped. Pure.
 */

/** One address structure of an ENVELOPE; null fields are NIL. */
export interface ImapAddress {
  name: string | null;
  /** The obsolete source route (RFC 5322 §4.4 obs-route), e.g. "@a.example,@b.example". */
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

type Token =
  | { kind: 'word'; text: string; quoted: boolean }
  | { kind: 'comment'; text: string }
  | { kind: 'special'; ch: string }
  | { kind: 'literal'; text: string };

/** Dovecot's placeholder for an address without a domain (a NIL host would mean a group). */
const MISSING_DOMAIN = 'MISSING_DOMAIN';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      i++;
    } else if (ch === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'word', text: s, quoted: true });
    } else if (ch === '(') {
      let depth = 1;
      let s = '';
      i++;
      while (i < text.length && depth > 0) {
        const c = text[i] as string;
        if (c === '\\' && i + 1 < text.length) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '(') depth++;
        if (c === ')') depth--;
        if (depth > 0) s += c;
        i++;
      }
      tokens.push({ kind: 'comment', text: s.trim() });
    } else if (ch === '[') {
      const close = text.indexOf(']', i);
      const stop = close === -1 ? text.length : close + 1;
      tokens.push({ kind: 'literal', text: text.slice(i, stop) });
      i = stop;
    } else if ('<>@,;:.'.includes(ch)) {
      tokens.push({ kind: 'special', ch });
      i++;
    } else {
      let s = '';
      while (i < text.length && !' \t\r\n"(<>@,;:.['.includes(text[i] as string)) s += text[i++];
      // A stray ")" or "]" would otherwise loop for ever; it becomes part of the word.
      if (s === '') s = text[i++] as string;
      tokens.push({ kind: 'word', text: s, quoted: false });
    }
  }
  return tokens;
}

/** Words and dots of a local part or domain, joined as written ("john.q.public", "example.com"). */
function dotted(tokens: Token[]): string {
  return tokens
    .map((t) => (t.kind === 'word' ? (t.quoted && !/^[^\s"\\]*$/.test(t.text) ? `"${t.text}"` : t.text) : t.kind === 'special' ? t.ch : t.kind === 'literal' ? t.text : ''))
    .join('');
}

/** A display name: its words joined by single spaces (RFC 5322 §3.2.5 phrase); null when empty. */
function phrase(tokens: Token[]): string | null {
  const words = tokens.flatMap((t) => (t.kind === 'word' ? [t.text] : t.kind === 'special' && t.ch === '.' ? ['.'] : []));
  if (words.length === 0) return null;
  return words.join(' ').replace(/ \. /g, '. ').replace(/ \.$/, '.');
}

/** addr-spec (local@domain) tokens into mailbox and host. */
function addrSpec(tokens: Token[]): { mailbox: string | null; host: string | null } {
  const content = tokens.filter((t) => t.kind !== 'comment');
  let at = -1;
  for (let i = content.length - 1; i >= 0; i--) {
    const t = content[i];
    if (t?.kind === 'special' && t.ch === '@') {
      at = i;
      break;
    }
  }
  if (at === -1) {
    const local = dotted(content);
    return { mailbox: local === '' ? null : local, host: local === '' ? null : MISSING_DOMAIN };
  }
  const host = dotted(content.slice(at + 1));
  return { mailbox: dotted(content.slice(0, at)), host: host === '' ? MISSING_DOMAIN : host };
}

function lastComment(tokens: Token[]): string | null {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t?.kind === 'comment' && t.text !== '') return t.text;
  }
  return null;
}

/** One mailbox (RFC 5322 §3.4): `name <addr>`, `<addr>`, `addr`, `addr (comment)`, obs-route included. */
function mailbox(tokens: Token[]): ImapAddress | null {
  const open = tokens.findIndex((t) => t.kind === 'special' && t.ch === '<');
  if (open !== -1) {
    let close = tokens.findIndex((t, i) => i > open && t.kind === 'special' && t.ch === '>');
    if (close === -1) close = tokens.length;
    let inner = tokens.slice(open + 1, close);
    let adl: string | null = null;
    // obs-route: "<@a.example,@b.example:user@host>"
    const colon = inner.findIndex((t) => t.kind === 'special' && t.ch === ':');
    if (colon !== -1 && inner[0]?.kind === 'special' && inner[0].ch === '@') {
      adl = dotted(inner.slice(0, colon));
      inner = inner.slice(colon + 1);
    }
    const { mailbox: local, host } = addrSpec(inner);
    const name = phrase(tokens.slice(0, open)) ?? lastComment(tokens.slice(0, open));
    if (local === null && name === null) return null;
    return { name, adl, mailbox: local, host };
  }
  const { mailbox: local, host } = addrSpec(tokens);
  if (local === null) return null;
  // "user@host (Real Name)": the comment is the only name there is, and clients show it.
  return { name: lastComment(tokens), adl: null, mailbox: local, host };
}

/** Splits at top-level commas (not inside <...>). */
function splitAt(tokens: Token[], sep: string): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let angle = 0;
  for (const t of tokens) {
    if (t.kind === 'special' && t.ch === '<') angle++;
    if (t.kind === 'special' && t.ch === '>') angle = Math.max(0, angle - 1);
    if (angle === 0 && t.kind === 'special' && t.ch === sep) {
      out.push(current);
      current = [];
      continue;
    }
    current.push(t);
  }
  out.push(current);
  return out;
}

/**
 * Parses an address list into IMAP address structures. A group `name: a, b;` becomes the group
 * start marker, its members, and the end marker (RFC 3501 §7.4.2).
 */
export function parseAddressList(text: string): ImapAddress[] {
  const tokens = tokenize(text);
  const out: ImapAddress[] = [];
  let i = 0;
  while (i < tokens.length) {
    // A group is a phrase followed by ":" before any "<", "@" or ",".
    let j = i;
    let group = -1;
    while (j < tokens.length) {
      const t = tokens[j] as Token;
      if (t.kind === 'special' && t.ch === ':') {
        group = j;
        break;
      }
      if (t.kind === 'special' && (t.ch === '<' || t.ch === '@' || t.ch === ',')) break;
      j++;
    }
    if (group !== -1) {
      let end = tokens.findIndex((t, k) => k > group && t.kind === 'special' && t.ch === ';');
      if (end === -1) end = tokens.length;
      out.push({ name: null, adl: null, mailbox: phrase(tokens.slice(i, group)) ?? '', host: null });
      for (const member of splitAt(tokens.slice(group + 1, end), ',')) {
        const address = mailbox(member);
        if (address) out.push(address);
      }
      out.push({ name: null, adl: null, mailbox: null, host: null });
      i = end + 1;
      if (tokens[i]?.kind === 'special' && (tokens[i] as { ch: string }).ch === ',') i++;
      continue;
    }
    let end = i;
    let angle = 0;
    while (end < tokens.length) {
      const t = tokens[end] as Token;
      if (t.kind === 'special' && t.ch === '<') angle++;
      if (t.kind === 'special' && t.ch === '>') angle = Math.max(0, angle - 1);
      if (angle === 0 && t.kind === 'special' && t.ch === ',') break;
      end++;
    }
    const address = mailbox(tokens.slice(i, end));
    if (address) out.push(address);
    i = end + 1;
  }
  return out;
}
