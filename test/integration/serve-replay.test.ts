/**
 * serve and replay against each other: for every example transcript, a server playing its S: side and
 * a client playing its C: side agree line for line (STARTTLS included). And serve's own behaviour
 * towards a client that strays: a BAD / -ERR reply, a report naming the line, the transcript waiting.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import type { ServeReport } from '../../src/transcript/serve.js';
import { serveConnection, type ServedConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { testCerts } from '../support/certs.js';
import { runMain } from '../support/cli.js';
import { rfcTranscriptFiles } from '../support/rfc-transcript.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../transcripts/', import.meta.url));

interface Served {
  listener: Listener;
  url: string;
  reports: ServeReport[];
  /** The first connection's outcome. */
  served: Promise<ServedConnection>;
}

const open: Listener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** `maxLineOctets` as `mailwire serve` passes its --max-line (the library's own default is larger). */
async function serve(path: string, protocol: 'imap' | 'pop3', maxLineOctets?: number): Promise<Served> {
  const transcript = parseTranscript(readFileSync(path, 'utf8'));
  const certs = testCerts();
  const reports: ServeReport[] = [];
  let resolveServed!: (s: Promise<ServedConnection>) => void;
  const first = new Promise<Promise<ServedConnection>>((r) => (resolveServed = r));
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile } }, (conn) => {
    const limit = maxLineOctets === undefined ? {} : { maxLineOctets };
    resolveServed(serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: () => performance.now(), onReport: (r) => reports.push(r), ...limit }));
  });
  open.push(listener);
  return { listener, url: `${protocol}://127.0.0.1:${listener.port}`, reports, served: first.then((p) => p) };
}

describe('transcripts/rfc', () => {
  it.each((['imap', 'pop3'] as const).flatMap((p) => rfcTranscriptFiles(p).map((f) => [p, f] as const)))('%s %s has the protocol lines of the test fixture', (protocol, file) => {
    const shipped = parseTranscript(readFileSync(join(SHIPPED, 'rfc', protocol, file), 'utf8'));
    const fixture = parseTranscript(readFileSync(`${FIXTURES}${protocol}/${file}`, 'utf8'));
    expect(shipped.lines.map((l) => [l.direction, l.text])).toEqual(fixture.lines.map((l) => [l.direction, l.text]));
  });
});

/** Every transcript shipped in transcripts/, with its protocol. */
function shippedTranscripts(): Array<[string, 'imap' | 'pop3']> {
  const out: Array<[string, 'imap' | 'pop3']> = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.txt')) {
        const protocol = parseTranscript(readFileSync(path, 'utf8')).directives.protocol;
        if (protocol) out.push([relative(SHIPPED, path), protocol]);
      }
    }
  };
  walk(SHIPPED);
  return out;
}

describe('serve + replay round trip over every transcript in transcripts/', () => {
  it.each(shippedTranscripts())('%s', async (file, protocol) => {
    const path = join(SHIPPED, file);
    const s = await serve(path, protocol);
    // Recorded sessions hold <secret>: serve takes any value, replay needs one.
    const r = await runMain(['replay', path, '--target', s.url, '--ca', testCerts().caFile, '--timeout', '5'], { vars: { MAILWIRE_PASSWORD: 'any' } });
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
    const served = await s.served;
    expect(s.reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
    expect(served.passed).toBe(true);
  });
});

/** A raw client: writes lines, collects what the server says. */
function rawClient(port: number): Promise<{ socket: Socket; said: () => string; waitFor: (re: RegExp) => Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    let waiters: Array<() => void> = [];
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      for (const w of waiters.splice(0)) w();
    });
    const waitFor = async (re: RegExp): Promise<string> => {
      while (!re.test(buffer)) await new Promise<void>((r) => waiters.push(r));
      return buffer;
    };
    socket.on('connect', () => resolve({ socket, said: () => buffer, waitFor }));
    socket.on('close', () => {
      for (const w of waiters.splice(0)) w();
      waiters = [];
    });
  });
}

describe('serve towards a real client', () => {
  it('answers a stray line with BAD, reports the transcript line, and waits at the same command; the client\'s own tags are used', async () => {
    const s = await serve(`${FIXTURES}imap/rfc3501-8-sample-connection.txt`, 'imap');
    const c = await rawClient(s.listener.port);
    await c.waitFor(/\* OK IMAP4rev1 Service Ready\r\n/);
    // CAPABILITY would be answered (clients send it of their own accord); EXAMINE is a stray line.
    c.socket.write('x1 EXAMINE INBOX\r\n');
    await c.waitFor(/x1 BAD /);
    expect(c.said()).toContain('x1 BAD mailwire serve: expected "C: a001 login mrc secret" (transcript line 10)\r\n');
    expect(s.reports[0]).toMatchObject({ kind: 'mismatch', line: { lineNo: 10 }, expected: 'C: a001 login mrc secret', received: 'C: x1 EXAMINE INBOX' });
    // Another client's way of writing the same command: case and quoting differ, the meaning does not.
    c.socket.write('x2 LOGIN "mrc" "secret"\r\n');
    await c.waitFor(/x2 OK LOGIN completed\r\n/);
    c.socket.write('x3 SELECT "INBOX"\r\n');
    await c.waitFor(/x3 OK \[READ-WRITE\] SELECT completed\r\n/);
    c.socket.end();
    const served = await s.served;
    expect(served).toMatchObject({ passed: false, mismatches: 1 });
  });

  it('fails a client whose line no framer can read, telling it so: IMAP BAD and BYE, POP3 -ERR, then the close', async () => {
    for (const [protocol, file, greeting, command, answer] of [
      ['imap', 'imap/rfc3501-8-sample-connection.txt', /\* OK IMAP4rev1 Service Ready\r\n/, 'a001 LOGIN ', /\* BAD mailwire serve: line exceeds 65536 octets without a line ending\r\n\* BYE /],
      ['pop3', 'pop3/rfc1939-sec10-apop-session.txt', /\+OK POP3 server ready/, 'USER ', /-ERR mailwire serve: line exceeds 65536 octets without a line ending\r\n/],
    ] as const) {
      const s = await serve(`${FIXTURES}${file}`, protocol, 65_536);
      const c = await rawClient(s.listener.port);
      await c.waitFor(greeting);
      c.socket.write(`${command}${'u'.repeat(100_000)}\r\n`);
      await c.waitFor(answer);
      c.socket.end();
      const served = await s.served;
      expect(served, protocol).toMatchObject({ passed: false, mismatches: 1 });
      expect(s.reports.at(-1), protocol).toMatchObject({ kind: 'mismatch', message: 'client input cannot be framed: line exceeds 65536 octets without a line ending' });
    }
  });

  it('sends the "+" for a synchronizing literal the transcript leaves out, then takes the literal', async () => {
    const s = await serve(`${FIXTURES}imap/rfc3501-6.4.4-search.txt`, 'imap');
    const c = await rawClient(s.listener.port);
    await c.waitFor(/\* OK mailwire serve ready\r\n/);
    c.socket.write('t1 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"\r\n');
    await c.waitFor(/t1 OK SEARCH completed\r\n/);
    c.socket.write('t2 SEARCH TEXT "string not in mailbox"\r\n');
    await c.waitFor(/t2 OK/);
    c.socket.write('t3 SEARCH CHARSET UTF-8 TEXT {6}\r\n');
    await c.waitFor(/\+ Ready for literal data\r\n/);
    c.socket.write('XXXXXX\r\n');
    await c.waitFor(/\* SEARCH 43\r\nt3 OK SEARCH completed\r\n/);
    expect((await s.served).passed).toBe(true);
  });

  it('fills holes for a client: captured values, and stand-ins for a UIDVALIDITY, an INTERNALDATE, an APOP timestamp', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-serve-'));
    const file = join(dir, 't.txt');
    writeFileSync(file, ['# protocol: imap', 'S: * OK ready', 'C: a1 SELECT INBOX', 'S: * OK [UIDVALIDITY $uv] ok', 'S: * 1 FETCH (INTERNALDATE $)', 'S: a1 OK done $.', 'C: a2 STATUS INBOX (UIDVALIDITY)', 'S: * STATUS INBOX (UIDVALIDITY $uv)', 'S: a2 OK done', ''].join('\n'));
    const s = await serve(file, 'imap');
    const c = await rawClient(s.listener.port);
    c.socket.write('b1 SELECT INBOX\r\nb2 STATUS INBOX (UIDVALIDITY)\r\n');
    const said = await c.waitFor(/b2 OK done\r\n/);
    const uv = /\[UIDVALIDITY (\d+)\]/.exec(said)?.[1];
    expect(uv).toMatch(/^\d+$/);
    expect(said).toContain(`* STATUS INBOX (UIDVALIDITY ${uv})\r\n`);
    expect(said).toMatch(/\* 1 FETCH \(INTERNALDATE "\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d \+0000"\)\r\n/);
    expect(said).toContain('b1 OK done 0.\r\n');
  });
});

describe('serve over implicit TLS', () => {
  it('serves imaps with --cert/--key; replay verifies the certificate and passes', async () => {
    const certs = testCerts();
    const path = `${FIXTURES}imap/rfc3501-8-sample-connection.txt`;
    const transcript = parseTranscript(readFileSync(path, 'utf8'));
    let served!: Promise<ServedConnection>;
    const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: true, tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile } }, (conn) => {
      served = serveConnection(conn, transcript, { protocol: 'imap', clock: () => new Date(), now: () => performance.now(), onReport: () => undefined });
    });
    open.push(listener);
    const r = await runMain(['replay', path, '--target', `imaps://127.0.0.1:${listener.port}`, '--ca', certs.caFile]);
    expect(r.stdout).toMatch(/^PASS /);
    expect((await served).passed).toBe(true);
    const untrusted = await runMain(['replay', path, '--target', `imaps://127.0.0.1:${listener.port}`]);
    expect(untrusted.code).toBe(5);
  });
});

describe('mailwire serve (the command)', () => {
  it('--once: prints where it listens, serves one client, reports PASS and exits 0', async () => {
    const { spawn } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
    const file = `${FIXTURES}pop3/rfc1939-sec10-apop-session.txt`;
    const child = spawn(process.execPath, [bin, 'serve', file, '--once', '--no-color'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /# serving .* on (pop3:\/\/127\.0\.0\.1:\d+) for one connection\n/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
    });
    const r = await runMain(['replay', file, '--target', url]);
    expect(r.code).toBe(0);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/# connection 1 from 127\.0\.0\.1:\d+\nPASS connection 1 from 127\.0\.0\.1:\d+ \((\d+ ms|\d+\.\d+ s)\)\n$/);
  });

  it('refuses a transcript that does STARTTLS without --cert/--key (exit 2), and a bad --listen', async () => {
    const r = await runMain(['serve', `${FIXTURES}imap/rfc3501-6.2.1-starttls.txt`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does STARTTLS: give --cert FILE --key FILE/);
    const bad = await runMain(['serve', `${FIXTURES}imap/rfc3501-6.2.3-login.txt`, '--listen', 'nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--listen nowhere: expected HOST:PORT/);
  });
});

describe('replay says why a step failed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-why-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const replay = (path: string, url: string) => runMain(['replay', path, '--target', url, '--timeout', '30'], { vars: {} });

  it('shows the completion that came when the command completed before a line of the transcript', async () => {
    const served = file('getquota-bad.txt', '# protocol: imap\nS: * OK ready\nC: G0001 GETQUOTA ""\nS: G0001 BAD Error in IMAP command GETQUOTA: Unknown command\n');
    const s = await serve(served, 'imap');
    const r = await replay(file('getquota.txt', '# protocol: imap\nS: * OK ready\nC: G0001 GETQUOTA ""\nS: * QUOTA "" (STORAGE 10 512)\nS: G0001 OK Getquota completed\n'), s.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('line 4 was not received before the command completed');
    expect(r.stdout).toContain('+ S: G0001 BAD Error in IMAP command GETQUOTA: Unknown command');
    expect(r.stdout).not.toContain('(nothing)');
  });

  it('fails at once on a greeting that differs, with the diff, not after the timeout', async () => {
    const s = await serve(file('greeting-a.txt', '# protocol: imap\nS: * OK Dovecot ready.\nC: a1 NOOP\nS: a1 OK done\n'), 'imap');
    const r = await replay(file('greeting-b.txt', '# protocol: imap\nS: * OK Cyrus ready.\nC: a1 NOOP\nS: a1 OK done\n'), s.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the greeting differs at line 2: expected "Cyrus ready."');
    expect(r.stdout).toContain('+ S: * OK Dovecot ready.');
    expect(r.stdout).not.toContain('within 30 s');
  });

  it('quotes what was expected from the start of a word', async () => {
    const s = await serve(file('logout-a.txt', '# protocol: imap\nS: * OK ready\nC: a1 LOGOUT\nS: * BYE bye\nS: a1 OK Logout completed\n'), 'imap');
    const r = await replay(file('logout-b.txt', '# protocol: imap\nS: * OK ready\nC: a1 LOGOUT\nS: * BYE bye\nS: a1 OK Logout command completed\n'), s.url);
    expect(r.stdout).toContain('expected "command completed"');
  });

  it('says when the transcript\'s own APOP digest does not fit its greeting and declared secret', async () => {
    // A server that greets with the slides' timestamp and wants the right digest for it.
    const right = file('apop-right.txt', '# protocol: pop3\nS: +OK POP3 server ready <1896.697270952@dbc.ca.us>\nC: APOP mrose 1b3432654bbbf8f116b8e5cf7890d5fd\nS: +OK maildrop ready\nC: QUIT\nS: +OK bye\n');
    const s = await serve(right, 'pop3');
    const r = await replay(join(SHIPPED, 'seed/pop3-apop-session.txt'), s.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "the transcript's APOP digest, sent as written, is not MD5 of its greeting's timestamp <1896.697270952@dbc.ca.us> and the declared secret of mrose: that would be 1b3432654bbbf8f116b8e5cf7890d5fd",
    );
  });
});

