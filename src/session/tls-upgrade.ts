/**
 * Moving a connection to TLS mid-session: the --starttls dialog (STARTTLS, RFC 3501 §6.2.1; STLS,
 * RFC 2595 §4), the handshake after the server's OK, and the one that runs while the runner goes on
 * reading (TlsUpgrade), so that nothing is sent until it is done.
 */
import { MailwireError } from '../errors.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import type { Connection } from '../transport/connection.js';
import { noticeEvent } from './actions.js';
import { ImapSession } from './imap-session.js';
import type { ClientSession } from './client-session.js';
import type { SessionEvent } from './events.js';

/**
 * --starttls: STARTTLS (IMAP) or STLS (POP3) before anything else, refused before a byte more is
 * sent in plaintext when the server does not offer it. `command` sends a line mailwire composes and
 * tells whether it succeeded.
 */
export async function negotiateStartTls(session: ClientSession, url: string, command: (line: string) => Promise<boolean>): Promise<void> {
  if (session instanceof ImapSession) {
    if (session.capabilities.size === 0) await command('CAPABILITY');
    if (!session.capabilities.has('STARTTLS')) {
      throw new MailwireError('starttls', `${url} does not offer STARTTLS (capabilities: ${[...session.capabilities].join(' ') || 'none'}); nothing sent in plaintext`);
    }
    if (!(await command('STARTTLS'))) throw new MailwireError('starttls', `${url} refused STARTTLS; nothing sent in plaintext`);
  } else {
    const capaOk = await command('CAPA');
    if (capaOk && !session.capabilities.has('STLS')) {
      throw new MailwireError('starttls', `${url} does not offer STLS (CAPA: ${[...session.capabilities].join(' ') || 'none'}); nothing sent in plaintext`);
    }
    if (!(await command('STLS'))) throw new MailwireError('starttls', `${url} refused STLS; nothing sent in plaintext`);
  }
}

/**
 * The handshake after the server's OK to STARTTLS/STLS; the session is told once it is done (it
 * forgets capabilities learnt in plaintext). `discardedBytes` counts what arrived between the OK and
 * the handshake, dropped by the transport.
 */
export async function upgradeToTls(conn: Connection, session: ClientSession): Promise<{ summary: TlsSummary; discardedBytes: number }> {
  const result = await conn.startTls();
  session.tlsEstablished();
  return result;
}

/** The warning for octets dropped between the OK and the handshake (RFC 3207 §5 / CVE-2011-0411). */
export function droppedOctetsNotice(discardedBytes: number): SessionEvent {
  return noticeEvent('warning', 'notice.tls.dropped-handshake', { n: discardedBytes });
}

/**
 * A certificate that did not verify: the TLS event to show before the error (with --show-certs, its
 * chain), or null for any other failure. The transport's CertificateError carries the summary.
 */
export function refusedCertificateEvent(error: unknown): SessionEvent | null {
  const summary = (error as { summary?: TlsSummary } | null)?.summary;
  return error instanceof MailwireError && error.code === 'certificate' && summary ? { kind: 'tls', summary } : null;
}

/** What a TlsUpgrade reports to whoever runs it. */
export interface TlsUpgradeHooks {
  show: (event: SessionEvent) => void;
  /** The handshake failed; the connection has been destroyed. */
  failed: (error: MailwireError) => void;
  /** The upgrade is over, done or failed: waiters may look again. */
  settled: () => void;
}

/**
 * A handshake begun when the session's `start-tls` action comes, while the runner goes on: nothing
 * may be sent while it runs (`inProgress`), and the next command waits for it (`finished()`).
 */
export class TlsUpgrade {
  private running: Promise<void> | null = null;
  private handshaking = false;

  constructor(private readonly hooks: TlsUpgradeHooks) {}

  /** A handshake is under way: nothing may be sent. */
  get inProgress(): boolean {
    return this.handshaking;
  }

  /** Begins the handshake; failures go to hooks.failed, never to a rejected promise. */
  begin(conn: Connection | null, session: ClientSession): void {
    this.handshaking = true;
    this.running = this.run(conn, session);
  }

  /** Waits for a handshake begun and not yet waited for (at once when there is none). */
  async finished(): Promise<void> {
    const running = this.running;
    if (!running) return;
    await running;
    this.running = null;
  }

  /** Whether a handshake was begun and not yet waited for by finished(). */
  get pending(): boolean {
    return this.running !== null;
  }

  private async run(conn: Connection | null, session: ClientSession): Promise<void> {
    if (!conn) return;
    try {
      const { summary, discardedBytes } = await upgradeToTls(conn, session);
      if (discardedBytes > 0) this.hooks.show(droppedOctetsNotice(discardedBytes));
      this.hooks.show({ kind: 'tls', summary });
    } catch (error) {
      const refused = refusedCertificateEvent(error);
      if (refused) this.hooks.show(refused);
      this.hooks.failed(error instanceof MailwireError ? error : new MailwireError('tls', String(error)));
      conn.destroy();
    } finally {
      this.handshaking = false;
      this.hooks.settled();
    }
  }
}
