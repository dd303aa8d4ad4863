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
import { SocketStream } from './socket-stream.js';

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

/** A stream over a connected socket that drops plaintext until the server's first TLS record. */
export class PlaintextFilter extends SocketStream {
  /** Octets dropped so far. */
  discarded = 0;
  private scanning = true;
  private pending: Buffer = Buffer.alloc(0);

  protected override ended(): void {
    // Whatever is still held back never became a TLS record.
    this.discarded += this.pending.length;
    this.pending = Buffer.alloc(0);
    super.ended();
  }

  protected override received(chunk: Buffer): void {
    if (!this.scanning) return this.handOn(chunk);
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
      return this.handOn(buf.subarray(at));
    }
    this.discarded += buf.length;
    this.pending = Buffer.alloc(0);
  }
}
