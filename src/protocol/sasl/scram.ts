/**
 * SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677): a salted challenge-response in which both
 * sides prove they know the password and neither sends it. Four messages:
 *
 *   client-first  n,,n=user,r=<client nonce>
 *   server-first  r=<client nonce + server nonce>,s=<salt>,i=<iterations>
 *   client-final  c=biws,r=<nonce>,p=<ClientProof>
 *   server-final  v=<ServerSignature>
 *
 * What is secret: only the client-final message, for its proof (with the salt and the nonces beside
 * it, a proof lets a reader of the transcript test password guesses offline); its base64 line is
 * masked whole and its decoded form shows `p=<secret>`. The other three are shown as they are: a
 * nonce, a salt, an iteration count and the server's signature reveal nothing about the password.
 * The server signature is checked (RFC 5802 §3: "the client MUST verify it") and the result said.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { saslprep } from './saslprep.js';
import { noticeText } from '../explain/notices.js';
import { emptyMessage, MASK, openMessage, saslNote, secretMessage, type SaslChallengeOutcome, type SaslCredentials, type SaslMechanism } from './mechanism.js';

export type ScramHash = 'sha1' | 'sha256';

const NAMES: Record<ScramHash, string> = { sha1: 'SCRAM-SHA-1', sha256: 'SCRAM-SHA-256' };

/**
 * Iteration counts above this are refused: a hostile server could otherwise keep mailwire hashing for
 * hours. RFC 7677 §4 asks for at least 4096; today's advice for PBKDF2-SHA-256 is 600 000.
 */
export const SCRAM_MAX_ITERATIONS = 10_000_000;

/** RFC 5802 §5.1: in a saslname, "=" and "," are written =3D and =2C. */
export function scramName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** A client nonce: printable ASCII without ",", RFC 5802 §5.1; 18 random octets in base64 are that. */
export function scramNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The attributes of a SCRAM message, `a=value,b=value`, in order. */
export function parseScramAttributes(text: string): Array<[string, string]> {
  return text.split(',').map((part) => {
    const eq = part.indexOf('=');
    return eq === 1 ? [part.slice(0, 1), part.slice(2)] : ['', part];
  });
}

/** The keys and signatures of RFC 5802 §3, from the password, the salt and the messages. */
export function scramProofs(
  hash: ScramHash,
  password: string,
  salt: Buffer,
  iterations: number,
  authMessage: string,
): { clientProof: Buffer; serverSignature: Buffer } {
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text, 'utf8').digest();
  const length = hash === 'sha1' ? 20 : 32;
  // Hi() of RFC 5802 §2.2 is PBKDF2 with HMAC as the PRF and one block of output.
  const saltedPassword = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, hash);
  const clientKey = hmac(saltedPassword, 'Client Key');
  const storedKey = createHash(hash).update(clientKey).digest();
  const clientSignature = hmac(storedKey, authMessage);
  const clientProof = Buffer.alloc(length);
  for (let i = 0; i < length; i++) clientProof[i] = (clientKey[i] as number) ^ (clientSignature[i] as number);
  const serverKey = hmac(saltedPassword, 'Server Key');
  return { clientProof, serverSignature: hmac(serverKey, authMessage) };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** RFC 5802 §7 server-error values, in words. */
const SERVER_ERRORS: Readonly<Record<string, string>> = {
  'invalid-encoding': 'the server could not decode our message',
  'extensions-not-supported': 'the server does not support an extension we asked for',
  'invalid-proof': 'wrong password (the server did not accept our proof)',
  'channel-bindings-dont-match': 'the channel bindings do not match',
  'server-does-support-channel-binding': 'the server supports channel binding, and we did not use it',
  'channel-binding-not-supported': 'the server does not support channel binding',
  'unsupported-channel-binding-type': 'the server does not support that channel binding type',
  'unknown-user': 'the server does not know this user',
  'invalid-username-encoding': 'the server could not read the user name',
  'no-resources': 'the server is out of resources',
  'other-error': 'the server gave no reason',
};

export interface ScramOptions {
  /** The client nonce; random unless given (tests replay the RFC examples with theirs). */
  nonce?: string;
}

export function scramMechanism(hash: ScramHash, credentials: SaslCredentials, options: ScramOptions = {}): SaslMechanism {
  const name = NAMES[hash];
  const nonce = options.nonce ?? scramNonce();
  // RFC 5802 §5.1: the name and the password are prepared with SASLprep (RFC 4013).
  const user = scramName(saslprep(credentials.user, 'the user name'));
  const password = saslprep(credentials.secret, 'the password');
  // We do not do channel binding: "n" (RFC 5802 §6), and the authzid, if any, in the GS2 header.
  const gs2Header = credentials.authzid === '' ? 'n,,' : `n,a=${scramName(saslprep(credentials.authzid, 'the authorization identity'))},`;
  const clientFirstBare = `n=${user},r=${nonce}`;
  let state: 'start' | 'server-first' | 'server-final' | 'done' = 'start';
  let expectedSignature: Buffer | null = null;
  let verified = false;

  const fail = (shown: string, step: string, text: string): SaslChallengeOutcome => {
    state = 'done';
    return { shown, step, response: null, note: { level: 'error', text: `${name}: ${text}` } };
  };

  const serverFirst = (message: string): SaslChallengeOutcome => {
    const step = 'server-first';
    const attributes = parseScramAttributes(message);
    const get = (key: string) => attributes.find(([k]) => k === key)?.[1];
    if (attributes[0]?.[0] === 'm') return fail(message, step, 'the server requires an extension (m=) that mailwire does not know; exchange cancelled');
    const serverNonce = get('r');
    const salt = get('s');
    const iterations = Number(get('i'));
    if (serverNonce === undefined || salt === undefined || get('i') === undefined) {
      return fail(message, step, 'the server-first message lacks r=, s= or i=; exchange cancelled');
    }
    // RFC 5802 §5.1: the server's nonce starts with ours; otherwise this answers someone else.
    if (!serverNonce.startsWith(nonce) || serverNonce.length === nonce.length) {
      return fail(message, step, 'the server nonce does not extend the client nonce; exchange cancelled');
    }
    if (!BASE64.test(salt)) return fail(message, step, 'the salt (s=) is not base64; exchange cancelled');
    if (!Number.isSafeInteger(iterations) || iterations < 1 || !/^\d+$/.test(get('i') ?? '')) {
      return fail(message, step, `the iteration count (i=${get('i')}) is not a positive number; exchange cancelled`);
    }
    if (iterations > SCRAM_MAX_ITERATIONS) {
      return fail(message, step, `the iteration count i=${iterations} is above ${SCRAM_MAX_ITERATIONS}; exchange cancelled`);
    }
    const withoutProof = `c=${Buffer.from(gs2Header, 'utf8').toString('base64')},r=${serverNonce}`;
    const authMessage = `${clientFirstBare},${message},${withoutProof}`;
    const { clientProof, serverSignature } = scramProofs(hash, password, Buffer.from(salt, 'base64'), iterations, authMessage);
    expectedSignature = serverSignature;
    state = 'server-final';
    const note = iterations < 4096
      ? saslNote('warning', noticeText('sasl.scram.few-iterations', { mechanism: name, n: iterations }))
      : undefined;
    return {
      shown: message,
      step,
      response: secretMessage(`${withoutProof},p=${clientProof.toString('base64')}`, `${withoutProof},p=${MASK}`, 'client-final'),
      ...(note ? { note } : {}),
    };
  };

  const serverFinal = (message: string): SaslChallengeOutcome => {
    const step = 'server-final';
    state = 'done';
    const attributes = parseScramAttributes(message);
    const [key, value] = attributes[0] ?? ['', ''];
    if (key === 'e') return fail(message, step, `the server refused: ${SERVER_ERRORS[value] ?? value}`);
    if (key !== 'v' || !BASE64.test(value) || expectedSignature === null) {
      return fail(message, step, 'the server-final message has no signature (v=); exchange cancelled');
    }
    const got = Buffer.from(value, 'base64');
    if (got.length !== expectedSignature.length || !timingSafeEqual(got, expectedSignature)) {
      return fail(
        message,
        step,
        'the server signature does NOT match: this server does not know the password (an impostor, or a man in the middle); exchange cancelled',
      );
    }
    verified = true;
    return {
      shown: message,
      step,
      response: emptyMessage(),
      note: saslNote('info', noticeText('sasl.scram.verified', { mechanism: name })),
    };
  };

  const clientFirst = () => {
    state = 'server-first';
    return openMessage(gs2Header + clientFirstBare, 'client-first');
  };

  return {
    name,
    clientFirst: true,
    initialResponse: clientFirst,
    challenge(data) {
      const message = data.toString('utf8');
      switch (state) {
        case 'start': {
          // No SASL-IR: the server sent an empty challenge; the answer is client-first.
          return { shown: message, response: clientFirst() };
        }
        case 'server-first':
          return serverFirst(message);
        case 'server-final':
          return serverFinal(message);
        case 'done':
          return fail(message, 'challenge', 'the server sent a challenge after server-final; exchange cancelled');
      }
    },
    completed(ok) {
      if (ok && !verified) {
        return saslNote('warning', noticeText('sasl.scram.no-signature', { mechanism: name }));
      }
      return null;
    },
  };
}
