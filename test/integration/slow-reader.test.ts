/**
 * A server says nothing while it reads a literal (RFC 3501 §4.3), and --timeout counts the server's
 * silence: octets the server is still taking in are not silence. Against an in-process server that
 * reads a 48 MB APPEND at 12 MB a second (four seconds), a session and a replay with a limit of 1.5 s
 * both finish; a server that stops reading altogether still runs into the limit. mailwire runs as a
 * process of its own, so that the server reads on while mailwire is busy.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBinary } from '../support/cli.js';

const LINE = 'x'.repeat(78);
const LINES = 600_000;
/** The literal: LINES lines of 78 octets joined with CRLF (no CRLF after the last). */
const OCTETS = LINES * 80 - 2;
const READ_OCTETS_PER_MS = 12_000;

let servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  // A paused socket would never see its peer go, and close() would wait for it for ever.
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/**
 * Greets, answers "+" to an APPEND's literal and reads the literal at `pace` (null: stops reading
 * after the "+"), then says OK; OK to anything else, BYE to LOGOUT.
 */
async function slowReader(pace: number | null): Promise<number> {
  const server = createServer((socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.write('* OK ready\r\n');
    let text = '';
    let literalLeft = 0;
    let literalTag = '';
    socket.on('data', (chunk: Buffer) => {
      let rest = chunk;
      if (literalLeft > 0) {
        const taken = Math.min(literalLeft, rest.length);
        literalLeft -= taken;
        rest = rest.subarray(taken);
        // Reads no faster than the pace: the rest waits in the kernel, and then in mailwire.
        if (pace !== null) {
          socket.pause();
          setTimeout(() => socket.resume(), taken / pace);
        }
      }
      text += rest.toString('latin1');
      for (let end = text.indexOf('\r\n'); literalLeft === 0 && end >= 0; end = text.indexOf('\r\n')) {
        const line = text.slice(0, end);
        text = text.slice(end + 2);
        const [tag, command] = line.split(' ');
        const marker = /\{(\d+)\}$/.exec(line);
        if (marker) {
          literalLeft = Number(marker[1]);
          literalTag = tag ?? '';
          socket.write('+ go on\r\n');
          if (pace === null) socket.pause();
        } else if (line === '' && literalTag !== '') {
          socket.write(`${literalTag} OK APPEND completed\r\n`);
          literalTag = '';
        } else if (command?.toUpperCase() === 'LOGOUT') {
          socket.end(`* BYE bye\r\n${tag} OK LOGOUT completed\r\n`);
        } else if (tag) {
          socket.write(`${tag} OK done\r\n`);
        }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function literalFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mailwire-slow-')), 'message.eml');
  writeFileSync(path, Array.from({ length: LINES }, () => LINE).join('\r\n'));
  return path;
}

function appendTranscript(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mailwire-slow-')), 'append.txt');
  const lines = ['# protocol: imap', 'S: * OK ready', `C: a1 APPEND INBOX {${OCTETS}}`, 'S: + go on'];
  for (let i = 0; i < LINES; i++) lines.push(`C: ${LINE}`);
  lines.push('S: a1 OK APPEND completed');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('--timeout and a server that reads a large literal slowly', () => {
  it('a session sends a 48 MB {file:} literal to a reader taking four seconds, within a limit of 1.5 s', async () => {
    const port = await slowReader(READ_OCTETS_PER_MS);
    const r = await runBinary([`imap://127.0.0.1:${port}`, '--timeout', '1.5', '--no-color', '-c', `a1 APPEND INBOX {file:${literalFile()}}`], { timeoutMs: 50_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('a1 OK APPEND completed');
    expect(r.code).toBe(0);
  }, 60_000);

  it('a replay does the same with the literal written in the transcript', async () => {
    const port = await slowReader(READ_OCTETS_PER_MS);
    const r = await runBinary(['replay', appendTranscript(), '--target', `imap://127.0.0.1:${port}`, '--timeout', '1.5', '--no-color'], { timeoutMs: 50_000 });
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  }, 60_000);

  it('a server that stops reading still runs into the limit', async () => {
    const port = await slowReader(null);
    const r = await runBinary(['replay', appendTranscript(), '--target', `imap://127.0.0.1:${port}`, '--timeout', '1.5', '--no-color'], { timeoutMs: 50_000 });
    expect(r.stdout).toContain('was not received within 1.5 s');
    expect(r.code).toBe(1);
  }, 60_000);
});
