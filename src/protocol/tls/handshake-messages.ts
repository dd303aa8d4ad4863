/**
 * Handshake messages out of the fragments of handshake records (RFC 8446 §4, RFC 5246 §7.4): a type,
 * a 24-bit length and a body, one message spread over several records or several in one. Incremental
 * like the record reader, and as wary: a length is believed only up to a cap, and nothing is
 * allocated for octets that have not come. Pure.
 */
import { PendingOctets } from './pending-octets.js';

/** Handshake types the sent-chain reader meets (RFC 8446 §4, B.3; RFC 5246 §7.4; RFC 8879 §4). */
export const SERVER_HELLO = 2;
export const ENCRYPTED_EXTENSIONS = 8;
export const CERTIFICATE = 11;
export const SERVER_HELLO_DONE = 14;
export const FINISHED = 20;
export const COMPRESSED_CERTIFICATE = 25;

const HEADER = 4;
/**
 * The longest message waited for: 1 MiB. OpenSSL takes a Certificate message of at most 100 KiB by
 * default (SSL_CTX_set_max_cert_list), so no handshake that succeeds comes near it.
 */
export const MAX_HANDSHAKE_MESSAGE = 1 << 20;

export interface HandshakeMessage {
  type: number;
  body: Buffer;
}

export interface MessagesRead {
  messages: HandshakeMessage[];
  /** Set when a message announces more than MAX_HANDSHAKE_MESSAGE octets; the reader reads no more. */
  problem: string | null;
}

export class HandshakeMessageReader {
  private readonly pending = new PendingOctets();
  private failed = false;

  push(fragment: Buffer): MessagesRead {
    const messages: HandshakeMessage[] = [];
    if (this.failed) return { messages, problem: null };
    this.pending.push(fragment);
    while (this.pending.length >= HEADER) {
      const length = ((this.pending.at(1) as number) << 16) | ((this.pending.at(2) as number) << 8) | (this.pending.at(3) as number);
      if (length > MAX_HANDSHAKE_MESSAGE) {
        this.failed = true;
        this.pending.clear();
        return { messages, problem: `a handshake message of ${length} octets, over the ${MAX_HANDSHAKE_MESSAGE} read` };
      }
      if (this.pending.length < HEADER + length) break;
      const type = this.pending.take(HEADER)[0] as number;
      messages.push({ type, body: this.pending.take(length) });
    }
    return { messages, problem: null };
  }

  /**
   * Whether a message is half read. RFC 8446 §5.1: handshake messages may not span a change of keys,
   * so at the end of the ServerHello's record none may be.
   */
  get midMessage(): boolean {
    return this.pending.length > 0;
  }
}
