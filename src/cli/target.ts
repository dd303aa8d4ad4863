/**
 * Where to connect, from what the user typed: curl's URL schemes (imap://, imaps://, pop3://, pop3s://)
 * or a bare host[:port] whose protocol comes from --protocol or from the well-known port.
 * Pure: no DNS, no sockets.
 */
import { MailwireError } from '../errors.js';
import type { Protocol, TlsMode } from '../session/events.js';

export interface Target {
  protocol: Protocol;
  /** Host name or IP address; IPv6 without brackets. */
  host: string;
  port: number;
  /** 'implicit' for imaps/pop3s (or ports 993/995), else 'none' (STARTTLS is an option, not a target). */
  tls: Extract<TlsMode, 'none' | 'implicit'>;
  /** User from a URL like imap://joe@host (RFC 5092 / curl), if given. */
  user: string | null;
}

interface SchemeInfo {
  protocol: Protocol;
  tls: 'none' | 'implicit';
  port: number;
}

const SCHEMES: Readonly<Record<string, SchemeInfo>> = {
  imap: { protocol: 'imap', tls: 'none', port: 143 },
  imaps: { protocol: 'imap', tls: 'implicit', port: 993 },
  pop3: { protocol: 'pop3', tls: 'none', port: 110 },
  pop3s: { protocol: 'pop3', tls: 'implicit', port: 995 },
};

/** Well-known ports (IANA): the protocol and TLS mode a bare host:port implies. */
const WELL_KNOWN_PORTS: ReadonlyMap<number, SchemeInfo> = new Map(
  Object.values(SCHEMES).map((s) => [s.port, s]),
);

function usage(message: string): MailwireError {
  return new MailwireError('usage', message);
}

function parsePort(text: string, input: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw usage(`invalid port "${text}" in target "${input}" (expected 1-65535)`);
  }
  return Number(text);
}

/** Splits "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address. */
function splitHostPort(authority: string, input: string): { host: string; port: number | null } {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw usage(`unclosed "[" in target "${input}"`);
    const host = authority.slice(1, close);
    const rest = authority.slice(close + 1);
    if (host === '') throw usage(`empty IPv6 address in target "${input}"`);
    if (rest === '') return { host, port: null };
    if (!rest.startsWith(':')) throw usage(`unexpected "${rest}" after "]" in target "${input}"`);
    return { host, port: parsePort(rest.slice(1), input) };
  }
  const colons = authority.split(':').length - 1;
  // Two or more colons without brackets can only be a bare IPv6 address, with no port.
  if (colons >= 2) return { host: authority, port: null };
  if (colons === 1) {
    const [host = '', port = ''] = authority.split(':');
    if (host === '') throw usage(`missing host in target "${input}"`);
    return { host, port: parsePort(port, input) };
  }
  if (authority === '') throw usage(`missing host in target "${input}"`);
  return { host: authority, port: null };
}

/**
 * Parses a target. `protocol` is --protocol when given; it must agree with a URL scheme.
 * @throws MailwireError('usage') with a sentence saying what is wrong.
 */
export function parseTarget(input: string, protocol?: Protocol): Target {
  const text = input.trim();
  if (text === '') throw usage('no target given (e.g. imap://mail.example.org or mail.example.org:110)');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(text);
  if (schemeMatch) {
    const scheme = (schemeMatch[1] ?? '').toLowerCase();
    const info = SCHEMES[scheme];
    if (!info) {
      throw usage(`unknown scheme "${scheme}://" in "${input}" (use imap://, imaps://, pop3:// or pop3s://)`);
    }
    if (protocol && protocol !== info.protocol) {
      throw usage(`--protocol ${protocol} contradicts the target "${input}"`);
    }
    // Drop any path, query or fragment (curl accepts imap://host/INBOX); only the authority matters here.
    let authority = (schemeMatch[2] ?? '').replace(/[/?#].*$/, '');
    let user: string | null = null;
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      user = decodeURIComponent(authority.slice(0, at).replace(/;.*$/, '')) || null;
      authority = authority.slice(at + 1);
    }
    const { host, port } = splitHostPort(authority, input);
    return { protocol: info.protocol, host, port: port ?? info.port, tls: info.tls, user };
  }
  if (/[/?#@\s]/.test(text)) throw usage(`cannot parse target "${input}" (expected host[:port] or a URL such as imap://host)`);
  const { host, port } = splitHostPort(text, input);
  const known = port === null ? undefined : WELL_KNOWN_PORTS.get(port);
  if (protocol) {
    const defaults = SCHEMES[protocol] as SchemeInfo;
    const tls = known && known.protocol === protocol ? known.tls : 'none';
    return { protocol, host, port: port ?? defaults.port, tls, user: null };
  }
  if (known) return { protocol: known.protocol, host, port: known.port, tls: known.tls, user: null };
  throw usage(
    port === null
      ? `cannot tell the protocol of "${input}": use a URL (imap://, pop3://, ...) or --protocol imap|pop3`
      : `port ${port} is not a well-known IMAP or POP3 port: use a URL (imap://${input}) or --protocol imap|pop3`,
  );
}

/** The target as a URL, for display: imap://host:port, with brackets around IPv6. */
export function targetUrl(t: Pick<Target, 'protocol' | 'host' | 'port' | 'tls'>): string {
  const scheme = t.protocol + (t.tls === 'implicit' ? 's' : '');
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${scheme}://${host}:${t.port}`;
}
