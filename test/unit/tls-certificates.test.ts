/**
 * The plain-words reasons for a certificate that did not verify, and the details formatter, on facts
 * written out by hand: the cases a loopback test server cannot easily stage (an untrusted root at the
 * end of a chain, a not-yet-valid intermediate, no certificate at all).
 */
import { describe, expect, it } from 'vitest';
import { Words } from '../../src/protocol/explain/words.js';
import { certificateNames, certificateProblems, compressIpv6 } from '../../src/protocol/tls/certificates.js';
import { formatTlsDetails } from '../../src/render/tls-details.js';
import { cert, details } from '../support/tls-facts.js';

describe('certificateProblems', () => {
  it('an untrusted root at the end of the chain', () => {
    const root = cert({ subject: 'CN=Corp Root', issuer: 'CN=Corp Root', selfSigned: true, ca: true });
    const d = details({ chain: [cert({}), cert({ subject: 'CN=Example Intermediate', issuer: 'CN=Corp Root', ca: true }), root], chainError: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(certificateProblems(d)).toEqual(['unknown root: the chain ends in CN=Corp Root, a self-signed CA that is not trusted here']);
  });

  it('an intermediate that is not valid yet is the one named', () => {
    const early = cert({ subject: 'CN=Example Intermediate', validFrom: '2026-07-01T00:00:00.000Z' });
    const d = details({ chain: [cert({}), early], chainError: 'CERT_NOT_YET_VALID' });
    expect(certificateProblems(d)).toEqual([
      "not yet valid: the chain's certificate CN=Example Intermediate is valid from 2026-07-01 (in 30 days); check the clocks of both machines",
    ]);
  });

  it('a name mismatch names what the certificate covers, the CN when there are no alt names', () => {
    const d = details({ chain: [cert({ altNames: [], subject: 'CN=old.example.org' })], nameMatches: false, verified: false });
    expect(certificateProblems(d)).toEqual(['wrong host: the certificate is for old.example.org, not for mail.example.org']);
    expect(certificateNames(cert({ altNames: ['DNS:a.example', 'IP Address:0:0:0:0:0:0:0:1', 'email:x@y'] }))).toEqual(['a.example', '::1']);
  });

  it('nothing when verified', () => {
    expect(certificateProblems(details({ verified: true }))).toEqual([]);
  });
});

describe('compressIpv6 (RFC 5952 §4)', () => {
  it.each([
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['127.0.0.1', '127.0.0.1'],
  ])('%s -> %s', (input, output) => expect(compressIpv6(input)).toBe(output));
});

describe('days, as the summary and --show-certs both count them', () => {
  it('a part of a day is dropped from days past and days left, and counts as one until a start', () => {
    const expired = details({ chain: [cert({ validTo: '2020-02-01T00:00:00.000Z' })], chainError: 'CERT_HAS_EXPIRED' });
    const now = new Date('2026-12-06T02:00:00.000Z'); // 2500 days and 2 hours after 2020-02-01
    expect(certificateProblems(expired, now)[0]).toMatch(/\(2500 days ago\)$/);
    const early = details({ chain: [cert({ validFrom: '2026-12-06T14:00:00.000Z' })], chainError: 'CERT_NOT_YET_VALID' });
    expect(certificateProblems(early, now)[0]).toMatch(/\(in 1 day\); check the clocks/);
    expect(formatTlsDetails(early, now)).toContain('  valid: 2026-12-06 to 2027-01-01 (NOT YET VALID: starts in 1 day)');
    const almost = details({ chain: [cert({ validTo: '2020-02-02T01:00:00.000Z' })], chainError: 'CERT_HAS_EXPIRED' });
    expect(certificateProblems(almost, now)[0]).toMatch(/\(2499 days ago\)$/);
  });
});

describe('formatTlsDetails', () => {
  it('counts days left from the moment given, and escapes names from the server', () => {
    const lines = formatTlsDetails(details({ chain: [cert({ subject: 'CN=evil\x1b[31m' })], verified: true }), new Date('2026-12-30T00:00:00Z'));
    expect(lines).toContain('certificate 1 (server): CN=evil\\x1b[31m');
    expect(lines).toContain('  valid: 2026-01-01 to 2027-01-01 (2 days left)');
    expect(lines).toContain('  key: EC, 256 bits, curve prime256v1');
  });

  it('says when the server sent no certificate', () => {
    expect(formatTlsDetails(details({ chain: [], nameMatches: false }))).toContain('certificate: none sent by the server');
  });

  it('speaks the words given (the shell\'s .tls under --lang ru), the values escaped and counted as the language counts', () => {
    const ru = new Words('ru');
    const lines = formatTlsDetails(details({ chain: [cert({ subject: 'CN=evil\x1b[31m' })], verified: true }), new Date('2026-12-31T00:00:00Z'), ru);
    expect(lines).toContain('сертификат 1 (сервера): CN=evil\\x1b[31m');
    expect(lines).toContain('  действителен: с 2026-01-01 по 2027-01-01 (остался 1 день)');
    expect(lines).toContain('  ключ: EC, 256 бит, кривая prime256v1');
    expect(lines.find((l) => l.startsWith('проверка: пройдена'))).toBeDefined();
    expect(lines.join('\n')).not.toMatch(/\b(?:certificate|valid|key|verification|issuer)\b/);
    // English by default, one day said as one.
    expect(formatTlsDetails(details({ chain: [cert({})], verified: true }), new Date('2026-12-31T00:00:00Z'))).toContain('  valid: 2026-01-01 to 2027-01-01 (1 day left)');
  });
});

describe('formatTlsDetails: the chain as the server sent it', () => {
  const leaf = cert({ sha256: 'L1', issuer: 'CN=Example Intermediate\x1b[2J' });
  const intermediate = cert({ subject: 'CN=Example Intermediate\x1b[2J', issuer: 'CN=Example Root', sha256: 'I1', ca: true, altNames: [] });
  const root = cert({ subject: 'CN=Example Root', issuer: 'CN=Example Root', sha256: 'R1', ca: true, selfSigned: true, altNames: [] });
  const chain = [leaf, intermediate, root];
  const at = new Date('2026-06-01T00:00:00Z');

  it('all sent but the root: no warning, the root said to come from the local store', () => {
    const lines = formatTlsDetails(details({ chain, sent: { kind: 'sent', certificates: [leaf, intermediate], omitted: 0 }, verified: true }), at);
    const at1 = lines.indexOf('the server sent 2 certificates:');
    expect(at1).toBeGreaterThan(0);
    expect(lines[at1 + 1]).toBe('certificate 1 (server): CN=mail.example.org');
    expect(lines).toContain('certificate 2 (intermediate CA): CN=Example Intermediate\\x1b[2J');
    expect(lines).toContain("not sent by the server, added from the local trust store (--ca, the system's CAs):");
    expect(lines).toContain('certificate 3 (root CA): CN=Example Root (self-signed)');
    expect(lines.join('\n')).not.toMatch(/WARNING/);
  });

  it('the intermediate left out: it comes from the local store, and a warning names it, escaped', () => {
    const lines = formatTlsDetails(details({ chain, sent: { kind: 'sent', certificates: [leaf], omitted: 0 }, verified: true }), at);
    const store = lines.indexOf("not sent by the server, added from the local trust store (--ca, the system's CAs):");
    expect(lines.slice(0, store)).toContain('the server sent 1 certificate:');
    expect(lines.slice(store)).toContain('certificate 2 (intermediate CA): CN=Example Intermediate\\x1b[2J');
    expect(lines.slice(store)).toContain('certificate 3 (root CA): CN=Example Root (self-signed)');
    expect(lines).toContain('WARNING: the server did not send the intermediate certificate CN=Example Intermediate\\x1b[2J; clients that do not have it will fail to verify');
    expect(lines).toContain('  the server should send its certificate followed by every intermediate; only the root may be left out (RFC 8446 §4.4.2, RFC 5246 §7.4.2)');
    expect(lines.at(-1)).toMatch(/^verification: OK/);
  });

  it('in Russian too', () => {
    const lines = formatTlsDetails(details({ chain, sent: { kind: 'sent', certificates: [leaf], omitted: 0 }, verified: true }), at, new Words('ru'));
    expect(lines).toContain('сервер прислал 1 сертификат:');
    expect(lines).toContain('не присланы сервером, взяты из местного хранилища доверенных сертификатов (--ca, системные УЦ):');
    expect(lines).toContain('ВНИМАНИЕ: сервер не прислал промежуточный сертификат CN=Example Intermediate\\x1b[2J; клиенты, у которых его нет, не смогут проверить цепочку');
    expect(formatTlsDetails(details({ chain, sent: { kind: 'sent', certificates: [leaf, intermediate, root, cert({ sha256: 'X' })], omitted: 0 } }), at, new Words('ru'))).toContain('сервер прислал 4 сертификата:');
  });

  it('TLS 1.2 in the wrong order (leaf, root, intermediate): each break named, and a warning citing RFC 5246 §7.4.2', () => {
    const lines = formatTlsDetails(details({ protocol: 'TLSv1.2', chain, sent: { kind: 'sent', certificates: [leaf, root, intermediate], omitted: 0 }, verified: true }), at);
    expect(lines[lines.indexOf('certificate 2 (root CA): CN=Example Root (self-signed)') + 5]).toBe('  does not directly certify certificate 1, sent before it');
    expect(lines[lines.indexOf('certificate 3 (intermediate CA): CN=Example Intermediate\\x1b[2J') + 5]).toBe('  does not directly certify certificate 2, sent before it');
    expect(lines).toContain('WARNING: the certificates are not in the order TLSv1.2 requires: each following certificate MUST directly certify the one before it (RFC 5246 §7.4.2); clients that take the list as sent may fail to verify');
    expect(lines.filter((l) => l.startsWith('note:'))).toEqual([]);
    expect(formatTlsDetails(details({ protocol: 'TLSv1.2', chain, sent: { kind: 'sent', certificates: [leaf, root, intermediate], omitted: 0 }, verified: true }), at, new Words('ru')))
      .toContain('ВНИМАНИЕ: сертификаты идут не в том порядке, которого требует TLSv1.2: каждый следующий обязан непосредственно удостоверять предыдущий (MUST, RFC 5246 §7.4.2); клиенты, которые проходят список по порядку, могут не суметь проверить цепочку');
  });

  it('TLS 1.3 in another order: a note, not a warning (RFC 8446 §4.4.2 allows any order after the leaf)', () => {
    const lines = formatTlsDetails(details({ protocol: 'TLSv1.3', chain, sent: { kind: 'sent', certificates: [leaf, root, intermediate], omitted: 0 }, verified: true }), at);
    expect(lines.filter((l) => l.startsWith('WARNING'))).toEqual([]);
    expect(lines).toContain("note: the certificates are not in the usual order, each following one directly certifying the one before it; TLS 1.3 asks for it (SHOULD) but lets clients accept any order after the server's own certificate (RFC 8446 §4.4.2)");
    // In order: nothing said of it, in either version.
    for (const protocol of ['TLSv1.2', 'TLSv1.3']) {
      const fine = formatTlsDetails(details({ protocol, chain, sent: { kind: 'sent', certificates: [leaf, intermediate, root], omitted: 0 }, verified: true }), at);
      expect(fine.join('\n')).not.toMatch(/order|directly certify|WARNING|note:/);
    }
  });

  it('repeats are duplicates of the certificate they repeat; an unrelated self-signed CA is outside the chain, not its root', () => {
    const other = cert({ subject: 'CN=Unrelated', issuer: 'CN=Unrelated', sha256: 'U1', ca: true, selfSigned: true, altNames: [] });
    const stranger = cert({ subject: 'CN=Stranger', issuer: 'CN=Nobody', sha256: 'S1', altNames: [] });
    const sent = [leaf, other, intermediate, leaf, intermediate, root, stranger];
    const lines = formatTlsDetails(details({ protocol: 'TLSv1.3', chain, sent: { kind: 'sent', certificates: sent, omitted: 0 }, verified: true }), at);
    const block = (heading: string) => lines.slice(lines.indexOf(heading) + 1, lines.findIndex((l, k) => k > lines.indexOf(heading) && !l.startsWith('  ')));
    expect(lines).toContain('certificate 2 (a CA outside this chain): CN=Unrelated (self-signed)');
    expect(lines.join('\n')).not.toMatch(/certificate 2 \(root CA\)/);
    expect(block('certificate 2 (a CA outside this chain): CN=Unrelated (self-signed)')).toContain('  not part of the verified chain');
    expect(block('certificate 4 (server): CN=mail.example.org')).toContain('  duplicate of certificate 1');
    expect(block('certificate 5 (intermediate CA): CN=Example Intermediate\\x1b[2J')).toContain('  duplicate of certificate 3');
    expect(block('certificate 7 (not a CA): CN=Stranger')).toContain('  not part of the verified chain');
    expect(lines.filter((l) => l.endsWith('not part of the verified chain'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('duplicate of'))).toHaveLength(2);
    const ru = formatTlsDetails(details({ protocol: 'TLSv1.3', chain, sent: { kind: 'sent', certificates: sent, omitted: 0 }, verified: true }), at, new Words('ru'));
    expect(ru).toContain('сертификат 2 (УЦ не из этой цепочки): CN=Unrelated (самоподписанный)');
    expect(ru).toContain('  повтор сертификата 1');
  });

  it('the server\'s own certificate sent after another: a warning in every version', () => {
    const lines = formatTlsDetails(details({ protocol: 'TLSv1.3', chain, sent: { kind: 'sent', certificates: [intermediate, leaf], omitted: 0 }, verified: true }), at);
    expect(lines).toContain("WARNING: the server's own certificate (CN=mail.example.org) is not the first it sent; it MUST come first (RFC 8446 §4.4.2, RFC 5246 §7.4.2)");
  });

  it('a sent certificate the chain does not use, certificates past 100, and one that cannot be read', () => {
    const stale = cert({ subject: 'CN=Old Intermediate', sha256: 'O1', ca: true, altNames: [] });
    const lines = formatTlsDetails(details({ chain, sent: { kind: 'sent', certificates: [leaf, stale, cert({ unreadable: true, sha256: 'AB:CD\x07' })], omitted: 3 }, verified: true }), at);
    expect(lines).toContain('the server sent 6 certificates:');
    expect(lines[lines.indexOf('certificate 2 (a CA outside this chain): CN=Old Intermediate') + 5]).toBe('  not part of the verified chain');
    expect(lines).toContain('certificate 3: not a readable X.509 certificate');
    expect(lines).toContain('  SHA-256: AB:CD\\x07');
    expect(lines).toContain('and 3 more, not shown: OpenSSL verifies no more than 100');
    expect(lines).toContain('certificate 4 (intermediate CA): CN=Example Intermediate\\x1b[2J');
    expect(lines).toContain('WARNING: the server did not send the intermediate certificate CN=Example Intermediate\\x1b[2J; clients that do not have it will fail to verify');
  });

  it('when the sent chain is not known, OpenSSL\'s chain is shown as it is, with why', () => {
    const unknown = formatTlsDetails(details({ chain, sent: { kind: 'unreadable', problem: 'compressed', detail: 'a CompressedCertificate message (RFC 8879)' } }), at);
    expect(unknown).toContain('certificate 2 (intermediate CA): CN=Example Intermediate\\x1b[2J');
    expect(unknown).toContain('which of these the server sent is not known: it sent them compressed (RFC 8879), which is not decoded here (a CompressedCertificate message (RFC 8879))');
    expect(formatTlsDetails(details({ chain, sent: { kind: 'unreadable', problem: 'malformed', detail: 'x\x1b' } }), at, new Words('ru'))).toContain('какие из них прислал сервер, неизвестно: его рукопожатие не удалось разобрать (x\\x1b)');
    expect(formatTlsDetails(details({ chain, sent: { kind: 'none' } }), at)).toContain('the server sent no certificate in this handshake (a resumed session)');
    expect(formatTlsDetails(details({ chain, sent: { kind: 'not-watched' } }), at)).toContain('which of these the server sent was not watched (--show-certs and -v watch it)');
  });
});
