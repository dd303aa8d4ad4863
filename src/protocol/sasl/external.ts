/**
 * EXTERNAL (RFC 4422 Appendix A): the credentials are outside SASL, here the TLS client certificate
 * (--cert/--key). The only message is the authorization identity, usually empty: "act as whoever the
 * certificate says".
 */
import { openMessage, type SaslCredentials, type SaslMechanism } from './mechanism.js';

export function externalMechanism(credentials: SaslCredentials): SaslMechanism {
  const message = () => openMessage(credentials.authzid);
  return {
    name: 'EXTERNAL',
    clientFirst: true,
    initialResponse: message,
    challenge: (data) => ({ shown: data.toString('utf8'), response: message() }),
    completed: () => null,
  };
}
