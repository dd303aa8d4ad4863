/**
 * The SASL mechanisms against the examples of the documents that define them: RFC 4616 (PLAIN),
 * draft-murchison-sasl-login (LOGIN), RFC 2195 (CRAM-MD5), RFC 5802 §5 and RFC 7677 §3 (SCRAM),
 * RFC 7628 §4 (OAUTHBEARER), Google's XOAUTH2 example, RFC 4422 Appendix A (EXTERNAL). And what each
 * shows: the decoded message with the secret masked, and whether its base64 line must be masked.
 */
import { describe, expect, it } from 'vitest';
import { cramMd5Mechanism } from '../../src/protocol/sasl/cram-md5.js';
import { externalMechanism } from '../../src/protocol/sasl/external.js';
import { loginMechanism } from '../../src/protocol/sasl/login.js';
import { SaslCredentialsError, type SaslCredentials } from '../../src/protocol/sasl/mechanism.js';
import { oauthBearerMechanism, xoauth2Mechanism } from '../../src/protocol/sasl/oauth.js';
import { plainMechanism } from '../../src/protocol/sasl/plain.js';
import { findSaslMechanism, SASL_MECHANISMS } from '../../src/protocol/sasl/registry.js';
import { scramMechanism, scramName } from '../../src/protocol/sasl/scram.js';
import { readRfcTranscript } from '../support/rfc-transcript.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');
const creds = (c: Partial<SaslCredentials>): SaslCredentials => ({ user: '', secret: '', authzid: '', ...c });

/** The base64 text after "+ " or after the mechanism name, from an RFC IMAP example. */
function imapLines(file: string): { client: string[]; server: string[] } {
  const t = readRfcTranscript('imap', file);
  const auth = t.lines.findIndex((l) => l.direction === 'C' && / AUTHENTICATE /i.test(l.text));
  const after = t.lines.slice(auth);
  const first = (after[0]?.text ?? '').split(' ').slice(3);
  return {
    client: [...first, ...after.slice(1).filter((l) => l.direction === 'C').map((l) => l.text)],
    server: after.filter((l) => l.direction === 'S' && l.text.startsWith('+')).map((l) => l.text.slice(2)),
  };
}

describe('PLAIN (RFC 4616)', () => {
  it('§4: "\\0tim\\0tanstaaftanstaaf" and "Ursel\\0Kurt\\0xipj3plmq", the password masked', () => {
    const tim = plainMechanism(creds({ user: 'tim', secret: 'tanstaaftanstaaf' })).initialResponse();
    expect(tim.data.toString('utf8')).toBe('\0tim\0tanstaaftanstaaf');
    expect(tim).toMatchObject({ shown: '\0tim\0<secret>', secret: true });
    const kurt = plainMechanism(creds({ authzid: 'Ursel', user: 'Kurt', secret: 'xipj3plmq' })).initialResponse();
    expect(kurt.data.toString('utf8')).toBe('Ursel\0Kurt\0xipj3plmq');
    expect(kurt.shown).toBe('Ursel\0Kurt\0<secret>');
  });

  it('RFC 5034 §6: "test\\0test\\0test" is dGVzdAB0ZXN0AHRlc3Q=', () => {
    const m = plainMechanism(creds({ authzid: 'test', user: 'test', secret: 'test' }));
    expect(m.initialResponse().data.toString('base64')).toBe('dGVzdAB0ZXN0AHRlc3Q=');
  });

  it('answers an empty challenge (no SASL-IR) with the same message', () => {
    const m = plainMechanism(creds({ user: 'joe', secret: 'pw' }));
    expect(m.challenge(Buffer.alloc(0)).response?.data.toString('utf8')).toBe('\0joe\0pw');
  });

  it('refuses a NUL in any field, which would shift the fields', () => {
    expect(() => plainMechanism(creds({ user: 'jo\0e', secret: 'pw' }))).toThrow(SaslCredentialsError);
    expect(() => plainMechanism(creds({ user: 'joe', secret: 'p\0w' }))).toThrow(/password/);
  });
});

describe('LOGIN (draft-murchison-sasl-login)', () => {
  it('answers "Username:" with the user name (shown) and "Password:" with the password (masked)', () => {
    const m = loginMechanism(creds({ user: 'joe', secret: 'password' }));
    expect(m.clientFirst).toBe(false);
    const user = m.challenge(unb64('VXNlcm5hbWU6'));
    expect(user.shown).toBe('Username:');
    expect(user.response).toMatchObject({ shown: 'joe', secret: false });
    expect(user.response?.data.toString('base64')).toBe('am9l');
    const pass = m.challenge(unb64('UGFzc3dvcmQ6'));
    expect(pass.shown).toBe('Password:');
    expect(pass.response).toMatchObject({ shown: '<secret>', secret: true });
    expect(pass.response?.data.toString('utf8')).toBe('password');
  });

  it('a user name sent ahead (an initial response, as curl sends it with SASL-IR) answers the first prompt', () => {
    const m = loginMechanism(creds({ user: 'joe', secret: 'password' }));
    expect(m.mayRespondFirst).toBe(true);
    expect(m.initialResponse()).toMatchObject({ shown: 'joe', secret: false });
    const pass = m.challenge(unb64('UGFzc3dvcmQ6'));
    expect(pass.response).toMatchObject({ shown: '<secret>', secret: true });
    expect(pass.response?.data.toString('utf8')).toBe('password');
  });

  it('cancels on a third prompt', () => {
    const m = loginMechanism(creds({ user: 'joe', secret: 'pw' }));
    m.challenge(Buffer.from('Username:'));
    m.challenge(Buffer.from('Password:'));
    const third = m.challenge(Buffer.from('Again:'));
    expect(third.response).toBeNull();
    expect(third.note?.level).toBe('error');
  });
});

describe('CRAM-MD5 (RFC 2195 §2)', () => {
  it('computes the RFC\'s response to its challenge, and masks the digest', () => {
    const { client, server } = imapLines('rfc2195-2-authenticate-cram-md5.txt');
    const m = cramMd5Mechanism(creds({ user: 'tim', secret: 'tanstaaftanstaaf' }));
    const outcome = m.challenge(unb64(server[0] as string));
    expect(outcome.shown).toBe('<1896.697170952@postoffice.reston.mci.net>');
    expect(outcome.response?.data.toString('base64')).toBe(client[0]);
    expect(outcome.response?.data.toString('utf8')).toBe('tim b913a602c7eda7a495b4e6e7334d3890');
    expect(outcome.response).toMatchObject({ shown: 'tim <secret>', secret: true });
  });
});

describe.each([
  { hash: 'sha1' as const, file: 'rfc5802-5-scram-sha-1.txt', nonce: 'fyko+d2lbbFgONRv9qkxdawL', name: 'SCRAM-SHA-1' },
  { hash: 'sha256' as const, file: 'rfc7677-3-scram-sha-256.txt', nonce: 'rOprNGfwEbeRWgbNEkqO', name: 'SCRAM-SHA-256' },
])('$name ($file)', ({ hash, file, nonce, name }) => {
  const rfc = readRfcTranscript('sasl', file).lines;
  const [clientFirst, serverFirst, clientFinal, serverFinal] = rfc.map((l) => l.text) as [string, string, string, string];
  const mechanism = () => scramMechanism(hash, creds({ user: 'user', secret: 'pencil' }), { nonce });

  it('sends the RFC\'s client-first and client-final messages and verifies its server signature', () => {
    const m = mechanism();
    expect(m.name).toBe(name);
    const first = m.initialResponse();
    expect(first).toMatchObject({ shown: clientFirst, secret: false, step: 'client-first' });
    expect(first.data.toString('utf8')).toBe(clientFirst);
    const second = m.challenge(Buffer.from(serverFirst));
    expect(second).toMatchObject({ shown: serverFirst, step: 'server-first' });
    expect(second.response?.data.toString('utf8')).toBe(clientFinal);
    // The proof is the secret: masked in the decoded form, and the base64 line masked whole.
    expect(second.response).toMatchObject({ shown: clientFinal.replace(/p=.*$/, 'p=<secret>'), secret: true, step: 'client-final' });
    const last = m.challenge(Buffer.from(serverFinal));
    expect(last.shown).toBe(serverFinal);
    expect(last.response?.data.length).toBe(0);
    expect(last.note).toMatchObject({ level: 'info', text: `${name}: server signature verified: the server knows the password` });
    expect(m.completed(true)).toBeNull();
  });

  it('cancels when the server signature is wrong, and says what that means', () => {
    const m = mechanism();
    m.initialResponse();
    m.challenge(Buffer.from(serverFirst));
    const forged = serverFinal.replace(/v=./, (s) => (s.endsWith('A') ? 'v=B' : 'v=A'));
    const outcome = m.challenge(Buffer.from(forged));
    expect(outcome.response).toBeNull();
    expect(outcome.note?.level).toBe('error');
    expect(outcome.note?.text).toMatch(/server signature does NOT match: this server does not know the password/);
  });

  it('cancels when the password is wrong for the salt: the signature the server sends does not match ours', () => {
    const m = scramMechanism(hash, creds({ user: 'user', secret: 'not pencil' }), { nonce });
    m.initialResponse();
    expect(m.challenge(Buffer.from(serverFirst)).response?.data.toString('utf8')).not.toBe(clientFinal);
    expect(m.challenge(Buffer.from(serverFinal)).response).toBeNull();
  });

  it('warns when the server says OK without proving itself', () => {
    const m = mechanism();
    m.initialResponse();
    m.challenge(Buffer.from(serverFirst));
    expect(m.completed(true)).toMatchObject({ level: 'warning', text: expect.stringMatching(/without sending its signature/) });
  });

  it('refuses server-first messages it must not answer', () => {
    const refuse = (message: string) => {
      const m = mechanism();
      m.initialResponse();
      return m.challenge(Buffer.from(message));
    };
    expect(refuse(serverFirst.replace(`r=${nonce}`, 'r=someoneelse')).note?.text).toMatch(/nonce does not extend/);
    expect(refuse(`r=${nonce},s=QSXCR+Q6sek8bf92,i=4096`).note?.text).toMatch(/nonce does not extend/);
    expect(refuse(serverFirst.replace(/i=\d+/, 'i=0')).note?.text).toMatch(/not a positive number/);
    expect(refuse(serverFirst.replace(/i=\d+/, 'i=999999999999')).note?.text).toMatch(/above/);
    expect(refuse(`m=ext,${serverFirst}`).note?.text).toMatch(/extension/);
    expect(refuse(serverFirst.replace(/,s=[^,]*/, '')).response).toBeNull();
    // RFC 5802 §7 server-error
    const m = mechanism();
    m.initialResponse();
    m.challenge(Buffer.from(serverFirst));
    expect(m.challenge(Buffer.from('e=invalid-proof')).note?.text).toMatch(/wrong password/);
  });

  it('answers an empty challenge (no SASL-IR) with client-first', () => {
    const m = mechanism();
    expect(m.challenge(Buffer.alloc(0)).response?.data.toString('utf8')).toBe(clientFirst);
    expect(m.challenge(Buffer.from(serverFirst)).response?.data.toString('utf8')).toBe(clientFinal);
  });
});

describe('SCRAM names and SASLprep', () => {
  it('escapes "=" and "," in names (RFC 5802 §5.1) and sends an authzid in the GS2 header', () => {
    expect(scramName('a=b,c')).toBe('a=3Db=2Cc');
    const m = scramMechanism('sha256', creds({ user: 'a,b', secret: 'x', authzid: 'admin=1' }), { nonce: 'N' });
    expect(m.initialResponse().data.toString('utf8')).toBe('n,a=admin=3D1,n=a=2Cb,r=N');
  });

  it('prepares the password: a soft hyphen is mapped to nothing (RFC 4013 §3 example)', () => {
    const serverFirst = 'r=NS,s=QSXCR+Q6sek8bf92,i=4096';
    const proof = (secret: string) => {
      const m = scramMechanism('sha1', creds({ user: 'user', secret }), { nonce: 'N' });
      m.initialResponse();
      return m.challenge(Buffer.from(serverFirst)).response?.data.toString('utf8');
    };
    expect(proof('I\u00adX')).toBe(proof('IX'));
    expect(() => scramMechanism('sha1', creds({ user: 'user', secret: 'a\u0007b' }))).toThrow(/SASLprep/);
  });
});

describe('OAUTHBEARER (RFC 7628 §4)', () => {
  it('§4.1: builds the RFC\'s initial response, the token masked', () => {
    const { client } = imapLines('rfc7628-4.1-authenticate-oauthbearer.txt');
    const m = oauthBearerMechanism(
      creds({ user: 'user@example.com', secret: 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', host: 'server.example.com', port: 143 }),
    );
    const first = m.initialResponse();
    expect(first.data.toString('base64')).toBe(client[0]);
    expect(first.shown).toBe('n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer <secret>\x01\x01');
    expect(first.secret).toBe(true);
  });

  it('§4.3: answers the error challenge with the dummy response AQ== and says why the token was refused', () => {
    const { client, server } = imapLines('rfc7628-4.3-authenticate-oauthbearer-failure.txt');
    const m = oauthBearerMechanism(creds({ user: 'user@example.com', secret: 't' }));
    m.initialResponse();
    const outcome = m.challenge(unb64(server[0] as string));
    expect(JSON.parse(outcome.shown)).toMatchObject({ status: 'invalid_token', scope: 'example_scope' });
    expect(outcome.response?.data.toString('base64')).toBe(client[1]);
    expect(outcome.note).toEqual({ level: 'error', text: 'OAUTHBEARER: the server refused the token: invalid_token, scope needed: example_scope' });
  });
});

describe('XOAUTH2 (Google)', () => {
  it('builds Google\'s example, the token masked, and answers an error with an empty line', () => {
    const m = xoauth2Mechanism(creds({ user: 'someuser@example.com', secret: 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg' }));
    const first = m.initialResponse();
    expect(first.data.toString('base64')).toBe(
      'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==',
    );
    expect(first).toMatchObject({ shown: 'user=someuser@example.com\x01auth=Bearer <secret>\x01\x01', secret: true });
    const error = m.challenge(Buffer.from(b64('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}'), 'base64'));
    expect(error.response?.data.length).toBe(0);
    expect(error.note?.text).toBe('XOAUTH2: the server refused the token: 401, scope needed: https://mail.google.com/');
  });

  it('refuses a token with control characters, which would break the ^A-separated format', () => {
    expect(() => xoauth2Mechanism(creds({ user: 'u', secret: 'a\x01b' }))).toThrow(/token/);
  });
});

describe('EXTERNAL (RFC 4422 Appendix A)', () => {
  it('sends the authorization identity, usually empty, and nothing secret', () => {
    expect(externalMechanism(creds({})).initialResponse()).toMatchObject({ shown: '', secret: false });
    expect(externalMechanism(creds({ authzid: 'joe' })).initialResponse().data.toString('utf8')).toBe('joe');
  });
});

describe('the registry', () => {
  it('knows every mechanism by name in any case, and what it needs', () => {
    expect(SASL_MECHANISMS.map((m) => m.name)).toEqual(['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'XOAUTH2', 'OAUTHBEARER', 'EXTERNAL']);
    expect(findSaslMechanism('scram-sha-256')?.secret).toBe('password');
    expect(findSaslMechanism('xoauth2')?.secret).toBe('token');
    expect(findSaslMechanism('EXTERNAL')).toMatchObject({ secret: 'none', needsUser: false });
    expect(findSaslMechanism('GSSAPI')).toBeUndefined();
    for (const spec of SASL_MECHANISMS) expect(spec.create(creds({ user: 'u', secret: 's' })).name).toBe(spec.name);
  });
});
