/**
 * Bearer tokens: OAUTHBEARER (RFC 7628) and Google's older XOAUTH2, both one client message with the
 * token in it, separated by ^A (0x01). A refused token gets an error challenge, a JSON document
 * (RFC 7628 §3.2.2), which the client must answer with a dummy response (^A for OAUTHBEARER, an empty
 * line for XOAUTH2) before the server sends its NO.
 */
import { scramName } from './scram.js';
import { emptyMessage, MASK, openMessage, refuseCharacters, secretMessage, type SaslChallengeOutcome, type SaslCredentials, type SaslMechanism, type SaslNote } from './mechanism.js';

const KVSEP = '\x01';

/** What the error challenge says, in words: "invalid_token (scope: mail)". */
function describeError(json: string): string {
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const status = typeof parsed['status'] === 'string' ? parsed['status'] : 'no status';
    const scope = typeof parsed['scope'] === 'string' ? `, scope needed: ${parsed['scope']}` : '';
    return `${status}${scope}`;
  } catch {
    return 'an error challenge that is not JSON';
  }
}

function bearerMechanism(
  name: string,
  clientFirst: string,
  shownFirst: string,
  dummy: () => ReturnType<typeof openMessage>,
): SaslMechanism {
  let refused = false;
  const message = () => secretMessage(clientFirst, shownFirst);
  return {
    name,
    clientFirst: true,
    initialResponse: message,
    challenge(data): SaslChallengeOutcome {
      const shown = data.toString('utf8');
      if (data.length === 0 && !refused) return { shown, response: message() };
      refused = true;
      const note: SaslNote = { level: 'error', text: `${name}: the server refused the token: ${describeError(shown)}` };
      return { shown, response: dummy(), note };
    },
    completed: () => null,
  };
}

/** RFC 7628 §3.1: `n,a=user,^Ahost=...^Aport=...^Aauth=Bearer token^A^A`. */
export function oauthBearerMechanism(credentials: SaslCredentials): SaslMechanism {
  refuseCharacters(credentials.secret, /[\x00-\x1f\x7f]/, 'the token');
  refuseCharacters(credentials.user, /[\x00-\x1f\x7f]/, 'the user name');
  const gs2 = `n,${credentials.user === '' ? '' : `a=${scramName(credentials.user)}`},`;
  const hostPort =
    (credentials.host ? `host=${credentials.host}${KVSEP}` : '') +
    (credentials.port !== undefined ? `port=${credentials.port}${KVSEP}` : '');
  const head = `${gs2}${KVSEP}${hostPort}auth=Bearer `;
  const tail = `${KVSEP}${KVSEP}`;
  return bearerMechanism('OAUTHBEARER', head + credentials.secret + tail, head + MASK + tail, () => openMessage(KVSEP));
}

/** Google's XOAUTH2: `user=...^Aauth=Bearer token^A^A`. */
export function xoauth2Mechanism(credentials: SaslCredentials): SaslMechanism {
  refuseCharacters(credentials.secret, /[\x00-\x1f\x7f]/, 'the token');
  refuseCharacters(credentials.user, /[\x00-\x1f\x7f]/, 'the user name');
  const head = `user=${credentials.user}${KVSEP}auth=Bearer `;
  const tail = `${KVSEP}${KVSEP}`;
  return bearerMechanism('XOAUTH2', head + credentials.secret + tail, head + MASK + tail, () => emptyMessage());
}
