/**
 * The certificates of a server's Certificate handshake message, in the order it sent them, as DER.
 *
 * TLS 1.2 and below (RFC 5246 §7.4.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>.
 * TLS 1.3 (RFC 8446 §4.4.2): certificate_request_context<0..2^8-1>, empty from a server, then
 * certificate_list<0..2^24-1> of CertificateEntry { cert_data<1..2^24-1>; extensions<0..2^16-1> },
 * whose extensions (an OCSP response, SCTs) are checked for shape and passed over.
 *
 * Every length is checked against what holds it; an empty certificate, a list that overruns its
 * message or octets left after it make the message malformed, as they make it for OpenSSL
 * ("decode error", RFC 8446 §6.2). A list longer than OpenSSL verifies (depth 100) is cut there and
 * the rest counted, so that hostile input costs a bounded amount of work later on. Pure.
 */
import { ShortInput, WireCursor } from './wire-cursor.js';

/** As many certificates as OpenSSL's default verification depth: a chain it verifies is kept whole. */
export const MAX_SENT_CERTIFICATES = 100;

export interface SentCertificates {
  /** DER of each certificate, leaf first, in the server's order; at most MAX_SENT_CERTIFICATES. */
  certificates: Buffer[];
  /** How many more the message held. */
  omitted: number;
}

/** The certificates of a Certificate message body, or why it is malformed. */
export function parseCertificateMessage(body: Buffer, tls13: boolean): SentCertificates | { problem: string } {
  const c = new WireCursor(body);
  try {
    if (tls13) {
      const context = c.vector(1);
      // RFC 8446 §4.4.2: "In the case of server authentication, this field SHALL be zero length."
      if (context.length !== 0) return { problem: `a certificate_request_context of ${context.length} octets from the server, not empty` };
    }
    const list = new WireCursor(c.vector(3));
    if (c.remaining > 0) return { problem: `${c.remaining} octets after the certificate list` };
    const certificates: Buffer[] = [];
    let omitted = 0;
    while (list.remaining > 0) {
      const der = list.vector(3);
      if (der.length === 0) return { problem: `certificate ${certificates.length + omitted + 1} is empty (RFC ${tls13 ? '8446 §4.4.2' : '5246 §7.4.2'}: at least 1 octet)` };
      if (tls13) {
        const extensions = new WireCursor(list.vector(2));
        while (extensions.remaining > 0) {
          extensions.u16();
          extensions.vector(2);
        }
      }
      if (certificates.length < MAX_SENT_CERTIFICATES) certificates.push(der);
      else omitted++;
    }
    return { certificates, omitted };
  } catch (error) {
    if (error instanceof ShortInput) return { problem: `the Certificate message is cut short (${error.message})` };
    throw error;
  }
}
