/**
 * The client's leg upgraded by the proxy itself, the part the IMAP and POP3 relays share (STARTTLS,
 * RFC 3501 §6.2.1; STLS, RFC 2595 §4): whether the proxy may say yes now, and the wait between its
 * OK and the end of the client's handshake, in which whatever plaintext the client sends was injected
 * (the command injection of CVE-2011-0411) and is dropped with a warning, never relayed.
 */
import type { RelayQueue } from './relay-actions.js';

export class ClientTlsUpgrade {
  private secure: boolean;
  private awaiting = false;

  constructor(
    private readonly out: RelayQueue,
    private readonly command: 'STARTTLS' | 'STLS',
    /** The section that forbids plaintext after the OK, for the warning. */
    private readonly section: string,
    private readonly canStartTls: boolean,
    clientSecure: boolean,
  ) {
    this.secure = clientSecure;
  }

  /** The proxy can answer the upgrade now: it has a certificate and the leg is still plain. */
  get offered(): boolean {
    return this.canStartTls && !this.secure;
  }

  /** Why the proxy refuses the upgrade now, or null when it says yes. */
  refusal(): string | null {
    if (this.secure) return 'TLS is already in force';
    return this.canStartTls ? null : 'the proxy has no certificate (--listen-cert, --listen-key)';
  }

  /** After the OK has been queued for the client: its leg is upgraded next, and plaintext is not trusted. */
  begin(): void {
    this.out.noteOnce(`${this.command} answered by the proxy: the client's leg is upgraded, the server's leg keeps its own TLS`);
    this.awaiting = true;
    this.out.push({ type: 'client-tls' });
  }

  /** Between the OK and the handshake's end: what the client sends is dropped. */
  get waiting(): boolean {
    return this.awaiting;
  }

  /** Drops `count` octets the client sent in plaintext after the OK, with a warning. */
  drop(count: number): void {
    this.out.show({ kind: 'notice', level: 'warning', text: `proxy: ${count} octets the client sent after ${this.command} and before TLS were dropped (${this.section})` });
  }

  /** The client's handshake finished. */
  established(): void {
    this.secure = true;
    this.awaiting = false;
  }
}
