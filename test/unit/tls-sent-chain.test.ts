/**
 * The reading of the certificates a server sends, on flights built byte by byte (test/support/
 * tls-flights.ts): TLS 1.2 in clear (RFC 5246 §7.4.2), TLS 1.3 opened with the handshake secret
 * (RFC 8446 §4.4.2, §5.2, §7.3), the key derivation against RFC 8448 §3, and hostile bytes of every
 * kind: truncated records, lengths that lie, empty certificates, more than 100 certificates, records
 * split at every byte, garbage. The reader never throws, and its answer never depends on the chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertificateMessage, MAX_SENT_CERTIFICATES } from '../../src/protocol/tls/certificate-message.js';
import { chainOrigins } from '../../src/protocol/tls/chain-origins.js';
import type { CertificateFacts } from '../../src/protocol/tls/certificates.js';
import { HandshakeMessageReader, MAX_HANDSHAKE_MESSAGE } from '../../src/protocol/tls/handshake-messages.js';
import { PendingOctets } from '../../src/protocol/tls/pending-octets.js';
import { MAX_BACKLOG, SentChainReader, type SentChainResult } from '../../src/protocol/tls/sent-chain-reader.js';
import { parseServerHello } from '../../src/protocol/tls/server-hello.js';
import { handshakeKeys, hkdfExpandLabel, openRecord, serverHandshakeSecret } from '../../src/protocol/tls/tls13-record-protection.js';
import { MAX_FRAGMENT, TlsRecordReader } from '../../src/protocol/tls/tls-records.js';
import { cutAt, splitsOf } from '../support/chunking.js';
import {
  certificate12, certificate13, fakeDer, handshake, HELLO_RETRY_RANDOM, keylogLine, record, RecordSealer, serverHello, tls12Flight, tls13Flight, u16, u24, vector,
} from '../support/tls-flights.js';

const LEAF = fakeDer(1);
const INTERMEDIATE = fakeDer(2, 60);
const ROOT = fakeDer(3, 50);

/** Feeds `chunks` to a reader, with the key log line before the bytes, after them or after chunk `keylogAfter`. */
function read(chunks: readonly Buffer[], keylog: string | null = null, keylogAfter: number | 'before' | 'after' = 'after'): SentChainResult {
  const reader = new SentChainReader();
  if (keylog !== null && keylogAfter === 'before') reader.keylog(keylog);
  chunks.forEach((chunk, i) => {
    reader.serverBytes(chunk);
    if (keylog !== null && keylogAfter === i) reader.keylog(keylog);
  });
  if (keylog !== null && keylogAfter === 'after') reader.keylog(keylog);
  return reader.end();
}

const sent = (...ders: Buffer[]): SentChainResult => ({ kind: 'sent', certificates: ders, omitted: 0 });
const unreadable = (problem: string, detail: RegExp | string = /./) => ({ kind: 'unreadable', problem, detail: typeof detail === 'string' ? detail : expect.stringMatching(detail) });

describe('HKDF-Expand-Label and the handshake keys (RFC 8446 §7.1, §7.3)', () => {
  it('derive the server handshake key and IV of RFC 8448 §3', () => {
    const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
    expect(hkdfExpandLabel('sha256', secret, 'key', Buffer.alloc(0), 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(hkdfExpandLabel('sha256', secret, 'iv', Buffer.alloc(0), 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
    const keys = handshakeKeys(0x1301, secret);
    expect('problem' in keys ? keys.problem : keys.key.toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
  });

  it('refuse a suite TLS 1.3 does not define, and a secret of the wrong length', () => {
    expect(handshakeKeys(0xc02f, Buffer.alloc(32))).toEqual({ problem: 'cipher suite 0xc02f is not one of TLS 1.3' });
    expect(handshakeKeys(0x1302, Buffer.alloc(32))).toEqual({ problem: 'a secret of 32 octets for TLS_AES_256_GCM_SHA384, which needs 48' });
  });

  it('take only the server handshake secret from the key log', () => {
    const random = 'ab'.repeat(32);
    expect(serverHandshakeSecret(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} ${'01'.repeat(32)}\n`)?.toString('hex')).toBe('01'.repeat(32));
    expect(serverHandshakeSecret(`CLIENT_HANDSHAKE_TRAFFIC_SECRET ${random} ${'01'.repeat(32)}\n`)).toBeNull();
    expect(serverHandshakeSecret(`SERVER_TRAFFIC_SECRET_0 ${random} ${'01'.repeat(32)}\n`)).toBeNull();
    expect(serverHandshakeSecret(`CLIENT_RANDOM ${random} ${'01'.repeat(48)}\n`)).toBeNull();
    expect(serverHandshakeSecret(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} 0\n`)).toBeNull();
    expect(serverHandshakeSecret('SERVER_HANDSHAKE_TRAFFIC_SECRET short 0101\n')).toBeNull();
  });

  it('open a record sealed with the same keys, padding and all, and no record twice (the nonce moves on)', () => {
    const secret = Buffer.alloc(32, 9);
    const sealer = new RecordSealer(0x1301, secret);
    const first = sealer.seal(22, Buffer.from('hello'), 5);
    const second = sealer.seal(22, Buffer.from('again'));
    const keys = handshakeKeys(0x1301, secret) as Exclude<ReturnType<typeof handshakeKeys>, { problem: string }>;
    expect(openRecord(keys, 0x0303, first.subarray(5))).toEqual({ type: 22, content: Buffer.from('hello') });
    // Opened out of order, a record meets the wrong nonce.
    expect(openRecord(keys, 0x0303, first.subarray(5))).toEqual({ problem: "record 1 of the server's handshake does not open with its handshake key (TLS_AES_128_GCM_SHA256)" });
    const fresh = handshakeKeys(0x1301, secret) as typeof keys;
    openRecord(fresh, 0x0303, first.subarray(5));
    expect(openRecord(fresh, 0x0303, second.subarray(5))).toEqual({ type: 22, content: Buffer.from('again') });
  });
});

describe('the certificates of a TLS 1.2 Certificate message (RFC 5246 §7.4.2)', () => {
  it('are read in the order the server sent them', () => {
    expect(read([tls12Flight([LEAF, INTERMEDIATE])])).toEqual(sent(LEAF, INTERMEDIATE));
  });

  it('are the same wherever the records are split, one byte at a time too', () => {
    const flight = tls12Flight([LEAF, INTERMEDIATE, ROOT]);
    for (const { label, chunks } of splitsOf(flight)) expect(read(chunks), label).toEqual(sent(LEAF, INTERMEDIATE, ROOT));
  });

  it('are read from a message spread over several records, and from several messages in one record', () => {
    const message = handshake(11, certificate12([LEAF, INTERMEDIATE]));
    const hello = handshake(2, serverHello({ tls13: false, suite: 0xc02f }));
    const spread = Buffer.concat([record(22, hello), ...cutAt(message, [1, 4, 30, 70]).map((piece) => record(22, piece))]);
    expect(read([spread])).toEqual(sent(LEAF, INTERMEDIATE));
    expect(read([record(22, Buffer.concat([hello, message]))])).toEqual(sent(LEAF, INTERMEDIATE));
  });

  it('a ServerHello without extensions (allowed before TLS 1.3) is read too', () => {
    const hello = record(22, handshake(2, serverHello({ tls13: false, suite: 0x002f, extensions: false })));
    expect(read([hello, record(22, handshake(11, certificate12([LEAF])))])).toEqual(sent(LEAF));
  });

  it('none when the handshake has no Certificate: a resumed session, or no certificate at all', () => {
    const hello = record(22, handshake(2, serverHello({ tls13: false, suite: 0xc02f })));
    expect(read([hello, record(20, Buffer.from([1]))])).toEqual({ kind: 'none' });
    expect(read([hello, record(22, handshake(14, Buffer.alloc(0)))])).toEqual({ kind: 'none' });
  });

  it('an empty list is a list of no certificates', () => {
    expect(read([tls12Flight([])])).toEqual(sent());
  });
});

describe('the certificates of a TLS 1.3 Certificate message (RFC 8446 §4.4.2)', () => {
  it.each([
    ['TLS_AES_128_GCM_SHA256', 0x1301],
    ['TLS_AES_256_GCM_SHA384', 0x1302],
    ['TLS_CHACHA20_POLY1305_SHA256', 0x1303],
    ['TLS_AES_128_CCM_SHA256', 0x1304],
    ['TLS_AES_128_CCM_8_SHA256', 0x1305],
  ])('are opened with the handshake secret under %s', (_name, suite) => {
    const { bytes, keylog } = tls13Flight({ suite, ders: [LEAF, INTERMEDIATE] });
    expect(read([bytes], keylog)).toEqual(sent(LEAF, INTERMEDIATE));
  });

  it('are the same wherever the records are split and whenever the secret comes', () => {
    const { bytes, keylog } = tls13Flight({ ders: [LEAF, INTERMEDIATE], padding: 3 });
    for (const { label, chunks } of splitsOf(bytes)) {
      expect(read(chunks, keylog, 'after'), label).toEqual(sent(LEAF, INTERMEDIATE));
      expect(read(chunks, keylog, 'before'), label).toEqual(sent(LEAF, INTERMEDIATE));
      expect(read(chunks, keylog, 0), label).toEqual(sent(LEAF, INTERMEDIATE));
    }
  });

  it('are read from a message spread over several protected records, and from one record holding several messages', () => {
    const secret = Buffer.alloc(32, 0x33);
    const ders = Array.from({ length: 40 }, (_, i) => fakeDer(i, 1000));
    const message = handshake(11, certificate13(ders));
    const hello = Buffer.concat([record(22, handshake(2, serverHello({ tls13: true, suite: 0x1301 }))), record(20, Buffer.from([1]))]);
    const inOrder = new RecordSealer(0x1301, secret);
    const flight = [hello, inOrder.seal(22, handshake(8, vector(2, Buffer.alloc(0)))), ...cutAt(message, [16000, 32000]).map((piece) => inOrder.seal(22, piece))];
    expect(read(flight, keylogLine(secret))).toEqual({ kind: 'sent', certificates: ders, omitted: 0 });
    const together = new RecordSealer(0x1301, secret);
    const small = handshake(11, certificate13([LEAF]));
    expect(read([hello, together.seal(22, Buffer.concat([handshake(8, vector(2, Buffer.alloc(0))), small]))], keylogLine(secret))).toEqual(sent(LEAF));
  });

  it('skip the extensions of each entry (an OCSP response, SCTs)', () => {
    const ocsp = Buffer.concat([u16(5), vector(2, Buffer.from('ocsp response'))]);
    const message = handshake(11, certificate13([LEAF, INTERMEDIATE], (i) => (i === 0 ? Buffer.concat([ocsp, u16(18), vector(2, Buffer.alloc(9))]) : Buffer.alloc(0))));
    const { bytes, keylog } = tls13Flight({ certificateMessage: message });
    expect(read([bytes], keylog)).toEqual(sent(LEAF, INTERMEDIATE));
  });

  it('come after a HelloRetryRequest and the second ServerHello (RFC 8446 §4.1.4)', () => {
    const retry = Buffer.concat([record(22, handshake(2, serverHello({ tls13: true, suite: 0x1301, random: HELLO_RETRY_RANDOM }))), record(20, Buffer.from([1]))]);
    const { bytes, keylog } = tls13Flight({ ders: [LEAF] });
    expect(read([retry, bytes], keylog)).toEqual(sent(LEAF));
  });

  it('none when a PSK handshake finishes without a Certificate', () => {
    const { bytes, keylog } = tls13Flight({ certificateMessage: handshake(13, Buffer.concat([vector(1, Buffer.alloc(0)), vector(2, Buffer.alloc(0))])) });
    expect(read([bytes], keylog)).toEqual({ kind: 'none' });
  });

  it('say so when sent compressed (RFC 8879), not decoded here', () => {
    const { bytes, keylog } = tls13Flight({ certificateMessage: handshake(25, Buffer.alloc(20, 1)) });
    expect(read([bytes], keylog)).toEqual(unreadable('compressed'));
  });

  it('are unknown when the secret does not open the records, or never comes', () => {
    const { bytes } = tls13Flight({ ders: [LEAF] });
    expect(read([bytes], keylogLine(Buffer.alloc(32, 1)))).toEqual(unreadable('undecryptable', /does not open with its handshake key/));
    expect(read([bytes])).toEqual(unreadable('incomplete', 'the TLS 1.3 handshake secret never came'));
    expect(read([bytes], keylogLine(Buffer.alloc(48, 1)))).toEqual(unreadable('undecryptable', 'a secret of 48 octets for TLS_AES_128_GCM_SHA256, which needs 32'));
  });

  it('are unknown when a protected record holds only padding', () => {
    const secret = Buffer.alloc(32, 0x5c);
    const sealer = new RecordSealer(0x1301, secret);
    const hello = record(22, handshake(2, serverHello({ tls13: true, suite: 0x1301 })));
    // Content type 0 and padding: the record decrypts to zeros only (RFC 8446 §5.4).
    expect(read([hello, sealer.seal(0, Buffer.alloc(0), 4)], keylogLine(secret))).toEqual(unreadable('undecryptable', /holds only padding/));
  });
});

describe('hostile bytes', () => {
  it('truncated anywhere, a flight gives no certificates until their record is whole, and no exception', () => {
    const { bytes, keylog } = tls13Flight({ ders: [LEAF, INTERMEDIATE] });
    // The Certificate's record ends where the Finished's (5 + 4 + 32 + 1 + 16 octets) begins.
    const tls13End = bytes.length - 58;
    for (let n = 0; n < bytes.length; n++) {
      const result = read([bytes.subarray(0, n)], keylog);
      if (n < tls13End) expect(result.kind, `TLS 1.3 cut at ${n}`).toBe('unreadable');
      else expect(result, `TLS 1.3 cut at ${n}`).toEqual(sent(LEAF, INTERMEDIATE));
    }
    const twelve = tls12Flight([LEAF, INTERMEDIATE]);
    // Then the ServerHelloDone's record, 5 + 4 octets.
    const tls12End = twelve.length - 9;
    for (let n = 0; n < twelve.length; n++) {
      const result = read([twelve.subarray(0, n)]);
      if (n < tls12End) expect(result, `TLS 1.2 cut at ${n}`).toEqual(unreadable('incomplete', 'no Certificate message came'));
      else expect(result, `TLS 1.2 cut at ${n}`).toEqual(sent(LEAF, INTERMEDIATE));
    }
  });

  it('a record longer than TLS allows is refused before it is waited for', () => {
    const header = Buffer.from([22, 3, 3, ...u16(MAX_FRAGMENT + 1)]);
    expect(read([header])).toEqual(unreadable('malformed', `a record of ${MAX_FRAGMENT + 1} octets, over the ${MAX_FRAGMENT} TLS allows`));
    const reader = new TlsRecordReader();
    expect(reader.push(Buffer.from([22, 3, 3, 0xff]))).toEqual({ records: [], problem: null });
    expect(reader.push(Buffer.from([0xff])).problem).toMatch(/65535 octets/);
    // After a problem, nothing more is read or held.
    expect(reader.push(Buffer.alloc(100, 22))).toEqual({ records: [], problem: null });
  });

  it('a handshake message announcing more than the cap is refused without waiting for it', () => {
    const reader = new HandshakeMessageReader();
    expect(reader.push(Buffer.concat([Buffer.from([11]), u24(MAX_HANDSHAKE_MESSAGE + 1)])).problem).toBe(`a handshake message of ${MAX_HANDSHAKE_MESSAGE + 1} octets, over the ${MAX_HANDSHAKE_MESSAGE} read`);
    const hello = record(22, handshake(2, serverHello({ tls13: false, suite: 0xc02f })));
    expect(read([hello, record(22, Buffer.concat([Buffer.from([11]), u24(0xffffff)]))])).toEqual(unreadable('too-large'));
  });

  it.each([
    ['a certificate list longer than its message', Buffer.concat([u24(100), vector(3, LEAF)]), /cut short/],
    ['a certificate longer than its list', vector(3, Buffer.concat([u24(LEAF.length + 5), LEAF])), /cut short/],
    ['an empty certificate', certificate12([LEAF, Buffer.alloc(0)]), 'certificate 2 is empty (RFC 5246 §7.4.2: at least 1 octet)'],
    ['octets after the list', Buffer.concat([certificate12([LEAF]), Buffer.from([0])]), '1 octets after the certificate list'],
    ['no list at all', Buffer.alloc(0), /cut short/],
  ])('TLS 1.2: %s is malformed', (_what, body, detail) => {
    const hello = record(22, handshake(2, serverHello({ tls13: false, suite: 0xc02f })));
    expect(read([hello, record(22, handshake(11, body))])).toEqual(unreadable('malformed', detail));
  });

  it.each([
    ['a request context from the server', Buffer.concat([vector(1, Buffer.from([1, 2])), vector(3, Buffer.alloc(0))]), 'a certificate_request_context of 2 octets from the server, not empty'],
    ['an entry whose extensions overrun it', Buffer.concat([vector(1, Buffer.alloc(0)), vector(3, Buffer.concat([vector(3, LEAF), u16(50), Buffer.alloc(3)]))]), /cut short/],
    ['an extension longer than its list', certificate13([LEAF], () => Buffer.concat([u16(5), u16(10), Buffer.alloc(2)])), /cut short/],
    ['an empty certificate', certificate13([Buffer.alloc(0)]), 'certificate 1 is empty (RFC 8446 §4.4.2: at least 1 octet)'],
  ])('TLS 1.3: %s is malformed', (_what, body, detail) => {
    const { bytes, keylog } = tls13Flight({ certificateMessage: handshake(11, body) });
    expect(read([bytes], keylog)).toEqual(unreadable('malformed', detail));
  });

  it(`more than ${MAX_SENT_CERTIFICATES} certificates: the first ${MAX_SENT_CERTIFICATES} are kept, the rest counted`, () => {
    const ders = Array.from({ length: 150 }, (_, i) => fakeDer(i, 8));
    expect(parseCertificateMessage(certificate12(ders), false)).toEqual({ certificates: ders.slice(0, 100), omitted: 50 });
    const { bytes, keylog } = tls13Flight({ ders });
    expect(read([bytes], keylog)).toEqual({ kind: 'sent', certificates: ders.slice(0, 100), omitted: 50 });
  });

  it('200,000 one-octet certificates cost a bounded walk and keep 100', () => {
    const body = certificate12(Array.from({ length: 200_000 }, () => Buffer.from([0x30])));
    const parsed = parseCertificateMessage(body, false);
    expect('problem' in parsed ? parsed.problem : [parsed.certificates.length, parsed.omitted]).toEqual([100, 199_900]);
  });

  it.each([
    ['plain text where TLS belongs (a server on the wrong port)', Buffer.from('* OK IMAP4rev1 ready\r\n'), 'content type 42 is not one of TLS (20 to 23)'],
    ['an SSL 2 record', Buffer.from([0x16, 0x02, 0x00, 0x00, 0x10]), 'record version 2.x is not TLS (3.x)'],
    ['application data before the ServerHello', record(23, Buffer.alloc(20)), 'a record of type 23 before the ServerHello'],
    ['a Certificate before the ServerHello', record(22, handshake(11, certificate12([LEAF]))), 'handshake message of type 11 where the ServerHello belongs'],
    ['a ServerHello cut short', record(22, handshake(2, Buffer.alloc(10))), /the ServerHello is cut short/],
    ['a ServerHello with octets after its extensions', record(22, handshake(2, Buffer.concat([serverHello({ tls13: true, suite: 0x1301 }), Buffer.from([0])]))), '1 octets after the ServerHello\'s extensions'],
  ])('%s is malformed', (_what, bytes, detail) => {
    expect(read([bytes])).toEqual(unreadable('malformed', detail));
  });

  it('an alert before the certificates is said as such', () => {
    expect(read([record(21, Buffer.from([2, 40]))])).toEqual(unreadable('alert', 'an alert (0228) before the certificates'));
  });

  it('TLS 1.3: a change_cipher_spec other than the octet 1, and messages in clear after the ServerHello, are malformed', () => {
    const hello = record(22, handshake(2, serverHello({ tls13: true, suite: 0x1301 })));
    const keylog = keylogLine(Buffer.alloc(32, 0x5c));
    expect(read([hello, record(20, Buffer.from([2]))], keylog)).toEqual(unreadable('malformed', 'a change_cipher_spec record other than the single octet 1'));
    expect(read([hello, record(22, handshake(11, certificate13([LEAF])))], keylog)).toEqual(unreadable('malformed', /in clear after the TLS 1.3 ServerHello/));
    // RFC 8446 §5.1: the ServerHello's record may not carry the start of another message.
    const joined = record(22, Buffer.concat([handshake(2, serverHello({ tls13: true, suite: 0x1301 })), Buffer.from([8, 0])]));
    expect(read([joined], keylog)).toEqual(unreadable('malformed', 'a handshake message in clear runs on past the TLS 1.3 ServerHello'));
  });

  it('TLS 1.3: no more than MAX_BACKLOG octets wait for the secret', () => {
    const hello = record(22, handshake(2, serverHello({ tls13: true, suite: 0x1301 })));
    const filler = record(23, Buffer.alloc(16384));
    const reader = new SentChainReader();
    reader.serverBytes(hello);
    for (let sentOctets = 0; sentOctets <= MAX_BACKLOG && !reader.finished; sentOctets += 16384) reader.serverBytes(filler);
    expect(reader.result()).toEqual(unreadable('too-large', `over ${MAX_BACKLOG} octets of records came before the handshake secret`));
  });

  it('takes nothing more once the certificates are read', () => {
    const reader = new SentChainReader();
    reader.serverBytes(tls12Flight([LEAF]));
    expect(reader.finished).toBe(true);
    reader.serverBytes(Buffer.from('garbage after the handshake'));
    expect(reader.end()).toEqual(sent(LEAF));
  });

  it('garbage, cut anywhere, never throws and never yields certificates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 6 }), (bytes, cuts) => {
        const result = read(cutAt(Buffer.from(bytes), cuts), keylogLine(Buffer.alloc(32, 0x5c)));
        expect(['unreadable', 'none']).toContain(result.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it('a real flight with octets changed never throws, and its answer does not hang on the chunking', () => {
    const { bytes, keylog } = tls13Flight({ ders: [LEAF, INTERMEDIATE] });
    const twelve = tls12Flight([LEAF, INTERMEDIATE]);
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(400), { maxLength: 5 }), (tls13, changes, cuts) => {
        const flight = Buffer.from(tls13 ? bytes : twelve);
        for (const [at, value] of changes) flight[at % flight.length] = value;
        const whole = read([flight], keylog);
        expect(read(cutAt(flight, cuts), keylog)).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('PendingOctets', () => {
  it('takes across pieces, and a piece at a time, the same octets', () => {
    const p = new PendingOctets();
    for (const b of Buffer.from('abcdefgh')) p.push(Buffer.from([b]));
    expect(p.at(3)).toBe('d'.charCodeAt(0));
    expect(p.take(3).toString()).toBe('abc');
    expect(p.take(0).length).toBe(0);
    expect(p.take(5).toString()).toBe('defgh');
    expect(p.length).toBe(0);
    expect(() => p.take(1)).toThrow(RangeError);
  });
});

describe('parseServerHello', () => {
  it('reads the version from supported_versions, and knows a HelloRetryRequest', () => {
    expect(parseServerHello(serverHello({ tls13: true, suite: 0x1302 }))).toEqual({ version: 0x0304, cipherSuite: 0x1302, helloRetryRequest: false });
    expect(parseServerHello(serverHello({ tls13: false, suite: 0xc02f }))).toEqual({ version: 0x0303, cipherSuite: 0xc02f, helloRetryRequest: false });
    expect(parseServerHello(serverHello({ tls13: true, suite: 0x1301, random: HELLO_RETRY_RANDOM }))).toEqual({ version: 0x0304, cipherSuite: 0x1301, helloRetryRequest: true });
    const odd = Buffer.concat([serverHello({ tls13: false, suite: 0xc02f, extensions: false }), vector(2, Buffer.concat([u16(43), vector(2, Buffer.from([3]))]))]);
    expect(parseServerHello(odd)).toEqual({ problem: 'supported_versions of 1 octets in the ServerHello, not 2' });
  });
});

describe('chainOrigins', () => {
  const facts = (name: string, selfSigned = false): CertificateFacts => ({
    subject: `CN=${name}`, issuer: '', altNames: [], validFrom: '', validTo: '', keyType: 'EC', keyBits: 256, curve: null, sha256: name, serial: '', selfSigned, ca: true,
  });
  const leaf = facts('leaf');
  const intermediate = facts('intermediate');
  const root = facts('root', true);

  it('a root from the store is as it should be; an intermediate from the store is missing', () => {
    expect(chainOrigins([leaf, intermediate, root], [leaf, intermediate])).toMatchObject({ fromStore: [2], missingIntermediates: [], notInChain: [] });
    expect(chainOrigins([leaf, intermediate, root], [leaf])).toMatchObject({ fromStore: [1, 2], missingIntermediates: [intermediate], notInChain: [] });
  });

  it('a certificate sent but not used by the chain is named', () => {
    const stale = facts('old intermediate');
    expect(chainOrigins([leaf, intermediate, root], [leaf, stale, root])).toMatchObject({ fromStore: [1], missingIntermediates: [intermediate], notInChain: [1] });
  });

  // Issuers named as each certifies the one before it: leaf <- intermediate <- root.
  const named = (name: string, issuer: string, selfSigned = false): CertificateFacts => ({ ...facts(name, selfSigned), issuer: `CN=${issuer}` });
  const l = named('leaf', 'intermediate');
  const i = named('intermediate', 'root');
  const r = named('root', 'root', true);
  const other = named('unrelated', 'unrelated', true);

  it('in order, with or without the root: nothing to say of the order', () => {
    expect(chainOrigins([l, i, r], [l, i, r])).toMatchObject({ chainIndex: [0, 1, 2], duplicates: new Map(), leafNotFirst: false, outOfOrder: [] });
    expect(chainOrigins([l, i, r], [l, i])).toMatchObject({ outOfOrder: [], leafNotFirst: false });
  });

  it('leaf, root, intermediate: the root does not certify the leaf, nor the intermediate the root', () => {
    expect(chainOrigins([l, i, r], [l, r, i])).toMatchObject({ chainIndex: [0, 2, 1], duplicates: new Map(), leafNotFirst: false, outOfOrder: [1, 2], notInChain: [] });
  });

  it('repeats are named with the certificate they repeat; an unrelated one is outside the chain', () => {
    const o = chainOrigins([l, i, r], [l, other, i, l, i, r]);
    expect(o.duplicates).toEqual(new Map([[3, 0], [4, 2]]));
    expect(o.notInChain).toEqual([1]);
    expect(o.chainIndex).toEqual([0, -1, 1, 0, 1, 2]);
    expect(o.outOfOrder).toEqual([1, 2, 3]);
  });

  it('the server\'s own certificate not first', () => {
    expect(chainOrigins([l, i, r], [i, l])).toMatchObject({ leafNotFirst: true, outOfOrder: [1] });
    expect(chainOrigins([], [i, l])).toMatchObject({ leafNotFirst: false });
  });
});
