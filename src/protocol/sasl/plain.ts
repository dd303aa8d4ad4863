/**
 * PLAIN (RFC 4616): one message, `[authzid] NUL authcid NUL passwd`, sent as the initial response.
 * The password crosses the wire as is (base64 is no protection): only over TLS, as RFC 4616 §6 says.
 */
import { MASK, refuseCharacters, secretMessage, type SaslChallengeOutcome, type SaslCredentials, type SaslMechanism } from './mechanism.js';

export function plainMechanism(credentials: SaslCredentials): SaslMechanism {
  // RFC 4616 §2: the three fields are UTF-8 strings without NUL.
  refuseCharacters(credentials.user, /\0/, 'the user name');
  refuseCharacters(credentials.authzid, /\0/, 'the authorization identity');
  refuseCharacters(credentials.secret, /\0/, 'the password');
  const { authzid, user, secret } = credentials;
  const message = () => secretMessage(`${authzid}\0${user}\0${secret}`, `${authzid}\0${user}\0${MASK}`);
  return {
    name: 'PLAIN',
    clientFirst: true,
    initialResponse: message,
    challenge(data): SaslChallengeOutcome {
      // A server without SASL-IR asks with an empty challenge (RFC 4422 §5); anything else is odd,
      // but the answer is the same single message.
      return { shown: data.toString('utf8'), response: message() };
    },
    completed: () => null,
  };
}
