/**
 * What the sent-chain reader needs of a ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3): the version
 * chosen (TLS 1.3 says it in supported_versions, RFC 8446 §4.2.1, not in legacy_version), the cipher
 * suite, and whether it is a HelloRetryRequest (RFC 8446 §4.1.4), after which a second ServerHello
 * comes. Pure.
 */
import { ShortInput, WireCursor } from './wire-cursor.js';

export const TLS13 = 0x0304;
/** RFC 8446 §4.2.1. */
const SUPPORTED_VERSIONS = 43;
/** RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random, SHA-256("HelloRetryRequest"). */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export interface ServerHello {
  /** The version both sides speak: 0x0304 for TLS 1.3, 0x0303 for TLS 1.2, ... */
  version: number;
  cipherSuite: number;
  helloRetryRequest: boolean;
}

/** The facts of a ServerHello body, or why it is not one. */
export function parseServerHello(body: Buffer): ServerHello | { problem: string } {
  const c = new WireCursor(body);
  try {
    const legacyVersion = c.u16();
    const random = c.take(32);
    c.vector(1); // legacy_session_id_echo
    const cipherSuite = c.u16();
    c.u8(); // legacy_compression_method
    let version = legacyVersion;
    // RFC 5246 §7.4.1.3: before TLS 1.3 the extensions may be left out altogether.
    if (c.remaining > 0) {
      const extensions = new WireCursor(c.vector(2));
      while (extensions.remaining > 0) {
        const type = extensions.u16();
        const data = extensions.vector(2);
        if (type === SUPPORTED_VERSIONS) {
          if (data.length !== 2) return { problem: `supported_versions of ${data.length} octets in the ServerHello, not 2` };
          version = data.readUInt16BE(0);
        }
      }
    }
    if (c.remaining > 0) return { problem: `${c.remaining} octets after the ServerHello's extensions` };
    return { version, cipherSuite, helloRetryRequest: random.equals(HELLO_RETRY_RANDOM) };
  } catch (error) {
    if (error instanceof ShortInput) return { problem: `the ServerHello is cut short (${error.message})` };
    throw error;
  }
}
