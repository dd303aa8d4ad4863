/**
 * COMPRESS=DEFLATE (RFC 4978): against Dovecot's imap_zlib plugin, and against a fake server that
 * sends compressed data in the same packet as its OK. Past the OK both directions are raw deflate on
 * the wire, and the session goes on shown in clear.
 */
import { constants, createDeflateRaw, createInflateRaw } from 'node:zlib';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';

describeDovecot('COMPRESS=DEFLATE against Dovecot', (dovecot) => {
  it('compresses after the OK, and the session goes on in clear, a large message included', async () => {
    const body = `${'All work and no play makes Jack a dull boy.\r\n'.repeat(2000)}`;
    dovecot().deliver('joe', `From: a@example.org\r\nTo: joe@example.org\r\nSubject: big\r\n\r\n${body}`);
    const r = await runMain(
      [`imap://127.0.0.1:${dovecot().imapPort}`, '-c', 'LOGIN joe', '-c', 'COMPRESS DEFLATE', '-c', 'SELECT INBOX', '-c', 'FETCH 1 BODY[TEXT]', '-c', 'LOGOUT'],
      { vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password } },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: A002 COMPRESS DEFLATE\nS: A002 OK .*\n# COMPRESS: DEFLATE in force both ways \(RFC 4978\); shown decompressed\nC: A003 SELECT INBOX\n/);
    expect(r.stdout).toMatch(/S: A003 OK \[READ-WRITE\] Select completed/);
    expect(r.stdout).toMatch(/S: \* 1 FETCH \(.*BODY\[TEXT\] \{90000\}\nS: All work and no play makes Jack a dull boy\.\n/);
    expect(r.stdout.split('All work and no play').length - 1).toBe(2000);
    expect(r.stdout).toMatch(/S: A005 OK Logout completed/);
  });
});

describe('COMPRESS=DEFLATE against a fake server', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });

  it('inflates data that arrives in the same read as the OK, and deflates what it sends', async () => {
    const received: string[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.write('* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE NAMESPACE] ready\r\n');
      const deflate = createDeflateRaw();
      const inflate = createInflateRaw();
      let compressed = false;
      let text = '';
      const onLine = (line: string) => {
        received.push(line);
        const tag = line.split(' ')[0];
        if (/ COMPRESS DEFLATE$/.test(line)) {
          // The OK and, in the same packet, compressed untagged data.
          deflate.write('* 3 EXISTS\r\n');
          deflate.flush(constants.Z_SYNC_FLUSH, () => {
            const chunk = deflate.read() as Buffer;
            socket.write(Buffer.concat([Buffer.from(`${tag} OK DEFLATE active\r\n`), chunk]));
            compressed = true;
            deflate.on('data', (c: Buffer) => socket.write(c));
          });
        } else if (compressed) {
          deflate.write(`${tag} OK ${line.split(' ')[1]} done in deflate\r\n`);
          deflate.flush(constants.Z_SYNC_FLUSH);
        }
      };
      inflate.on('data', (c: Buffer) => {
        text += c.toString('latin1');
        let end: number;
        while ((end = text.indexOf('\r\n')) >= 0) {
          onLine(text.slice(0, end));
          text = text.slice(end + 2);
        }
      });
      let plain = '';
      socket.on('data', (c: Buffer) => {
        if (compressed) return void inflate.write(c);
        plain += c.toString('latin1');
        let end: number;
        while (!compressed && (end = plain.indexOf('\r\n')) >= 0) {
          onLine(plain.slice(0, end));
          plain = plain.slice(end + 2);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await runMain([`imap://127.0.0.1:${port}`, '-c', 'COMPRESS DEFLATE', '-c', 'NOOP', '-c', 'NAMESPACE']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('S: A001 OK DEFLATE active\n# COMPRESS: DEFLATE in force both ways (RFC 4978); shown decompressed\nS: * 3 EXISTS\nC: A002 NOOP\nS: A002 OK NOOP done in deflate\nC: A003 NAMESPACE\nS: A003 OK NAMESPACE done in deflate\n');
      // The server read our later commands only through its inflater.
      expect(received).toEqual(['A001 COMPRESS DEFLATE', 'A002 NOOP', 'A003 NAMESPACE']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
