/**
 * subjectAltName entries from Node.js's text (tls-summary.ts): a name Node writes as a JSON string
 * (a comma, a quote or a control inside: CVE-2021-44532) is one name, read as JSON.
 */
import { describe, expect, it } from 'vitest';
import { certificateProblems } from '../../src/protocol/tls/certificates.js';
import { formatTlsDetails } from '../../src/render/tls-details.js';
import { distinguishedName, subjectAltNames } from '../../src/transport/tls-summary.js';

describe('subjectAltNames', () => {
  it('splits the usual list', () => {
    expect(subjectAltNames('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')).toEqual(['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']);
    expect(subjectAltNames('DNS:mail.example.org')).toEqual(['DNS:mail.example.org']);
  });

  it('reads a quoted name as JSON: a comma in it makes no second name, a control comes out as itself', () => {
    expect(subjectAltNames('DNS:"evil.example, DNS:bank.example", DNS:b.example')).toEqual(['DNS:evil.example, DNS:bank.example', 'DNS:b.example']);
    expect(subjectAltNames('DNS:"x\\u001b[31my", DNS:z')).toEqual(['DNS:x\u001b[31my', 'DNS:z']);
    expect(subjectAltNames('DNS:"a\\"b"')).toEqual(['DNS:a"b']);
  });

  it('keeps what does not read as JSON, and entries without a type, whole', () => {
    expect(subjectAltNames('DNS:"unclosed')).toEqual(['DNS:"unclosed']);
    expect(subjectAltNames('othername, DNS:a')).toEqual(['othername', 'DNS:a']);
  });
});

describe('certificate names as mailwire shows them (CVE-2021-44532: no name may pose as two)', () => {
  it('quotes a subjectAltName that holds a comma, and escapes RFC 4514 specials in a subject', () => {
    const spoof = { subject: distinguishedName({ CN: 'attacker.example, O=Big Bank Ltd' } as never), issuer: 'CN=QA CA', altNames: subjectAltNames('DNS:"attacker.example, DNS:imap.bank.example"') };
    expect(spoof.subject).toBe('CN=attacker.example\\, O=Big Bank Ltd');
    const lines = formatTlsDetails(
      { at: '2026-12-05T00:00:00Z', protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', alpn: null, alpnOffered: [], sni: 'imap.bank.example', clientCertificate: null, checkedName: 'imap.bank.example', nameMatches: false, verified: false, insecure: true, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
        sent: { kind: 'not-watched' }, chain: [{ ...spoof, validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z', keyType: 'EC', keyBits: 256, curve: 'prime256v1', sha256: 'AB:CD', selfSigned: false }] } as never,
      new Date('2026-12-05T00:00:00Z'),
    );
    expect(lines).toContain('  names: DNS:"attacker.example, DNS:imap.bank.example"');
    expect(lines).toContain('certificate 1 (server): CN=attacker.example\\, O=Big Bank Ltd');
    expect(lines.join('\n')).toContain('wrong host: the certificate is for "attacker.example, DNS:imap.bank.example", not for imap.bank.example');
  });

  it('says an IP address found only in the CN is not a name the certificate is for', () => {
    const leaf = { subject: 'CN=127.0.0.1', issuer: 'CN=QA CA', altNames: [], validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z', keyType: 'EC', keyBits: 256, curve: '', sha256: 'AB', selfSigned: false };
    const problems = certificateProblems({ at: '2026-12-05T00:00:00Z', chain: [leaf], checkedName: '127.0.0.1', nameMatches: false, verified: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' } as never, new Date('2026-12-05T00:00:00Z'));
    expect(problems).toContain("wrong host: 127.0.0.1 is only in the certificate's CN; an IP address must be an IP Address subjectAltName");
  });
});
