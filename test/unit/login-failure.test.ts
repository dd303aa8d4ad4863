/** Why a login failed, in plain words, from the reply's response code or wording. */
import { describe, expect, it } from 'vitest';
import { explainLoginFailure, pop3ResponseCode } from '../../src/protocol/sasl/failure.js';

describe('explainLoginFailure', () => {
  it('reads the RFC 5530 codes (IMAP)', () => {
    expect(explainLoginFailure('imap', { code: 'AUTHENTICATIONFAILED', text: 'Authentication failed.' })).toBe(
      'wrong user name or password, or this account may not log in this way ([AUTHENTICATIONFAILED], RFC 5530)',
    );
    expect(explainLoginFailure('imap', { code: 'UNAVAILABLE', text: 'Temporary failure' })).toMatch(/try again later/);
    expect(explainLoginFailure('imap', { code: 'EXPIRED', text: 'x' })).toMatch(/expired/);
  });

  it('reads the RFC 2449/3206 codes (POP3)', () => {
    expect(pop3ResponseCode('[SYS/TEMP] try later')).toBe('SYS/TEMP');
    expect(explainLoginFailure('pop3', { code: 'IN-USE', text: 'locked' })).toMatch(/locked by another session/);
  });

  it('points to TLS when plaintext logins are refused before it', () => {
    const text = 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections.';
    expect(explainLoginFailure('imap', { code: 'PRIVACYREQUIRED', text })).toBe(
      'the server takes no password before TLS: use --starttls (or type STARTTLS first), or connect with imaps://',
    );
    expect(explainLoginFailure('pop3', { code: 'AUTH', text })).toMatch(/type STLS first\), or connect with pop3s:\/\//);
  });

  it('names the mechanisms offered when the one used is not supported', () => {
    expect(explainLoginFailure('imap', { code: null, text: 'Unsupported authentication mechanism.', mechanism: 'GSSAPI', offered: ['PLAIN', 'LOGIN'] })).toBe(
      'the server does not support GSSAPI: it offers PLAIN LOGIN',
    );
  });

  it('without a code, does not guess beyond the server\'s words', () => {
    expect(explainLoginFailure('pop3', { code: null, text: 'maildrop already locked' })).toMatch(/locked/);
    expect(explainLoginFailure('imap', { code: null, text: 'Go away' })).toBe('the server gave no response code; its text above is all it says');
  });
});
