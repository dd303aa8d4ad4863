/**
 * CRAM-MD5 (RFC 2195): the server sends a unique challenge in msg-id form, the client answers
 * `user SP hex(HMAC-MD5(password, challenge))`. The password never crosses the wire, but with the
 * challenge beside it the digest lets whoever reads a transcript test password guesses offline, so
 * the digest is masked like a password.
 */
import { createHmac } from 'node:crypto';
import { MASK, secretMessage, type SaslCredentials, type SaslMechanism } from './mechanism.js';

/** RFC 2195 §2: the keyed MD5 digest (RFC 2104) of the challenge, in lower-case hex. */
export function cramMd5Digest(secret: string, challenge: Buffer): string {
  return createHmac('md5', Buffer.from(secret, 'utf8')).update(challenge).digest('hex');
}

export function cramMd5Mechanism(credentials: SaslCredentials): SaslMechanism {
  let answered = false;
  return {
    name: 'CRAM-MD5',
    clientFirst: false,
    initialResponse: () => {
      throw new Error('CRAM-MD5 has no initial response: the server speaks first');
    },
    challenge(data) {
      const shown = data.toString('utf8');
      if (answered) {
        return { shown, response: null, note: { level: 'error', text: 'CRAM-MD5: the server sent a second challenge; the exchange has one' } };
      }
      answered = true;
      const digest = cramMd5Digest(credentials.secret, data);
      return { shown, response: secretMessage(`${credentials.user} ${digest}`, `${credentials.user} ${MASK}`) };
    },
    completed: () => null,
  };
}
