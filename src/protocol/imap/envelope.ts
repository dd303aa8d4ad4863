/**
 * FETCH ENVELOPE (RFC 3501 §7.4.2): the parsed header fields of a message as IMAP values, read into
 * a typed object, and shown with their MIME encoded-words decoded (RFC 2047). Pure.
 */
import { decodeEncodedWords } from '../mime/encoded-words.js';
import { plainText as nstringText, type PlainValue } from './plain-values.js';

/** RFC 3501 §9 `address`: `(addr-name addr-adl addr-mailbox addr-host)`. */
export interface EnvelopeAddress {
  name: string | null;
  /** Source route (obsolete, RFC 822 §6.2.7). */
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[];
  sender: EnvelopeAddress[];
  replyTo: EnvelopeAddress[];
  to: EnvelopeAddress[];
  cc: EnvelopeAddress[];
  bcc: EnvelopeAddress[];
  inReplyTo: string | null;
  messageId: string | null;
}


function addresses(v: PlainValue | undefined): EnvelopeAddress[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v)) return undefined;
  const out: EnvelopeAddress[] = [];
  for (const item of v) {
    if (!Array.isArray(item) || item.length !== 4) return undefined;
    const name = nstringText(item[0]);
    const adl = nstringText(item[1]);
    const mailbox = nstringText(item[2]);
    const host = nstringText(item[3]);
    if (name === undefined || adl === undefined || mailbox === undefined || host === undefined) return undefined;
    out.push({ name, adl, mailbox, host });
  }
  return out;
}

/** Reads an ENVELOPE value (plain-values.ts); null when it does not have the RFC 3501 shape. */
export function parseEnvelope(v: PlainValue): Envelope | null {
  if (!Array.isArray(v) || v.length !== 10) return null;
  const it = v;
  const date = nstringText(it[0]);
  const subject = nstringText(it[1]);
  const inReplyTo = nstringText(it[8]);
  const messageId = nstringText(it[9]);
  if (date === undefined || subject === undefined || inReplyTo === undefined || messageId === undefined) return null;
  const from = addresses(it[2]);
  const sender = addresses(it[3]);
  const replyTo = addresses(it[4]);
  const to = addresses(it[5]);
  const cc = addresses(it[6]);
  const bcc = addresses(it[7]);
  if (!from || !sender || !replyTo || !to || !cc || !bcc) return null;
  return { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId };
}

/**
 * One address list as a person writes it, display names decoded: `André <andre@example.org>`.
 * RFC 3501 §7.4.2 group syntax: a NIL host starts a group named by the mailbox (`team:`), and an
 * address with NIL mailbox and host ends it (`;`).
 */
export function formatAddresses(list: readonly EnvelopeAddress[]): { text: string; decoded: boolean } {
  let decoded = false;
  const parts: string[] = [];
  let inGroup = false;
  let groupMembers = 0;
  for (const a of list) {
    if (a.host === null) {
      if (a.mailbox === null) {
        if (inGroup) parts.push(';');
        inGroup = false;
      } else {
        const group = decodeEncodedWords(a.mailbox);
        decoded ||= group.decoded;
        parts.push(`${parts.length > 0 ? ', ' : ''}${group.text}:`);
        inGroup = true;
        groupMembers = 0;
      }
      continue;
    }
    const spec = `${a.mailbox ?? ''}@${a.host}`;
    const sep = parts.length === 0 ? '' : inGroup && groupMembers === 0 ? ' ' : ', ';
    if (inGroup) groupMembers++;
    if (a.name === null || a.name === '') {
      parts.push(`${sep}${spec}`);
      continue;
    }
    const name = decodeEncodedWords(a.name);
    decoded ||= name.decoded;
    parts.push(`${sep}${name.text} <${spec}>`);
  }
  return { text: parts.join(''), decoded };
}

/** RFC 2047 §2: every encoded-word starts so. */
const ENCODED_WORD_START = '=?';

function sameAddresses(a: readonly EnvelopeAddress[], b: readonly EnvelopeAddress[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i] as EnvelopeAddress;
      return x.name === y.name && x.adl === y.adl && x.mailbox === y.mailbox && x.host === y.host;
    })
  );
}

/** The address fields of an ENVELOPE in its order (RFC 3501 §7.4.2), as the lines name them. */
const ADDRESS_FIELDS: ReadonlyArray<readonly [string, 'from' | 'sender' | 'replyTo' | 'to' | 'cc' | 'bcc']> = [
  ['from', 'from'],
  ['sender', 'sender'],
  ['reply-to', 'replyTo'],
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
];

/** Whether a display name, or a group's name, in the list holds the start of an encoded-word. */
function hasEncodedName(list: readonly EnvelopeAddress[]): boolean {
  for (const a of list) {
    if (a.name?.includes(ENCODED_WORD_START) || (a.host === null && a.mailbox?.includes(ENCODED_WORD_START))) return true;
  }
  return false;
}

/**
 * What an ENVELOPE says once its encoded-words are decoded: one line per field that had any
 * (`subject: Grüße`, `from: André <andre@example.org>`); none when nothing was encoded.
 */
export function envelopeDecodedLines(env: Envelope): string[] {
  const lines: string[] = [];
  if (env.subject !== null) {
    const subject = decodeEncodedWords(env.subject);
    if (subject.decoded) lines.push(`subject: ${subject.text}`);
  }
  for (const [label, field] of ADDRESS_FIELDS) {
    const list = env[field];
    // Only display names and group names are decoded: a list without an encoded-word in them has no line.
    if (!hasEncodedName(list)) continue;
    // RFC 3501 §7.4.2: the server fills sender and reply-to from "from" when the header is absent.
    if ((label === 'sender' || label === 'reply-to') && sameAddresses(list, env.from)) continue;
    const formatted = formatAddresses(list);
    if (formatted.decoded) lines.push(`${label}: ${formatted.text}`);
  }
  return lines;
}
