/**
 * The client against a hostile server, beyond framing (hostile-servers.test.ts): values nested
 * thousands deep, secrets and escapes that would leave by a side door (history, files the user made
 * before). Each case broke once; the test shows it stays fixed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseImapLine } from '../../src/protocol/imap/values.js';
import { complete, type CompletionContext } from '../../src/shell/completer.js';
import { historyEntry } from '../../src/shell/history.js';
import { parseRawEscapes } from '../../src/session/raw-escapes.js';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { runBinary, runMain } from '../support/cli.js';
import { runMeasured } from '../support/measured-run.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';

let servers: FakeServer[] = [];
let tlsServers: TlsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(tlsServers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  servers = [];
  tlsServers = [];
});

async function fake(options: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(options);
  servers.push(s);
  return s;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mailwire-doors-'));

describe('values nested deeper than any real one', () => {
  it('a LIST reply with 5,000 nested "(" is shown as sent and the session goes on (exit 0)', async () => {
    const deep = `* LIST ${'('.repeat(5000)} "/" INBOX`;
    const server = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${deep}\r\n${tagOf(l)} OK done\r\n`) });
    const r = await runMain([server.url('imap'), '-c', 'LIST "" *', '-c', 'NOOP'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`S: ${deep}\nS: A001 OK done\n`);
    expect(r.stdout).toContain('S: A002 OK done\n');
  });

  it('the value parser refuses depth past its bound with a syntax error, not the stack', () => {
    expect(() => parseImapLine(`${'('.repeat(100_000)}`)).toThrow(/nested more than 100 levels deep/);
    expect(() => parseImapLine(`BODY${'['.repeat(100_000)}`)).toThrow(/nested more than 100 levels deep/);
    // Real values are far from the bound.
    expect(parseImapLine(`${'('.repeat(50)}x${')'.repeat(50)}`)).toHaveLength(1);
  });
});

describe('the history file keeps no password a raw send carried', () => {
  /** The octets a history entry would send again, as the shell's .raw reads them. */
  const resent = (entry: string | null) => (entry === null ? '' : parseRawEscapes(entry.replace(/^\s*\.raw\s+/i, '')).toString('latin1'));

  it.each([
    ['.raw a2 LOGIN joe hunter2\\r\\n'],
    ['.raw a1 NOOP\\r\\na2 LOGIN joe hunter2\\r\\n'],
    ['.raw a2 LOGIN joe\\x20hunter2\\r\\n'],
    ['.raw a2 LOGIN\\tjoe hunter2\\r\\n'],
    ['.RAW a2 LOGIN joe hunter2\\r\\n'],
    ['.raw a2 LOGIN joe {7}\\r\\nhunter2\\r\\n'],
    ['.raw a2 LOGIN joe "hunter2"\\r\\n'],
    ['.raw a2 AUTHENTICATE PLAIN AGpvZQBodW50ZXIy\\r\\n'],
  ])('IMAP %s', (typed) => {
    const entry = historyEntry('imap', typed, 'command');
    expect(entry).not.toContain('hunter2');
    expect(entry).not.toContain('AGpvZQBodW50ZXIy');
    expect(resent(entry)).not.toContain('hunter2');
  });

  it.each([['.raw PASS hunter2\\r\\n'], ['.raw USER joe\\r\\nPASS hunter2\\r\\n'], ['.raw PASS\\x20hunter2\\r\\n'], ['.raw APOP joe hunter2\\r\\n']])('POP3 %s', (typed) => {
    const entry = historyEntry('pop3', typed, 'command');
    expect(entry).not.toContain('hunter2');
    expect(resent(entry)).not.toContain('hunter2');
  });

  it('what holds no secret is kept so that it sends the same octets again', () => {
    for (const typed of ['.raw a1 NOOP\\r\\n', '.raw a1 SELECT "Entw\\xfcrfe"\\r\\n', '.raw a1 NOOP\\r\\na2 CAPABILITY\\r\\n', '.raw back\\\\slash\\t\\0']) {
      const entry = historyEntry('imap', typed, 'command');
      expect(resent(entry)).toBe(parseRawEscapes(typed.slice('.raw '.length)).toString('latin1'));
    }
  });
});

describe('a recording into a file that exists', () => {
  it('--record makes an existing 0644 file 0600, as a new one is', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${tagOf(l)} OK done\r\n`) });
    const file = join(tmp(), 'old.txt');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const r = await runMain([server.url('imap'), '--record', file, '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

/** What sets a terminal's window title: OSC 0 ... BEL. */
const TITLE = '\x1b]0;pwned\x07';
/** Characters that must never reach a terminal from a peer: C0 (but LF), DEL, C1, bidi overrides. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('escapes through side doors', () => {
  const ctx = (over: Partial<CompletionContext>): CompletionContext => ({
    protocol: 'imap',
    state: 'selected',
    capabilities: new Set(),
    mailboxes: [],
    flags: [],
    messageNumbers: [],
    saslMechanisms: [],
    metaCommands: [],
    ...over,
  });

  it('Tab completion offers no name learnt from a server that would act on the terminal', () => {
    const mailboxes = ['INBOX', `Evil${TITLE}`, 'Evil\u202eplain', 'Evil\x9b31m', 'Everyday'];
    expect(complete('SELECT E', ctx({ mailboxes }))[0]).toEqual(['Everyday ']);
    expect(complete('SELECT ', ctx({ mailboxes }))[0].sort()).toEqual(['Everyday ', 'INBOX ']);
    const flags = ['\\Seen', `$X${TITLE}`];
    expect(complete('STORE 1 +FLAGS (', ctx({ flags }))[0].join('')).not.toMatch(RAW_CONTROL);
    // POP3: SASL mechanisms and capabilities come from CAPA.
    const pop3 = ctx({ protocol: 'pop3', state: 'authorization', capabilities: new Set(['SASL', `X${TITLE}`]), saslMechanisms: ['PLAIN', `X${TITLE}`] });
    expect(complete('AUTH ', pop3)[0]).toEqual(['PLAIN ']);
    expect(complete('', pop3)[0].join('')).not.toMatch(RAW_CONTROL);
    // Local file names, too.
    expect(complete('APPEND x {file:', { ...ctx({}), listFiles: () => ['a.eml', `b${TITLE}.eml`] })[0]).toEqual(['a.eml}']);
  });

  it('capabilities in the exit-6 message are escaped (IMAP and POP3)', async () => {
    const imap = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`* CAPABILITY IMAP4rev1 X${TITLE}\r\n${tagOf(l)} OK done\r\n`) });
    const r = await runMain([imap.url('imap'), '--starttls', '-c', 'NOOP'], {});
    expect(r.code).toBe(6);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toMatch(/X\\x1b\]0;pwned\\x07/i);
    const pop3 = await fake({ greeting: '+OK ready', onLine: (_l, conn) => conn.write(`+OK\r\nUSER\r\nX${TITLE}\r\n.\r\n`) });
    const p = await runMain([pop3.url('pop3'), '--starttls', '-c', 'NOOP'], {});
    expect(p.code).toBe(6);
    expect(p.stderr).not.toMatch(RAW_CONTROL);
    expect(p.stderr).toMatch(/X\\x1b\]0;pwned\\x07/i);
  });

  it('SASL mechanisms in the exit-10 message and a SCRAM server\'s i= are escaped', async () => {
    const offered = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`* CAPABILITY IMAP4rev1 AUTH=X${TITLE}\r\n${tagOf(l)} OK done\r\n`) });
    const r = await runMain([offered.url('imap'), '--user', 'joe', '-c', 'AUTHENTICATE PLAIN'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/X\\x1b\]0;pwned\\x07/i);
    expect(r.stderr).not.toMatch(RAW_CONTROL);

    const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
    const scram = await fake({
      greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256 SASL-IR] ready',
      onLine: (l, conn) => {
        if (/ AUTHENTICATE /.test(l)) {
          const nonce = /r=([^,]+)/.exec(Buffer.from(l.split(' ')[3] ?? '', 'base64').toString())?.[1] ?? '';
          conn.write(`+ ${b64(`r=${nonce}srv,s=${b64('salt')},i=4096${TITLE}`)}\r\n`);
        } else if (l === '*') conn.write('A001 BAD cancelled\r\n');
      },
    });
    const s = await runMain([scram.url('imap'), '--user', 'joe', '-c', 'AUTHENTICATE SCRAM-SHA-256'], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(s.code).toBe(10);
    expect(s.stderr).toContain('i=4096\\x1b]0;pwned\\x07');
    expect(s.stderr + s.stdout).not.toMatch(RAW_CONTROL);
  });

  it('certificate subject and issuer in the exit-5 message are escaped', async () => {
    const dir = tmp();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', 'k.pem', '-out', 'c.pem', '-utf8', '-subj', `/CN=localhost/O=Evil${TITLE}\u202e`], { cwd: dir, stdio: 'ignore' });
    const server = createTlsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (socket) => {
      socket.on('error', () => undefined);
      socket.write('* OK ready\r\n');
    });
    server.on('tlsClientError', () => undefined);
    tlsServers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const r = await runMain([`imaps://127.0.0.1:${port}`, '-c', 'NOOP'], {});
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('O=Evil\\x1b]0;pwned\\x07\\u{202e}');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });

  it('lint quotes a transcript\'s bytes escaped', async () => {
    const path = join(tmp(), `t${TITLE}.txt`);
    writeFileSync(path, `# protocol: imap\nC: a1 NOOP ${TITLE}\nS: a1 OK\u202e done\n`);
    const r = await runMain(['lint', path]);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('t\\x1b]0;pwned\\x07.txt:2: error [grammar]');
  });
});

describe('a bound on the whole session', () => {
  it('--max-time stops a server that keeps sending and never completes, which --timeout never does (exit 4)', async () => {
    const timers: NodeJS.Timeout[] = [];
    const server = await fake({
      greeting: '* OK ready',
      onLine: (_l, conn) => {
        // Untagged responses for ever and never the completion: each one resets an idle timeout.
        timers.push(setInterval(() => conn.write('* OK still working\r\n'), 50));
      },
    });
    const file = join(tmp(), 'trickle.txt');
    try {
      const r = await runMain([server.url('imap'), '--timeout', '0.3', '--max-time', '1', '--record', file, '-c', 'NOOP'], {});
      expect(r.code).toBe(4);
      expect(r.stderr).toBe('mailwire: the session took longer than --max-time 1 s; stopped (--timeout bounds each wait, --max-time the whole session)\n');
      expect(readFileSync(file, 'utf8')).toMatch(/C: A001 NOOP\n(S: \* OK still working\n)+# error: the session took longer than --max-time 1 s/);
    } finally {
      for (const t of timers) clearInterval(t);
    }
  });

  it('--max-time ends the process even while a TLS handshake hangs, and tells no close by the server (exit 4)', async () => {
    // Accepts, then says nothing: the implicit TLS handshake never ends, and --timeout 0 never fires.
    const silent = createTcpServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      // As a process: a connection left half made would keep it running, though main() had returned.
      const tls = await runBinary([`imaps://127.0.0.1:${port}`, '--timeout', '0', '--max-time', '0.5', '-c', 'NOOP'], { timeoutMs: 15_000 });
      expect(tls.code).toBe(4);
      expect(tls.stderr).toBe('mailwire: the session took longer than --max-time 0.5 s; stopped (--timeout bounds each wait, --max-time the whole session)\n');
      const plain = await runBinary([`imap://127.0.0.1:${port}`, '--timeout', '0', '--max-time', '0.5', '-c', 'NOOP'], { timeoutMs: 15_000 });
      expect(plain.code).toBe(4);
      // mailwire closed it: "connection closed before the server greeting" would blame the server.
      expect(plain.stdout).not.toMatch(/closed/);
    } finally {
      silent.close();
    }
  });

  it('refuses a time limit longer than a timer can hold, instead of firing at once (exit 2)', async () => {
    for (const option of ['--timeout', '--max-time']) {
      const r = await runMain(['imap://127.0.0.1:1', option, '3000000', '-c', 'NOOP'], {});
      expect(r.code, option).toBe(2);
      expect(r.stderr, option).toMatch(/expected at most 2147483 seconds \(about 24 days; 0 for none\)/);
    }
    const replay = await runMain(['replay', 'x.txt', '--target', 'imap://127.0.0.1:1', '--timeout', '2147484'], {});
    expect(replay.code).toBe(2);
  });

  it('without --max-time nothing bounds the session but --timeout; --help says how the two differ', async () => {
    const help = await runMain(['--help']);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--timeout <seconds> +limit for connecting, the greeting and each reply \(idle time: reset while data flows\)/);
    expect(text).toMatch(/--max-time <seconds> +limit for the whole session, however the server trickles its data \(exit 4\); none by default/);
    const server = await fake({ greeting: '* OK ready', onLine: (l, conn) => setTimeout(() => conn.write(`${tagOf(l)} OK done\r\n`), 300) });
    const r = await runMain([server.url('imap'), '-c', 'NOOP', '-c', 'NOOP', '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    const bad = await runMain([server.url('imap'), '--max-time', 'soon', '-c', 'NOOP'], {});
    expect(bad.code).toBe(2);
  });
});

describe('one response of many literals', () => {
  let tcp: TcpServer | null = null;
  afterEach(async () => {
    await new Promise<void>((r) => (tcp ? tcp.close(() => r()) : r()));
    tcp = null;
  });

  it('a FETCH of 2,000 literals of 60,000 octets streams: memory bounded as for one literal (exit 0)', { timeout: 120_000 }, async () => {
    const count = 2000;
    const body = Buffer.alloc(60_000, 0x61);
    for (let i = 78; i < body.length; i += 80) body.set([0x0d, 0x0a], i);
    tcp = createTcpServer((socket: Socket) => {
      socket.on('error', () => undefined);
      socket.write('* OK ready\r\n');
      socket.once('data', (d) => {
        const tag = d.toString('latin1').split(' ')[0] ?? '';
        let i = 0;
        socket.write('* 1 FETCH (BODY[1] ');
        const pump = (): void => {
          while (i < count) {
            const piece = Buffer.concat([Buffer.from(`{${body.length}}\r\n`), body, Buffer.from(i === count - 1 ? ')\r\n' : ` BODY[${i + 2}] `)]);
            i++;
            if (!socket.write(piece)) return void socket.once('drain', pump);
          }
          socket.write(`${tag} OK done\r\n`);
        };
        pump();
      });
    });
    await new Promise<void>((resolve) => tcp?.listen(0, '127.0.0.1', resolve));
    const port = (tcp.address() as { port: number }).port;
    const r = await runMeasured([`imap://127.0.0.1:${port}`, '-c', 'FETCH 1 BODY[]']);
    expect(r.code).toBe(0);
    expect(r.stdoutTail).toMatch(/S: A001 OK done\n$/);
    expect(r.stdoutOctets).toBeGreaterThan(count * body.length);
    // The response is 120 MB: holding it (and a copy of it) cost some 250 MB.
    expect(r.maxRssKiB).toBeLessThan(160 * 1024);
  });
});
