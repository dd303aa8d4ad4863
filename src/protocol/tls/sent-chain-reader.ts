/**
 * Which certificates the server itself sent, read from the bytes of its handshake, since the chain
 * OpenSSL reports after verifying is completed from the local trust store and cannot say.
 *
 * TLS 1.2 and below: the Certificate message follows the ServerHello in clear (RFC 5246 §7.4.2).
 * TLS 1.3: it is encrypted under the server handshake traffic secret (RFC 8446 §4.4.2, §7.3), which
 * comes by keylog(); records that arrive before it wait, up to a cap.
 *
 * Sans-io: the server's bytes in (serverBytes, exactly as they reach the TLS engine), the key log
 * line in (keylog), a SentChainResult out. It stops at the Certificate message (or at what shows
 * there is none) and holds nothing after that; end() forgets the keys. Hostile bytes give an
 * 'unreadable' result with a reason, never an exception.
 */
import { parseCertificateMessage } from './certificate-message.js';
import {
  CERTIFICATE, COMPRESSED_CERTIFICATE, FINISHED, HandshakeMessageReader, SERVER_HELLO, SERVER_HELLO_DONE, type HandshakeMessage,
} from './handshake-messages.js';
import { parseServerHello, TLS13 } from './server-hello.js';
import { handshakeKeys, openRecord, serverHandshakeSecret, type HandshakeKeys } from './tls13-record-protection.js';
import { ALERT, APPLICATION_DATA, CHANGE_CIPHER_SPEC, HANDSHAKE, TlsRecordReader, type TlsRecord } from './tls-records.js';

/** Why the sent chain is not known. */
export type SentChainProblem =
  /** Bytes that are not the TLS they claim to be (detail says where). */
  | 'malformed'
  /** A TLS 1.3 record the handshake secret does not open. */
  | 'undecryptable'
  /** A CompressedCertificate (RFC 8879), which is not decompressed here. */
  | 'compressed'
  /** The server sent an alert before its certificates. */
  | 'alert'
  /** More than MAX_BACKLOG octets waited for the TLS 1.3 secret. */
  | 'too-large'
  /** The handshake was over before the certificates or the secret came. */
  | 'incomplete';

export type SentChainResult =
  /** DER of each certificate, in the server's order, and how many past MAX_SENT_CERTIFICATES were not kept. */
  | { kind: 'sent'; certificates: Buffer[]; omitted: number }
  /** The handshake had no Certificate message: a resumed session (RFC 5246 §7.3, RFC 8446 §2.2). */
  | { kind: 'none' }
  | { kind: 'unreadable'; problem: SentChainProblem; detail: string }
  | { kind: 'pending' };

/** Encrypted octets held while the TLS 1.3 secret has not come: a whole flight fits many times over. */
export const MAX_BACKLOG = 2 << 20;

type Phase = 'hello' | 'tls12' | 'tls13' | 'done';

export class SentChainReader {
  private phase: Phase = 'hello';
  private outcome: SentChainResult = { kind: 'pending' };
  private readonly records = new TlsRecordReader();
  /** Handshake messages in clear: ServerHello, and all of them before TLS 1.3. */
  private readonly clear = new HandshakeMessageReader();
  /** Handshake messages of TLS 1.3's protected records. */
  private readonly protectedMessages = new HandshakeMessageReader();
  private cipherSuite = 0;
  private secret: Buffer | null = null;
  private keys: HandshakeKeys | null = null;
  /** TLS 1.3 records that came before the secret. */
  private backlog: TlsRecord[] = [];
  private backlogOctets = 0;

  /** True once the result is final: nothing more needs to be seen. */
  get finished(): boolean {
    return this.phase === 'done';
  }

  result(): SentChainResult {
    return this.outcome;
  }

  /** Bytes from the server, in order. */
  serverBytes(chunk: Buffer): void {
    if (this.phase === 'done') return;
    const { records, problem } = this.records.push(chunk);
    for (const record of records) {
      this.record(record);
      if (this.finished) return;
    }
    if (problem !== null) this.fail('malformed', problem);
  }

  /** A line of the key log; only SERVER_HANDSHAKE_TRAFFIC_SECRET is taken. */
  keylog(line: string): void {
    if (this.phase === 'done' || this.secret !== null) return;
    const secret = serverHandshakeSecret(line);
    if (secret === null) return;
    this.secret = secret;
    if (this.phase === 'tls13') this.startOpening();
  }

  /** The handshake is over: the result as it stands ('pending' becomes 'incomplete'), and the keys forgotten. */
  end(): SentChainResult {
    if (this.phase !== 'done') {
      const waiting = this.phase === 'tls13' && this.keys === null ? 'the TLS 1.3 handshake secret never came' : 'no Certificate message came';
      this.fail('incomplete', waiting);
    }
    return this.outcome;
  }

  private record(record: TlsRecord): void {
    if (record.type === ALERT) return this.fail('alert', `an alert (${record.fragment.toString('hex').slice(0, 8)}) before the certificates`);
    switch (this.phase) {
      case 'hello':
        // RFC 8446 §5: a change_cipher_spec may come after a HelloRetryRequest, for middleboxes.
        if (record.type === CHANGE_CIPHER_SPEC) return;
        if (record.type !== HANDSHAKE) return this.fail('malformed', `a record of type ${record.type} before the ServerHello`);
        return this.clearMessages(record.fragment);
      case 'tls12':
        // An abbreviated handshake (RFC 5246 §7.3): a resumed session changes ciphers with no Certificate.
        if (record.type === CHANGE_CIPHER_SPEC) return this.finish({ kind: 'none' });
        if (record.type !== HANDSHAKE) return this.fail('malformed', `a record of type ${record.type} during the TLS 1.2 handshake`);
        return this.clearMessages(record.fragment);
      case 'tls13':
        return this.tls13Record(record);
      case 'done':
        return;
    }
  }

  private clearMessages(fragment: Buffer): void {
    const { messages, problem } = this.clear.push(fragment);
    for (const message of messages) {
      if (this.phase === 'hello') this.serverHello(message);
      else if (this.phase === 'tls12') this.tls12Message(message);
      // RFC 8446 §5.1: in TLS 1.3 nothing follows the ServerHello in clear, in its record or later.
      else if (this.phase === 'tls13') return this.fail('malformed', `a handshake message of type ${message.type} in clear after the TLS 1.3 ServerHello`);
      if (this.finished) return;
    }
    if (problem !== null) return this.fail('too-large', problem);
    if (this.phase === 'tls13' && this.clear.midMessage) this.fail('malformed', 'a handshake message in clear runs on past the TLS 1.3 ServerHello');
  }

  private serverHello(message: HandshakeMessage): void {
    if (message.type !== SERVER_HELLO) return this.fail('malformed', `handshake message of type ${message.type} where the ServerHello belongs`);
    const hello = parseServerHello(message.body);
    if ('problem' in hello) return this.fail('malformed', hello.problem);
    // RFC 8446 §4.1.4: a second ServerHello follows the client's second ClientHello.
    if (hello.helloRetryRequest) return;
    if (hello.version !== TLS13) {
      this.phase = 'tls12';
      return;
    }
    this.phase = 'tls13';
    this.cipherSuite = hello.cipherSuite;
    if (this.secret !== null) this.startOpening();
  }

  private tls12Message(message: HandshakeMessage): void {
    if (message.type === CERTIFICATE) return this.certificates(message.body, false);
    // Anonymous or PSK key exchange: the server's hello ends without a certificate.
    if (message.type === SERVER_HELLO_DONE) this.finish({ kind: 'none' });
  }

  private tls13Record(record: TlsRecord): void {
    // RFC 8446 §5: the compatibility change_cipher_spec is the single octet 1, and is dropped.
    if (record.type === CHANGE_CIPHER_SPEC) {
      if (record.fragment.length !== 1 || record.fragment[0] !== 1) this.fail('malformed', 'a change_cipher_spec record other than the single octet 1');
      return;
    }
    if (record.type !== APPLICATION_DATA) return this.fail('malformed', `a record of type ${record.type} in clear after the TLS 1.3 ServerHello`);
    if (this.keys === null) {
      this.backlog.push(record);
      this.backlogOctets += record.fragment.length;
      if (this.backlogOctets > MAX_BACKLOG) this.fail('too-large', `over ${MAX_BACKLOG} octets of records came before the handshake secret`);
      return;
    }
    const opened = openRecord(this.keys, record.version, record.fragment);
    if ('problem' in opened) return this.fail('undecryptable', opened.problem);
    if (opened.type === ALERT) return this.fail('alert', 'an alert before the certificates');
    if (opened.type !== HANDSHAKE) return this.fail('malformed', `a protected record of type ${opened.type} during the handshake`);
    const { messages, problem } = this.protectedMessages.push(opened.content);
    for (const message of messages) {
      if (message.type === CERTIFICATE) return this.certificates(message.body, true);
      if (message.type === COMPRESSED_CERTIFICATE) return this.fail('compressed', 'a CompressedCertificate message (RFC 8879)');
      // A PSK handshake (a resumed session) authenticates without a certificate.
      if (message.type === FINISHED) return this.finish({ kind: 'none' });
    }
    if (problem !== null) this.fail('too-large', problem);
  }

  /** The secret and the suite are both known: keys, then the records that waited for them. */
  private startOpening(): void {
    const keys = handshakeKeys(this.cipherSuite, this.secret as Buffer);
    if ('problem' in keys) return this.fail('undecryptable', keys.problem);
    this.keys = keys;
    const waiting = this.backlog;
    this.backlog = [];
    this.backlogOctets = 0;
    for (const record of waiting) {
      this.tls13Record(record);
      if (this.finished) return;
    }
  }

  private certificates(body: Buffer, tls13: boolean): void {
    const parsed = parseCertificateMessage(body, tls13);
    if ('problem' in parsed) return this.fail('malformed', parsed.problem);
    this.finish({ kind: 'sent', certificates: parsed.certificates, omitted: parsed.omitted });
  }

  private fail(problem: SentChainProblem, detail: string): void {
    this.finish({ kind: 'unreadable', problem, detail });
  }

  /** The result is final: everything held for reading, and the key material, is let go. */
  private finish(outcome: SentChainResult): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.outcome = outcome;
    this.secret?.fill(0);
    this.keys?.key.fill(0);
    this.keys?.iv.fill(0);
    this.secret = null;
    this.keys = null;
    this.backlog = [];
    this.backlogOctets = 0;
  }
}
