/**
 * Either of mailwire's client sessions, and the calls that read the same for both: a command line
 * mailwire composes itself (CAPABILITY, STARTTLS, LOGOUT, QUIT) and the start of a SASL exchange.
 * The runner, replay and anything else that drives a session use these instead of asking which
 * protocol it speaks.
 */
import type { SessionAction } from './actions.js';
import { ImapSession } from './imap-session.js';
import type { Pop3Session } from './pop3-session.js';
import type { SaslExchange } from './sasl-exchange.js';

export type ClientSession = ImapSession | Pop3Session;

/** Submits one command line with no literal: IMAP tags it unless it carries a tag, POP3 sends it as is. */
export function submitLine(session: ClientSession, line: string): { id: number; actions: SessionAction[] } {
  return session instanceof ImapSession ? session.submit({ segments: [Buffer.from(line)], literals: [] }) : session.submit(line);
}

/**
 * Starts a SASL exchange: AUTHENTICATE (IMAP, under `tag` when the caller has one) or AUTH (POP3).
 * The exchange answers the server's challenges itself.
 */
export function startSaslExchange(session: ClientSession, exchange: SaslExchange, tag: string | null): { id: number; actions: SessionAction[] } {
  return session instanceof ImapSession ? session.authenticate(exchange, tag) : session.authenticate(exchange);
}

/**
 * Hands a read from the server to the session in the pieces it asks for (receiveLength), performing
 * each piece's actions before the next: a read may hold up to 1 MiB (transport/socket-reads.ts).
 */
export function receiveRead(session: ClientSession, chunk: Buffer, perform: (actions: SessionAction[]) => void): void {
  for (let at = 0; at < chunk.length; ) {
    const length = session.receiveLength(chunk.length - at);
    perform(session.receive(length === chunk.length ? chunk : chunk.subarray(at, at + length)));
    at += length;
  }
}
