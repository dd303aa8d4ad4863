/**
 * A login mailwire runs itself with a SASL mechanism (RFC 4422): `AUTHENTICATE <mechanism>` (IMAP,
 * RFC 3501 §6.2.2) or `AUTH <mechanism>` (POP3, RFC 5034) typed alone. Learns what the server
 * offers, refuses a mechanism it does not offer before any secret is asked for or sent, gets the
 * user name and the secret, and starts the exchange on the session. saslExchangeFor() is the part
 * replay shares: credentials in, an exchange (or a one-line error) out.
 */
import { MailwireError } from '../errors.js';
import { SaslCredentialsError, type SaslCredentials } from '../protocol/sasl/mechanism.js';
import type { SaslMechanismSpec } from '../protocol/sasl/registry.js';
import type { TlsOptions } from '../transport/connection.js';
import type { SessionAction } from './actions.js';
import { startSaslExchange, type ClientSession } from './client-session.js';
import { ImapSession } from './imap-session.js';
import { SaslExchange } from './sasl-exchange.js';
import type { SaslRequest } from './sasl-request.js';

/** Where the user name and the secret of a login come from. */
export interface SaslLoginOptions {
  /**
   * Asks for a secret (no echo) or takes it from the environment (MAILWIRE_PASSWORD, or
   * MAILWIRE_TOKEN for a bearer token); null when none can be had.
   */
  getSecret: (prompt: string, kind?: 'password' | 'token') => Promise<string | null>;
  /** Asks for a line with echo (a user name); null or absent when nobody can be asked. */
  getText?: (prompt: string) => Promise<string | null>;
  /** The user name for logins mailwire runs itself (--user); asked for when absent. */
  user?: string;
  /** Authorization identity for SASL (--authzid): act as this user (RFC 4422 §2). */
  authzid?: string;
}

/** What a login needs of the runner that asks for it. */
export interface SaslLoginContext {
  session: ClientSession;
  options: SaslLoginOptions & { host: string; port: number; tls: TlsOptions };
  /** TLS is up on the connection now. */
  tlsActive: () => boolean;
  /** Sends a command mailwire composes (CAPABILITY, CAPA) and waits for its completion. */
  command: (line: string) => Promise<boolean>;
}

/**
 * The exchange for `spec` with these credentials; `opening`: whether it opens with an initial
 * response (SaslExchange), when a recording says.
 * @throws MailwireError('input') with `explain(reason)` when the credentials cannot be used (SASLprep)
 */
export function saslExchangeFor(spec: SaslMechanismSpec, credentials: SaslCredentials, explain: (reason: string) => string, opening?: boolean): SaslExchange {
  try {
    return new SaslExchange(spec.create(credentials), opening);
  } catch (error) {
    if (error instanceof SaslCredentialsError) throw new MailwireError('input', explain(error.message));
    throw error;
  }
}

/** Runs the checks and questions of a login, then starts its exchange; the caller performs the actions. */
export async function beginSaslLogin(request: SaslRequest, ctx: SaslLoginContext): Promise<{ id: number; actions: SessionAction[] }> {
  const spec = request.mechanism;
  const { session, options: o } = ctx;
  let offered: string[] | null;
  if (session instanceof ImapSession) {
    if (session.capabilities.size === 0) await ctx.command('CAPABILITY');
    offered = session.offeredMechanisms;
  } else {
    if (!session.capabilitiesKnown) await ctx.command('CAPA');
    // A server without CAPA (RFC 2449) cannot tell: try, and let it answer.
    offered = session.capabilitiesKnown ? session.saslMechanisms : null;
  }
  if (offered !== null && !offered.includes(spec.name)) {
    const list = offered.length > 0 ? `it offers ${offered.join(' ')}` : 'it offers no SASL mechanism here';
    const command = session instanceof ImapSession ? 'AUTHENTICATE' : 'AUTH';
    throw new MailwireError('auth', `the server does not offer ${command} ${spec.name}: ${list}${beforeTlsHint(ctx)}; nothing sent`);
  }
  if (spec.name === 'EXTERNAL' && !o.tls.certFile) {
    throw new MailwireError('auth', 'EXTERNAL logs in with a TLS client certificate: give --cert FILE (and --key FILE); nothing sent');
  }
  const user = spec.needsUser ? await userName(spec.name, o) : '';
  let secret = '';
  if (spec.secret !== 'none') {
    const what = spec.secret === 'token' ? 'OAuth token' : 'password';
    secret = (await o.getSecret(`${spec.name} ${what} for ${user}: `, spec.secret)) ?? '';
    if (secret === '') {
      const variable = spec.secret === 'token' ? 'MAILWIRE_TOKEN' : 'MAILWIRE_PASSWORD';
      const needed = spec.secret === 'token' ? 'an OAuth token' : 'a password';
      throw new MailwireError('input', `${spec.name} needs ${needed}: type it at the prompt, or set ${variable} when input is not a terminal`);
    }
  }
  const exchange = saslExchangeFor(
    spec,
    { user, secret, authzid: o.authzid ?? '', host: o.tls.servername ?? o.host, port: o.port },
    (reason) => `${spec.name}: ${reason}; nothing sent`,
  );
  return startSaslExchange(session, exchange, request.tag);
}

/** --user, or asked for; an error when nobody can be asked. */
async function userName(mechanism: string, o: SaslLoginOptions): Promise<string> {
  if (o.user !== undefined) return o.user;
  const answer = (await o.getText?.(`${mechanism} user name: `)) ?? null;
  if (answer === null || answer.trim() === '') {
    throw new MailwireError('input', `${mechanism} needs a user name: give --user NAME`);
  }
  return answer.trim();
}

/** "; it takes passwords only after TLS: ..." when the server offers STARTTLS/STLS and TLS is not up yet. */
function beforeTlsHint(ctx: SaslLoginContext): string {
  const session = ctx.session;
  if (ctx.tlsActive()) return '';
  if (session instanceof ImapSession) {
    if (!session.capabilities.has('STARTTLS')) return '';
    const disabled = session.capabilities.has('LOGINDISABLED') ? ' (LOGINDISABLED)' : '';
    return ` before TLS${disabled}; it may offer more after STARTTLS: use --starttls or type STARTTLS first`;
  }
  return session.capabilities.has('STLS') ? ' before TLS; it may offer more after STLS: use --starttls or type STLS first' : '';
}
