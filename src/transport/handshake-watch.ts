/**
 * Watches one TLS handshake from the side, for the certificates the server itself sends: the server's
 * bytes as they reach the TLS socket (a SocketStream's watcher), and for TLS 1.3 the server handshake
 * traffic secret, which Node.js hands out by the socket's 'keylog' event (the reading itself is
 * protocol/tls/sent-chain-reader.ts). Both taps come off as soon as the Certificate message is read,
 * and at the end of the handshake whatever happened. The key log lines go nowhere else: the secrets in
 * them are held only until the handshake records are opened.
 */
import type { TLSSocket } from 'node:tls';
import { SentChainReader, type SentChainResult } from '../protocol/tls/sent-chain-reader.js';
import type { SocketStream } from './socket-stream.js';

export interface HandshakeWatch {
  /** The handshake is over: what was seen of the sent chain, and both taps off. */
  end(): SentChainResult;
}

/** Starts watching; call right after the TLS socket is made, before any of the server's bytes come. */
export function watchHandshake(stream: SocketStream, tlsSocket: TLSSocket): HandshakeWatch {
  const reader = new SentChainReader();
  const stop = (): void => {
    if (stream.watcher === watcher) stream.watcher = null;
    tlsSocket.off('keylog', keylog);
  };
  const watcher = (chunk: Buffer): void => {
    reader.serverBytes(chunk);
    if (reader.finished) stop();
  };
  const keylog = (line: Buffer): void => {
    reader.keylog(line.toString('latin1'));
    if (reader.finished) stop();
  };
  stream.watcher = watcher;
  tlsSocket.on('keylog', keylog);
  return {
    end() {
      stop();
      return reader.end();
    },
  };
}
