/**
 * One client's failure never reaches another: a fault in a session (a bug some client's bytes
 * found) ends that client's connection only, and the listener goes on serving the others.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openListener, type ServerSession } from '../../src/sandbox/listeners.js';
import { ConnectionLedger, DEFAULT_SERVER_LIMITS } from '../../src/transport/server-limits.js';

/** A session that echoes lines, and breaks on "boom" as a buggy session would. */
function fragileSession(): ServerSession {
  return {
    greeting: () => [{ type: 'send', bytes: Buffer.from('* OK hi\r\n') }],
    receive: (chunk) => {
      if (chunk.includes('boom')) throw new TypeError("Cannot read properties of null (reading '1')");
      return [{ type: 'send', bytes: Buffer.from(`* echo ${chunk.toString().trim()}\r\n`) }];
    },
    resume: () => [],
    tlsStarted: () => undefined,
    connectionClosed: () => undefined,
    commandsRead: 0,
    loggedIn: false,
  };
}

function talk(port: number, line: string): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('error', () => undefined);
    socket.on('data', (c: Buffer) => {
      text += c.toString();
      if (text === '* OK hi\r\n') socket.write(`${line}\r\n`);
      if (text.includes('* echo')) {
        socket.destroy();
        resolve({ text, closed: false });
      }
    });
    socket.on('close', () => resolve({ text, closed: true }));
  });
}

describe('fault isolation', () => {
  it('a session that throws ends its own connection; the next client is served', async () => {
    const listener = await openListener({ protocol: 'imap', tls: 'plain', host: '127.0.0.1', port: 0 }, () => fragileSession(), null, {
      connections: new ConnectionLedger(DEFAULT_SERVER_LIMITS),
      limits: DEFAULT_SERVER_LIMITS,
    });
    try {
      expect(await talk(listener.port, 'boom')).toEqual({ text: '* OK hi\r\n', closed: true });
      expect(await talk(listener.port, 'hello')).toEqual({ text: '* OK hi\r\n* echo hello\r\n', closed: false });
    } finally {
      await listener.close();
    }
  });
});
