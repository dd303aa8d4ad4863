/**
 * What a wire line is, as spans with semantic roles, once it is known which part of the protocol it
 * is: a command or literal data from the client, a response's first segment, a segment after a
 * literal, a POP3 status line, a line of a multi-line reply or its terminator. The terminal renderer
 * knows the part from the session's events, a transcript reader from the explainer that followed the
 * session (SessionExplainer.lastPart); both classify a line here, so a line looks the same wherever it
 * is shown. Pure; the text must already be escaped (escape.ts).
 */
import type { Protocol } from '../session/events.js';
import {
  lexClientText,
  lexImapCommand,
  lexImapContinuedSegment,
  lexImapResponse,
  lexPop3Command,
  lexPop3Status,
} from './lexers.js';
import type { Span } from './roles.js';

/** What part of a command a client line is (as session/events.ts's ClientLinePart). */
export type ClientLineKind = 'command' | 'literal' | 'continued' | 'response';
/** What part of a response a server line is: IMAP first | continued | body (literal data); POP3 status | body | end. */
export type ServerLineKind = 'first' | 'continued' | 'status' | 'body' | 'end';

/** A client line's spans: the command lexed by protocol, literal data as literal, the rest as text. */
export function clientLineSpans(protocol: Protocol, kind: ClientLineKind, text: string): Span[] {
  if (kind === 'command') return protocol === 'imap' ? lexImapCommand(text) : lexPop3Command(text);
  return lexClientText(text, kind === 'literal' ? 'literal' : 'text');
}

/**
 * A server line's spans. IMAP: a response's first segment (RFC 3501 §7: tagged, untagged, "+"), the
 * rest of a response after a literal, a literal's own lines. POP3 (RFC 1939 §3): a status line, a
 * line of a multi-line reply, the "." that ends it.
 */
export function serverLineSpans(protocol: Protocol, kind: ServerLineKind, text: string): Span[] {
  if (protocol === 'imap') {
    if (kind === 'continued') return lexImapContinuedSegment(text);
    if (kind === 'body') return text === '' ? [] : [{ role: 'literal', text }];
    return lexImapResponse(text);
  }
  if (kind === 'body') return text === '' ? [] : [{ role: 'pop3-body', text }];
  if (kind === 'end') return [{ role: 'pop3-terminator', text }];
  return lexPop3Status(text);
}
