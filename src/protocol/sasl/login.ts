/**
 * LOGIN (draft-murchison-sasl-login-00): the server prompts "Username:" then "Password:", and the
 * client answers each in turn. Obsolete but everywhere (Outlook, Exchange, Dovecot). The draft says
 * to answer by order, not by reading the prompt text, which servers word as they like.
 */
import { MASK, openMessage, secretMessage, type SaslCredentials, type SaslMechanism } from './mechanism.js';

export function loginMechanism(credentials: SaslCredentials): SaslMechanism {
  let prompts = 0;
  return {
    name: 'LOGIN',
    clientFirst: false,
    mayRespondFirst: true,
    initialResponse: () => {
      // The user name sent ahead answers the first prompt: the server asks only for the password.
      prompts = 1;
      return openMessage(credentials.user);
    },
    challenge(data) {
      prompts++;
      const shown = data.toString('utf8');
      if (prompts === 1) return { shown, response: openMessage(credentials.user) };
      if (prompts === 2) return { shown, response: secretMessage(credentials.secret, MASK) };
      return {
        shown,
        response: null,
        note: { level: 'error', text: 'LOGIN: the server asked a third question; a LOGIN exchange has two (user name, password)' },
      };
    },
    completed: () => null,
  };
}
