/**
 * Opening the server's encrypted handshake records of TLS 1.3, given its handshake traffic secret (the
 * SERVER_HANDSHAKE_TRAFFIC_SECRET line of the NSS key log that OpenSSL writes, which Node.js hands out
 * by a TLS socket's 'keylog' event): the write key and IV by HKDF-Expand-Label (RFC 8446 §7.1, §7.3),
 * the per-record nonce (§5.3), the AEAD with the record header as additional data (§5.2), and the
 * inner plaintext's content type under its padding (§5.4). Only the handshake secret is ever used: it
 * opens the server's handshake flight, never the application data that follows.
 *
 * No I/O: node:crypto computes, and nothing here reads or writes anything else.
 */
import { createDecipheriv, createHmac, type CipherCCMTypes, type CipherChaCha20Poly1305Types, type CipherGCMTypes } from 'node:crypto';

/** The five cipher suites of TLS 1.3 (RFC 8446 §B.4). */
interface Suite {
  name: string;
  cipher: CipherGCMTypes | CipherCCMTypes | CipherChaCha20Poly1305Types;
  keyLength: number;
  hash: 'sha256' | 'sha384';
  hashLength: number;
  tagLength: number;
}

const SUITES: ReadonlyMap<number, Suite> = new Map([
  [0x1301, { name: 'TLS_AES_128_GCM_SHA256', cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256', hashLength: 32, tagLength: 16 }],
  [0x1302, { name: 'TLS_AES_256_GCM_SHA384', cipher: 'aes-256-gcm', keyLength: 32, hash: 'sha384', hashLength: 48, tagLength: 16 }],
  [0x1303, { name: 'TLS_CHACHA20_POLY1305_SHA256', cipher: 'chacha20-poly1305', keyLength: 32, hash: 'sha256', hashLength: 32, tagLength: 16 }],
  [0x1304, { name: 'TLS_AES_128_CCM_SHA256', cipher: 'aes-128-ccm', keyLength: 16, hash: 'sha256', hashLength: 32, tagLength: 16 }],
  [0x1305, { name: 'TLS_AES_128_CCM_8_SHA256', cipher: 'aes-128-ccm', keyLength: 16, hash: 'sha256', hashLength: 32, tagLength: 8 }],
] as const);

/** RFC 8446 §5.3: the per-record nonce is as long as the IV, 12 octets for every suite of §B.4. */
const IV_LENGTH = 12;
/** RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes." */
export const MAX_TLS13_CIPHERTEXT = 16384 + 256;

/** Whether TLS 1.3 defines `suite` (and this module can open its records). */
export function isTls13Suite(suite: number): boolean {
  return SUITES.has(suite);
}

/** HKDF-Expand (RFC 5869 §2.3): `length` octets from a pseudorandom key and `info`. */
export function hkdfExpand(hash: 'sha256' | 'sha384', prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let made = 0;
  for (let i = 1; made < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Buffer.from([i])).digest();
    blocks.push(previous);
    made += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label (RFC 8446 §7.1): struct HkdfLabel { uint16 length; "tls13 " + label; context }. */
export function hkdfExpandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, fullLabel.length]), fullLabel, Buffer.from([context.length]), context]);
  return hkdfExpand(hash, secret, info, length);
}

/** The server's handshake write keys, and the sequence number of the next record they open. */
export interface HandshakeKeys {
  suite: number;
  key: Buffer;
  iv: Buffer;
  sequence: number;
}

/**
 * The write key and IV of a traffic secret (RFC 8446 §7.3), or why there are none: a suite TLS 1.3
 * does not define, or a secret whose length is not its hash's.
 */
export function handshakeKeys(suite: number, secret: Buffer): HandshakeKeys | { problem: string } {
  const s = SUITES.get(suite);
  if (!s) return { problem: `cipher suite 0x${suite.toString(16).padStart(4, '0')} is not one of TLS 1.3` };
  if (secret.length !== s.hashLength) return { problem: `a secret of ${secret.length} octets for ${s.name}, which needs ${s.hashLength}` };
  return {
    suite,
    key: hkdfExpandLabel(s.hash, secret, 'key', Buffer.alloc(0), s.keyLength),
    iv: hkdfExpandLabel(s.hash, secret, 'iv', Buffer.alloc(0), IV_LENGTH),
    sequence: 0,
  };
}

/** A record's inner plaintext (RFC 8446 §5.2): its real content type and content. */
export interface OpenedRecord {
  type: number;
  content: Buffer;
}

/**
 * Opens one protected record (its outer type is application_data) with `keys`, and counts it (the
 * next record has the next nonce). `version` is the record's legacy_record_version, part of the
 * additional data with the header's other fields.
 */
export function openRecord(keys: HandshakeKeys, version: number, fragment: Buffer): OpenedRecord | { problem: string } {
  const s = SUITES.get(keys.suite) as Suite;
  if (fragment.length > MAX_TLS13_CIPHERTEXT) return { problem: `a protected record of ${fragment.length} octets, over the ${MAX_TLS13_CIPHERTEXT} TLS 1.3 allows` };
  if (fragment.length < s.tagLength + 1) return { problem: `a protected record of ${fragment.length} octets, too short to hold a tag and a content type` };
  // RFC 8446 §5.3: the 64-bit sequence number, left-padded to the IV's length, XORed with the IV.
  const nonce = Buffer.from(keys.iv);
  const sequence = keys.sequence++;
  for (let i = 0, n = sequence; i < 8; i++, n = Math.floor(n / 256)) nonce[IV_LENGTH - 1 - i] = (nonce[IV_LENGTH - 1 - i] as number) ^ (n & 0xff);
  const header = Buffer.from([23, version >> 8, version & 0xff, fragment.length >> 8, fragment.length & 0xff]);
  const ciphertext = fragment.subarray(0, fragment.length - s.tagLength);
  const tag = fragment.subarray(fragment.length - s.tagLength);
  let plain: Buffer;
  try {
    // The cipher is one of SUITES' five AEADs; the overloads of createDecipheriv are by mode.
    const decipher = createDecipheriv(s.cipher as CipherGCMTypes, keys.key, nonce, { authTagLength: s.tagLength });
    decipher.setAuthTag(tag);
    decipher.setAAD(header, { plaintextLength: ciphertext.length });
    plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return { problem: `record ${sequence} of the server's handshake does not open with its handshake key (${s.name})` };
  }
  // RFC 8446 §5.4: zeros of padding after the content type, which is never 0.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (end < 0) return { problem: `record ${sequence} of the server's handshake holds only padding, no content type` };
  return { type: plain[end] as number, content: plain.subarray(0, end) };
}

/**
 * The server handshake traffic secret in a key log line (NSS format: label, client random in hex,
 * secret in hex), or null when the line is another secret or not such a line.
 */
export function serverHandshakeSecret(line: string): Buffer | null {
  const m = /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-fA-F]{64} ([0-9a-fA-F]{2,256})\s*$/.exec(line);
  if (!m || (m[1] as string).length % 2 !== 0) return null;
  return Buffer.from(m[1] as string, 'hex');
}
