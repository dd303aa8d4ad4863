/**
 * A server's first flight of a TLS handshake, made byte by byte as RFC 5246 §7.4 and RFC 8446 §4 lay
 * it out, so that the sent-chain reader can be fed what no well-behaved server sends: lengths that
 * lie, empty certificates, 150 certificates, an alert, a CompressedCertificate. TLS 1.3 records are
 * sealed with the keys of a secret of the test's choosing (the derivation itself is checked against
 * RFC 8448 §3 apart), and the key log line that goes with it is made too.
 */
import { createCipheriv, type CipherGCMTypes } from 'node:crypto';
import { handshakeKeys, type HandshakeKeys } from '../../src/protocol/tls/tls13-record-protection.js';

export const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
export const u16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
export const u24 = (n: number): Buffer => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
/** A vector: its length in `octets` octets, then its bytes (RFC 8446 §3.4). */
export const vector = (octets: 1 | 2 | 3, bytes: Buffer): Buffer => Buffer.concat([octets === 1 ? u8(bytes.length) : octets === 2 ? u16(bytes.length) : u24(bytes.length), bytes]);

/** A record: content type, legacy_record_version, length, fragment (RFC 8446 §5.1). */
export function record(type: number, fragment: Buffer, version = 0x0303): Buffer {
  return Buffer.concat([u8(type), u16(version), u16(fragment.length), fragment]);
}

/** A handshake message: type, 24-bit length, body (RFC 8446 §4). */
export function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([u8(type), u24(body.length), body]);
}

/** RFC 8446 §4.1.3: the random of a HelloRetryRequest. */
export const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** A ServerHello body; TLS 1.3 says so in supported_versions (RFC 8446 §4.2.1). */
export function serverHello(options: { tls13: boolean; suite: number; random?: Buffer; extensions?: boolean }): Buffer {
  const fields = [u16(0x0303), options.random ?? Buffer.alloc(32, 7), vector(1, Buffer.alloc(32, 1)), u16(options.suite), u8(0)];
  if (options.tls13) fields.push(vector(2, Buffer.concat([u16(43), vector(2, u16(0x0304))])));
  else if (options.extensions !== false) fields.push(vector(2, Buffer.concat([u16(0xff01), vector(2, Buffer.from([0]))])));
  return Buffer.concat(fields);
}

/** A Certificate body of TLS 1.2 (RFC 5246 §7.4.2). */
export function certificate12(ders: readonly Buffer[]): Buffer {
  return vector(3, Buffer.concat(ders.map((d) => vector(3, d))));
}

/** A Certificate body of TLS 1.3 (RFC 8446 §4.4.2): empty context, each entry with its extensions. */
export function certificate13(ders: readonly Buffer[], extensions: (i: number) => Buffer = () => Buffer.alloc(0)): Buffer {
  return Buffer.concat([vector(1, Buffer.alloc(0)), vector(3, Buffer.concat(ders.map((d, i) => Buffer.concat([vector(3, d), vector(2, extensions(i))]))))]);
}

/** Cipher names of node:crypto for the suites of RFC 8446 §B.4, and their tag lengths. */
const AEADS: Record<number, { cipher: string; tag: number }> = {
  0x1301: { cipher: 'aes-128-gcm', tag: 16 },
  0x1302: { cipher: 'aes-256-gcm', tag: 16 },
  0x1303: { cipher: 'chacha20-poly1305', tag: 16 },
  0x1304: { cipher: 'aes-128-ccm', tag: 16 },
  0x1305: { cipher: 'aes-128-ccm', tag: 8 },
};

/** Seals protected records in order with the server's handshake keys (RFC 8446 §5.2, §5.3). */
export class RecordSealer {
  private readonly keys: HandshakeKeys;

  constructor(readonly suite: number, secret: Buffer) {
    const keys = handshakeKeys(suite, secret);
    if ('problem' in keys) throw new Error(keys.problem);
    this.keys = keys;
  }

  /** A record of outer type application_data holding `content` of `innerType`, with `padding` zeros. */
  seal(innerType: number, content: Buffer, padding = 0): Buffer {
    const aead = AEADS[this.suite] as { cipher: string; tag: number };
    const inner = Buffer.concat([content, u8(innerType), Buffer.alloc(padding)]);
    const length = inner.length + aead.tag;
    const header = Buffer.concat([u8(23), u16(0x0303), u16(length)]);
    const nonce = Buffer.from(this.keys.iv);
    const sequence = this.keys.sequence++;
    for (let i = 0, n = sequence; i < 8; i++, n = Math.floor(n / 256)) nonce[11 - i] = (nonce[11 - i] as number) ^ (n & 0xff);
    const cipher = createCipheriv(aead.cipher as CipherGCMTypes, this.keys.key, nonce, { authTagLength: aead.tag });
    cipher.setAAD(header, { plaintextLength: inner.length });
    const sealed = Buffer.concat([cipher.update(inner), cipher.final(), cipher.getAuthTag()]);
    return Buffer.concat([header, sealed]);
  }
}

/** The key log line OpenSSL writes for a server handshake traffic secret (NSS format). */
export function keylogLine(secret: Buffer, clientRandom: Buffer = Buffer.alloc(32, 0xab)): string {
  return `SERVER_HANDSHAKE_TRAFFIC_SECRET ${clientRandom.toString('hex')} ${secret.toString('hex')}\n`;
}

/** A TLS 1.2 flight: ServerHello, Certificate, ServerHelloDone, each in a record of its own. */
export function tls12Flight(ders: readonly Buffer[]): Buffer {
  return Buffer.concat([
    record(22, handshake(2, serverHello({ tls13: false, suite: 0xc02f }))),
    record(22, handshake(11, certificate12(ders))),
    record(22, handshake(14, Buffer.alloc(0))),
  ]);
}

/**
 * A TLS 1.3 flight: ServerHello in clear, the compatibility change_cipher_spec, then EncryptedExtensions,
 * `certificateMessage` (a Certificate of `ders` unless given) and a Finished in protected records.
 */
export function tls13Flight(options: { ders?: readonly Buffer[]; suite?: number; secret?: Buffer; certificateMessage?: Buffer; padding?: number }): { bytes: Buffer; keylog: string } {
  const suite = options.suite ?? 0x1301;
  const secret = options.secret ?? Buffer.alloc(suite === 0x1302 ? 48 : 32, 0x5c);
  const sealer = new RecordSealer(suite, secret);
  const certificate = options.certificateMessage ?? handshake(11, certificate13(options.ders ?? []));
  const bytes = Buffer.concat([
    record(22, handshake(2, serverHello({ tls13: true, suite }))),
    record(20, Buffer.from([1])),
    sealer.seal(22, handshake(8, vector(2, Buffer.alloc(0))), options.padding ?? 0),
    sealer.seal(22, certificate, options.padding ?? 0),
    sealer.seal(22, handshake(20, Buffer.alloc(32, 0xf1))),
  ]);
  return { bytes, keylog: keylogLine(secret) };
}

/** Bytes that look like nothing in particular: a certificate's worth of them, for the reader (not OpenSSL). */
export function fakeDer(n: number, size = 40): Buffer {
  return Buffer.concat([Buffer.from([0x30, 0x82]), u16(size - 4), Buffer.alloc(size - 4, n & 0xff)]);
}
