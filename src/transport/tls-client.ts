/**
 * The TLS side of a connection (connection.ts): the client socket for a handshake, the summary of its
 * result, and the --ca / --cert files. Apart so that node:tls and node:crypto are loaded only by a run
 * that uses TLS; a plain TCP session starts without them.
 */
import { X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, createSecureContext, type SecureVersion, type TLSSocket } from 'node:tls';
import type { SocketStream } from './socket-stream.js';

export { rootCertificates } from 'node:tls';
export { summarizeTls } from './tls-summary.js';
export { watchHandshake } from './handshake-watch.js';
export { readCaPaths, readClientCertificate } from './tls-files.js';

/** What every handshake on one connection shares. */
export interface TlsSetup {
  insecure: boolean;
  /** The usual roots plus --ca, or undefined for Node's defaults. */
  ca: string[] | undefined;
  /** The name the certificate must carry: --servername, else the host (which may be an IP). */
  name: string;
  /** Client certificate and key (--cert, --key), and the certificate's subject for the details. */
  client: { cert: string; key: string; subject: string } | null;
  /** connection.ts's TlsVersion (Node's own names; not imported from there, which imports this). */
  minVersion: SecureVersion | undefined;
  maxVersion: SecureVersion | undefined;
  ciphers: string | undefined;
  alpn: string[];
  /** Read the certificates the server sends (TlsDetails.sent); see TlsOptions.watchSentChain. */
  watchSentChain: boolean;
}

/** TLS 1.0 and 1.1 need OpenSSL's security level 0 (OpenSSL 3 refuses them at level 1 and up). */
const OLD_VERSIONS: ReadonlySet<string> = new Set(['TLSv1', 'TLSv1.1']);

/** "CN=joe, O=..." from a PEM certificate, for the details; "" when unreadable. */
export function certificateSubject(pem: string): string {
  try {
    return new X509Certificate(pem).subject.split('\n').join(', ');
  } catch {
    return '';
  }
}

/**
 * Why OpenSSL takes none of a --ciphers list ("no cipher match"), or null when it takes some: asked
 * before connecting, so that a mistyped list is the user's error, not a TLS failure after connecting.
 */
export function cipherListProblem(ciphers: string): string | null {
  try {
    createSecureContext({ ciphers });
    return null;
  } catch (error) {
    const reason = (error as Error).message.replace(/^error:[0-9A-F]+:[^:]*::/, '');
    return reason === '' ? 'OpenSSL takes none of it' : reason;
  }
}

/** A TLS client socket over `socket`, verifying nothing itself: handshake() judges the result. */
export function openTlsClient(socket: Socket | SocketStream, setup: TlsSetup): TLSSocket {
  const { ca, name, client, minVersion, maxVersion, ciphers, alpn } = setup;
  const old = (minVersion && OLD_VERSIONS.has(minVersion)) || (maxVersion && OLD_VERSIONS.has(maxVersion));
  return tlsConnect({
    socket,
    // RFC 6066 §3: SNI carries host names only; Node warns (DEP0123) when given an IP literal.
    ...(isIP(name) ? {} : { servername: name }),
    rejectUnauthorized: false,
    ...(ca ? { ca } : {}),
    ...(client ? { cert: client.cert, key: client.key } : {}),
    // A --tls-max below Node.js's default minimum (TLS 1.2) alone would leave no version at all: the
    // least becomes the most asked for.
    ...(minVersion ? { minVersion } : maxVersion && OLD_VERSIONS.has(maxVersion) ? { minVersion: maxVersion } : {}),
    ...(maxVersion ? { maxVersion } : {}),
    // Asking for TLS 1.0/1.1 means wanting them to work: OpenSSL 3 allows them at level 0 only.
    ...(ciphers ? { ciphers } : old ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    ...(alpn.length > 0 ? { ALPNProtocols: alpn } : {}),
    // Checks `name` itself rather than Node's pick among servername/host.
    checkServerIdentity: (_hostname, cert) => checkServerIdentity(name, cert),
  });
}
