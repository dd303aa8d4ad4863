/**
 * The stream a STARTTLS/STLS handshake runs over: the plain socket, minus any plaintext the server (or
 * someone in the path) sent after the OK and before its first TLS record.
 *
 * RFC 3207 §6 and RFC 2595 §3.1: everything received in plaintext before the handshake must be
 * discarded, because a man in the middle can append responses to the OK and have them read as if they
 * came over TLS (the CVE-2011-0411 family). The session drops what came in the same chunk as the OK;
 * this filter drops what comes afterwards, counts it for a warning, and keeps the handshake going.
 *
 * Where does plaintext end? A server sends nothing over TLS until it has read our ClientHello, and its
 * first record is a ServerHello (or an alert refusing us). So bytes up to the first thing that looks
 * like the header of such a record are plaintext. A forged header only gets garbage into the TLS
 * engine, which then fails the handshake: it can never make injected bytes pass as application data.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** TLS record content types (RFC 8446 §5.1). */
const ALERT = 0x15;
const HANDSHAKE = 0x16;
/** Handshake message type of ServerHello, and of a TLS 1.3 HelloRetryRequest (RFC 8446 §4). */
const SERVER_HELLO = 0x02;

type Verdict = 'yes' | 'no' | 'maybe';

/**
 * Whether a server's first TLS record starts at `at`: an alert (type, 0x03 0x0N, length 2) or a
 * handshake record whose first message is a ServerHello. 'maybe' when the bytes run out first.
 */
export function serverRecordStartsAt(buf: Buffer, at: number): Verdict {
  const b = (i: number): number | undefined => buf[at + i];
  const checks: Array<(v: number) => boolean> = [
    (v) => v === ALERT || v === HANDSHAKE,
    (v) => v === 0x03,
    (v) => v <= 0x04,
  ];
  if (b(0) === ALERT) checks.push((v) => v === 0x00, (v) => v === 0x02);
  else checks.push(() => true, () => true, (v) => v === SERVER_HELLO);
  for (let i = 0; i < checks.length; i++) {
    const v = b(i);
    if (v === undefined) return 'maybe';
    if (!(checks[i] as (v: number) => boolean)(v)) return 'no';
  }
  return 'yes';
}

/** A Duplex over a connected socket that drops plaintext until the server's first TLS record. */
export class PlaintextFilter extends Duplex {
  /** Octets dropped so far. */
  discarded = 0;
  private scanning = true;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly raw: Socket) {
    // The TLS socket made over this stream takes its allowHalfOpen from it; a Duplex defaults to
    // true, and a TLS socket left half open never closes after the server's FIN.
    super({ allowHalfOpen: false });
    raw.on('data', (chunk: Buffer) => this.received(chunk));
    raw.on('end', () => {
      // Whatever is still held back never became a TLS record.
      this.discarded += this.pending.length;
      this.pending = Buffer.alloc(0);
      this.push(null);
    });
    raw.on('error', (error) => this.destroy(error));
    raw.on('close', () => {
      if (!this.destroyed && !this.readableEnded) this.push(null);
    });
  }

  private received(chunk: Buffer): void {
    if (!this.scanning) {
      if (!this.push(chunk)) this.raw.pause();
      return;
    }
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    for (let at = 0; at < buf.length; at++) {
      const verdict = serverRecordStartsAt(buf, at);
      if (verdict === 'no') continue;
      this.discarded += at;
      if (verdict === 'maybe') {
        this.pending = buf.subarray(at);
        return;
      }
      this.scanning = false;
      this.pending = Buffer.alloc(0);
      if (!this.push(buf.subarray(at))) this.raw.pause();
      return;
    }
    this.discarded += buf.length;
    this.pending = Buffer.alloc(0);
  }

  override _read(): void {
    this.raw.resume();
  }

  /**
   * The server may close first: after its FIN this stream and the TCP socket end their own halves
   * (allowHalfOpen is false), while TLS still has records to write (our close_notify at LOGOUT, a last
   * deflate flush after COMPRESS). Written to an ended stream they would fail as "write after end"
   * and turn a clean LOGOUT into a lost connection; nobody is there to read them, so they are dropped.
   */
  override write(chunk: unknown, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
    if (this.writableEnded || this.raw.destroyed || this.raw.writableEnded) {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) queueMicrotask(() => done(null));
      return true;
    }
    return typeof encoding === 'function' ? super.write(chunk, encoding) : super.write(chunk, encoding as BufferEncoding, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.raw.destroyed || this.raw.writableEnded) return callback();
    this.raw.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // The TLS side ends its half after the server's; the socket may be gone by then.
    if (this.raw.destroyed || this.raw.writableEnded) callback();
    else this.raw.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }
}
