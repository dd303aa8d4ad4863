/**
 * Whose login a SASL exchange the proxy relays is (RFC 4422): read from the client's responses before
 * they are masked, so that a recording can say `# secret: USER` and replay can run the exchange again
 * with that user's secret. Only the user name is taken; the secret part is never looked at twice.
 */

/**
 * The user a client's SASL response names, or null. `index` counts the client's responses of the
 * exchange from 0 (an initial response, RFC 4959, is response 0).
 */
export function saslResponseUser(mechanism: string, index: number, base64: string): string | null {
  const text = /^[A-Za-z0-9+/]*={0,2}$/.test(base64.trim()) ? Buffer.from(base64.trim(), 'base64').toString('utf8') : null;
  if (text === null || text === '') return null;
  switch (mechanism.toUpperCase()) {
    case 'PLAIN': {
      // RFC 4616 §2: [authzid] NUL authcid NUL passwd.
      const parts = text.split('\0');
      return index === 0 && parts.length === 3 ? (parts[1] ?? null) || null : null;
    }
    case 'LOGIN':
      // draft-murchison-sasl-login: the first response is the user name.
      return index === 0 ? text : null;
    case 'CRAM-MD5': {
      // RFC 2195 §2: the user name, a space, the digest.
      const space = text.lastIndexOf(' ');
      return index === 0 && space > 0 ? text.slice(0, space) : null;
    }
    default: {
      // RFC 5802 §7: client-first-message = gs2-header "n=" saslname ",r=" ...; "=2C" and "=3D" escape "," and "=".
      if (!/^SCRAM-/i.test(mechanism) || index !== 0) return null;
      const m = /(?:^|,)n=([^,]*),r=/.exec(text);
      return m ? (m[1] ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=') || null : null;
    }
  }
}
