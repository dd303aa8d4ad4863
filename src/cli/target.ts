/**
 * Where to connect, from what the user typed: curl's URL schemes (imap://, imaps://, pop3://, pop3s://)
 * or a bare host[:port] whose protocol comes from --protocol or from the well-known port.
 * Pure: no DNS, no sockets.
 */
import { isIPv4, isIPv6 } from '../transport/addresses.js';
import { MailwireError } from '../errors.js';
import type { Protocol, TlsMode } from '../session/events.js';
import type { ServerTarget } from '../session/server-target.js';
import type { TlsOptions } from '../transport/connection.js';

export interface Target {
  protocol: Protocol;
  /** Host name or IP address; IPv6 without brackets. */
  host: string;
  port: number;
  /** 'implicit' for imaps/pop3s (or ports 993/995), else 'none' (STARTTLS is an option, not a target). */
  tls: Extract<TlsMode, 'none' | 'implicit'>;
  /** User from a URL like imap://joe@host (RFC 5092 §3.2, RFC 2384 §4), if given. */
  user: string | null;
  /**
   * Password from imap://joe:secret@host: curl takes it, the RFCs do not (RFC 2384 §3 forbids clear
   * text passwords, RFC 3986 §3.2.1 deprecates them). Never shown: `display` has `<secret>` instead.
   */
  password: string | null;
  /** `;AUTH=` of the URL: `*` (any), a SASL mechanism, or POP3's `+APOP` (RFC 2384 §4). */
  auth: string | null;
  /** IMAP: the mailbox of imap://host/MAILBOX, percent-decoded (RFC 5092 §5), to open read-only. */
  mailbox: string | null;
  /** What the user typed, with any password replaced by <secret>: for messages. */
  display: string;
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
    // RFC 6874: a zone ("fe80::1%25eth0") is percent-encoded in a URL; the system takes "fe80::1%eth0".
    const host = authority.slice(1, close).replace(/%25/g, '%');
    const rest = authority.slice(close + 1);
    if (host === '') throw usage(`empty IPv6 address in target "${input}"`);
    if (!isIPv6(host)) throw usage(`"${host}" in brackets is no IPv6 address, in target "${input}"`);
    if (rest === '') return { host, port: null };
    if (!rest.startsWith(':')) throw usage(`unexpected "${rest}" after "]" in target "${input}"`);
    return { host, port: parsePort(rest.slice(1), input) };
  }
  const colons = authority.split(':').length - 1;
  // Two or more colons without brackets can only be a bare IPv6 address, with no port.
  if (colons >= 2) {
    if (isIPv6(authority)) return { host: authority, port: null };
    throw usage(`"${authority}" is neither host:port nor an IPv6 address; an IPv6 address with a port goes in brackets, as [::1]:143`);
  }
  const [host = '', port] = colons === 1 ? authority.split(':') : [authority];
  if (host === '') throw usage(`missing host in target "${input}"`);
  if (!HOST_NAME.test(host) && !isIPv4(host)) throw usage(`"${host}" is no host name or address, in target "${input}"`);
  return { host, port: port === undefined ? null : parsePort(port, input) };
}

/**
 * A host name: labels of letters, digits, "-" and "_" (RFC 1123 §2.1, and the "_" some private names
 * use), any script's letters (an internationalized name, looked up as the system does), a final "."
 * allowed. Blanks, controls and the rest of a mistyped URL are not.
 */
const HOST_NAME = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}_])?(?:\.[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}_])?)*\.?$/u;

/** RFC 3986 §2.1 percent-decoding; a malformed escape is a usage error, not an exception. */
function percentDecoded(text: string, what: string, display: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw usage(`malformed %-escape in the ${what} of "${display}"`);
  }
}

/**
 * A URL as curl and the RFCs write it: imap://[user[:password][;AUTH=mech]@]host[:port][/mailbox]
 * (RFC 5092 §3, curl's password form) and pop3://[user[;AUTH=mech]@]host[:port] (RFC 2384 §3).
 * What mailwire does not follow (a search, a UID, a POP3 message number) is refused by name, never
 * dropped: a user who wrote it expects it to happen.
 */
function parseUrl(schemeText: string, rest: string, input: string, protocol?: Protocol): Target {
  const scheme = schemeText.toLowerCase();
  const info = SCHEMES[scheme];
  // The password is cut out before anything is said about the URL.
  const userinfoEnd = rest.search(/[/?#]/) < 0 ? rest.length : rest.search(/[/?#]/);
  const at = rest.lastIndexOf('@', userinfoEnd);
  const userinfo = at >= 0 ? rest.slice(0, at) : null;
  const colon = userinfo === null ? -1 : userinfo.indexOf(':');
  const display =
    userinfo !== null && colon >= 0
      ? `${schemeText}://${userinfo.slice(0, colon)}:<secret>${(userinfo.slice(colon).match(/;.*$/) ?? [''])[0]}@${rest.slice(at + 1)}`
      : input.trim();
  if (!info) throw usage(`unknown scheme "${scheme}://" in "${display}" (use imap://, imaps://, pop3:// or pop3s://)`);
  if (protocol && protocol !== info.protocol) throw usage(`--protocol ${protocol} contradicts the target "${display}"`);
  const afterUserinfo = at >= 0 ? rest.slice(at + 1) : rest;
  const pathStart = afterUserinfo.search(/[/?#]/);
  const authority = pathStart < 0 ? afterUserinfo : afterUserinfo.slice(0, pathStart);
  const tail = pathStart < 0 ? '' : afterUserinfo.slice(pathStart);
  const { host, port } = splitHostPort(authority, display);

  let user: string | null = null;
  let password: string | null = null;
  let auth: string | null = null;
  if (userinfo !== null) {
    // RFC 5092 §3.2 / RFC 2384 §4: user;AUTH=mech; curl also takes user:password.
    const m = /^([^;:]*)(?::([^;]*))?(?:;AUTH=(.*))?$/i.exec(userinfo);
    if (!m) throw usage(`cannot read "${display}": expected USER[:PASSWORD][;AUTH=MECHANISM]@HOST`);
    user = m[1] ? percentDecoded(m[1], 'user name', display) : null;
    password = m[2] === undefined ? null : percentDecoded(m[2], 'password', display);
    auth = m[3] === undefined ? null : percentDecoded(m[3], ';AUTH= mechanism', display);
    if (auth === '') throw usage(`;AUTH= needs a mechanism in "${display}" (* for any)`);
  }

  let mailbox: string | null = null;
  if (tail.includes('#')) throw usage(`a fragment (#...) means nothing in "${display}"`);
  if (tail.includes('?')) {
    throw usage(`a search in the URL (?...) is not run by mailwire, in "${display}": send it with -c 'SEARCH ...' (RFC 5092 §5)`);
  }
  const path = tail.replace(/^\//, '');
  if (path !== '') {
    if (info.protocol === 'pop3') {
      throw usage(`pop3:// takes no path (RFC 2384 §3), in "${display}": curl's message number means RETR; send -c 'RETR ${path}' instead`);
    }
    if (path.includes(';')) {
      throw usage(
        `an imap:// URL opens its mailbox and nothing deeper (;UID=, ;SECTION=, ;UIDVALIDITY=), in "${display}": send FETCH with -c`,
      );
    }
    mailbox = percentDecoded(path, 'mailbox', display);
  }
  return { protocol: info.protocol, host, port: port ?? info.port, tls: info.tls, user, password, auth, mailbox, display };
}

/**
 * Parses a target. `protocol` is --protocol when given; it must agree with a URL scheme.
 * @throws MailwireError('usage') with a sentence saying what is wrong.
 */
export function parseTarget(input: string, protocol?: Protocol): Target {
  const text = input.trim();
  if (text === '') throw usage('no target given (e.g. imap://mail.example.org or mail.example.org:110)');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(text);
  if (schemeMatch) return parseUrl(schemeMatch[1] ?? '', schemeMatch[2] ?? '', input, protocol);
  const none = { user: null, password: null, auth: null, mailbox: null, display: input };
  if (/[/?#@\s]/.test(text)) throw usage(`cannot parse target "${input}" (expected host[:port] or a URL such as imap://host)`);
  const { host, port } = splitHostPort(text, input);
  const known = port === null ? undefined : WELL_KNOWN_PORTS.get(port);
  if (protocol) {
    const defaults = SCHEMES[protocol] as SchemeInfo;
    const tls = known && known.protocol === protocol ? known.tls : 'none';
    return { protocol, host, port: port ?? defaults.port, tls, ...none };
  }
  if (known) return { protocol: known.protocol, host, port: known.port, tls: known.tls, ...none };
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

/**
 * The server a command connects to: the target's address, STARTTLS when asked for (after the
 * greeting), and the TLS options the command's own flags gave.
 */
export function serverTargetOf(t: Pick<Target, 'protocol' | 'host' | 'port' | 'tls'>, starttls: boolean, tls: TlsOptions): ServerTarget {
  const checked = tls.servername === undefined ? tls : { ...tls, servername: serverName(tls.servername) };
  return { protocol: t.protocol, host: t.host, port: t.port, url: targetUrl(t), tlsMode: starttls ? 'starttls' : t.tls, tls: checked };
}

/**
 * --servername: a host name (sent by SNI, RFC 6066 §3, and checked in the certificate) or an address
 * (checked only); an IPv6 address may come in the brackets of a URL.
 * @throws MailwireError('usage') for anything else ("a b", a control character)
 */
export function serverName(text: string): string {
  const bracketed = /^\[(.*)\]$/.exec(text)?.[1];
  if (bracketed !== undefined ? isIPv6(bracketed) : HOST_NAME.test(text) || isIPv4(text) || isIPv6(text)) return bracketed ?? text;
  throw usage(`--servername "${text}" is no host name or address (SNI names a host, RFC 6066 §3)`);
}
