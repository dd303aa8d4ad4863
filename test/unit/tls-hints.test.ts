/**
 * What a failed handshake's terse OpenSSL reason is followed by: the knob that usually turns it. TLS
 * 1.2's "handshake failure" alert stands for a missing common cipher and for a client certificate the
 * server requires alike, so both are named; an SNI name the server does not know names --servername.
 */
import { describe, expect, it } from 'vitest';
import { tlsHint } from '../../src/transport/errors.js';

describe('tlsHint', () => {
  it.each([
    ['ssl3_read_bytes:sslv3 alert handshake failure', /no cipher both sides accept, see --ciphers; or the server requires a client certificate: --cert FILE --key FILE/],
    ['no shared cipher', /^ \(no cipher both sides accept: see --ciphers\)$/],
    ['tlsv13 alert certificate required', /the server wants a client certificate it trusts: --cert FILE --key FILE/],
    ['tlsv1 unrecognized name', /^ \(the server has no certificate for the name sent: see --servername\)$/],
    ['wrong version number', /is the server speaking TLS on this port\?/],
    ['no protocols available', /see --tls-min and --tls-max/],
  ])('%s', (reason, hint) => {
    expect(tlsHint(reason)).toMatch(hint);
  });

  it('adds nothing to a reason it has no hint for', () => {
    expect(tlsHint('something else entirely')).toBe('');
  });
});
