/**
 * FETCH's structured items, built from the parsed message as IMAP values: ENVELOPE (RFC 3501
 * §7.4.2, the header fields a client shows in a message list) and BODY / BODYSTRUCTURE (the MIME
 * tree, without or with the extension data). Values are serialized by the shared IMAP value
 * serializer, so strings are quoted or sent as literals by the same rules everywhere. Pure.
 */
import { parseAddressList, type ImapAddress } from './address-list.js';
import { fieldText, findField, parseHeaderWithParams, type HeaderField, type MimePart } from './mime-message.js';
import { list, NIL, nstr, num, run, str, type ResponseValue } from './response-values.js';

function address(a: ImapAddress): ResponseValue {
  return list([nstr(a.name), nstr(a.adl), nstr(a.mailbox), nstr(a.host)]);
}

function addressField(fields: readonly HeaderField[], name: string): ImapAddress[] {
  const field = findField(fields, name);
  if (!field || field.value.length === 0) return [];
  return parseAddressList(fieldText(field.value));
}

function addressList(addresses: ImapAddress[]): ResponseValue {
  // RFC 3501 §9: env-from = "(" 1*address ")", no blanks between addresses.
  return addresses.length === 0 ? NIL : list(addresses.map(address), true);
}

function fieldValue(fields: readonly HeaderField[], name: string): ResponseValue {
  const field = findField(fields, name);
  return field ? str(field.value) : NIL;
}

/**
 * RFC 3501 §7.4.2 ENVELOPE: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to,
 * message-id. Sender and reply-to default to from when absent ("the server MUST default").
 * Encoded words stay encoded: decoding is the client's business.
 */
export function envelope(fields: readonly HeaderField[]): ResponseValue {
  const from = addressField(fields, 'from');
  const sender = addressField(fields, 'sender');
  const replyTo = addressField(fields, 'reply-to');
  return list([
    fieldValue(fields, 'date'),
    fieldValue(fields, 'subject'),
    addressList(from),
    addressList(sender.length > 0 ? sender : from),
    addressList(replyTo.length > 0 ? replyTo : from),
    addressList(addressField(fields, 'to')),
    addressList(addressField(fields, 'cc')),
    addressList(addressField(fields, 'bcc')),
    fieldValue(fields, 'in-reply-to'),
    fieldValue(fields, 'message-id'),
  ]);
}

function paramList(params: readonly [string, string][]): ResponseValue {
  return params.length === 0 ? NIL : list(params.flatMap(([k, v]) => [str(k), str(v)]));
}

function fieldTextOf(part: MimePart, name: string): string | null {
  const field = findField(part.fields, name);
  return field ? fieldText(field.value) : null;
}

/** body-fld-dsp: ("attachment" ("filename" "x")) or NIL (RFC 2183 via RFC 3501 §9). */
function disposition(part: MimePart): ResponseValue {
  const text = fieldTextOf(part, 'content-disposition');
  if (text === null) return NIL;
  const parsed = parseHeaderWithParams(text);
  if (parsed.value === '') return NIL;
  return list([str(parsed.value), paramList(parsed.params)]);
}

/** body-fld-lang: one language as a string, several as a list (RFC 3066 tags, comma-separated). */
function language(part: MimePart): ResponseValue {
  const text = fieldTextOf(part, 'content-language');
  if (text === null) return NIL;
  const tags = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tags.length === 0) return NIL;
  return tags.length === 1 ? str(tags[0] as string) : list(tags.map(str));
}

/**
 * BODY (extended = false) or BODYSTRUCTURE (extended = true) of a part, RFC 3501 §7.4.2:
 * - multipart: the parts, then the subtype; extended adds parameters, disposition, language, location;
 * - message/rfc822: the basic fields, then the encapsulated message's ENVELOPE, BODY and line count;
 * - text/*: the basic fields and the line count;
 * - anything else: the basic fields (type, subtype, parameters, id, description, encoding, size);
 * extended single parts add MD5, disposition, language and location.
 */
export function bodyStructure(part: MimePart, extended: boolean): ResponseValue {
  if (part.type.toLowerCase() === 'multipart') {
    // RFC 3501 §9: body-type-mpart = 1*body SP media-subtype: the bodies follow each other without blanks.
    const items: ResponseValue[] = [run(part.children.map((child) => bodyStructure(child, extended))), str(part.subtype)];
    if (extended) items.push(paramList(part.params), disposition(part), language(part), nstr(fieldTextOf(part, 'content-location')));
    return list(items);
  }
  const encoding = fieldTextOf(part, 'content-transfer-encoding');
  const items: ResponseValue[] = [
    str(part.type),
    str(part.subtype),
    paramList(part.params),
    nstr(fieldTextOf(part, 'content-id')),
    nstr(fieldTextOf(part, 'content-description')),
    // RFC 2045 §6.1: "7BIT" when Content-Transfer-Encoding is absent.
    str(encoding === null || encoding === '' ? '7BIT' : encoding),
    num(part.bodyEnd - part.bodyStart),
  ];
  const type = part.type.toLowerCase();
  if (part.message) {
    items.push(envelope(part.message.fields), bodyStructure(part.message, extended), num(part.bodyLines));
  } else if (type === 'text') {
    items.push(num(part.bodyLines));
  }
  if (extended) items.push(nstr(fieldTextOf(part, 'content-md5')), disposition(part), language(part), nstr(fieldTextOf(part, 'content-location')));
  return list(items);
}
