/**
 * serve as the mock server real clients talk to: sessions recorded against Dovecot, served to
 * Python's imaplib and poplib, which send CAPABILITY, NOOP, ID, NAMESPACE, ENABLE (CAPA, NOOP) of
 * their own accord; serve answers those from what the transcript shows and goes on. POP3 UIDL ids
 * served for `$` holes are unique and stable; an APOP transcript is served with a timestamp, and a
 * wrong digest is refused when the transcript declares the secret.
 */
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import type { ServeReport } from '../../src/transcript/serve.js';
import { serveConnection, type ServedConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';

const CLIENTS = fileURLToPath(new URL('../fixtures/serve-clients/', import.meta.url));
const MESSAGE = 'From: Fred Foobar <foobar@example.org>\r\nSubject: afternoon meeting\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';
const dir = mkdtempSync(join(tmpdir(), 'mailwire-serve-clients-'));

interface Serving {
  listener: Listener;
  reports: ServeReport[];
  connections: Array<Promise<ServedConnection>>;
}

async function serve(path: string, protocol: 'imap' | 'pop3'): Promise<Serving> {
  const transcript = parseTranscript(readFileSync(path, 'utf8'));
  const secrets = new Map(transcript.directives.secrets.flatMap((s) => (s.secret === null ? [] : [[s.user, s.secret] as [string, string]])));
  const reports: ServeReport[] = [];
  const connections: Array<Promise<ServedConnection>> = [];
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
    connections.push(serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: () => performance.now(), secrets, onReport: (r) => reports.push(r) }));
  });
  return { listener, reports, connections };
}

async function python(script: string, args: string[]): Promise<Record<string, unknown>> {
  const r = await runClient('python3', [join(CLIENTS, script), ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describeDovecot('serve towards real clients, with sessions recorded against Dovecot', (dovecot) => {
  describeWithClients('Python imaplib and poplib', ['python3'], () => {
    it('imaplib: CAPABILITY, NOOP, ID, NAMESPACE and ENABLE answered by serve, the recorded session played', async () => {
      dovecot().deliver('joe', MESSAGE);
      const file = join(dir, 'imap.txt');
      const rec = await runMain([`imap://127.0.0.1:${dovecot().imapPort}`, '--record', file], {
        stdin: ['LOGIN joe', 'SELECT INBOX', 'FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'LOGOUT', ''].join('\n'),
        vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password },
      });
      expect(rec.code).toBe(0);
      const s = await serve(file, 'imap');
      try {
        const r = await python('imaplib_serve.py', ['127.0.0.1', String(s.listener.port), 'joe', 'any password']);
        // The greeting's capabilities, as the Dovecot greeting recorded them.
        expect(r['capabilities']).toEqual(expect.arrayContaining(['IMAP4REV1', 'ID', 'ENABLE', 'IDLE', 'AUTH=PLAIN']));
        expect(r['noop']).toEqual(['OK', ['NOOP completed']]);
        expect(r['id']).toEqual(['OK', ['ID completed']]);
        expect(r['login']).toEqual(['OK', [expect.stringMatching(/Logged in$/)]]);
        expect(r['namespace']).toEqual(['OK', ['(("" "/")) NIL NIL']]);
        expect(r['enable']).toEqual(['OK', ['ENABLE completed']]);
        expect(r['select']).toEqual(['OK', ['1']]);
        expect(JSON.stringify(r['fetch'])).toContain('Subject: afternoon meeting');
        expect(r['logout']).toEqual(['BYE', ['Logging out']]);
        const served = await s.connections[0];
        expect(s.reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
        expect(s.reports.map((x) => x.message)).toEqual([
          expect.stringMatching(/^answered CAPABILITY itself: the transcript holds no CAPABILITY here/),
          expect.stringMatching(/^answered NOOP itself/),
          expect.stringMatching(/^answered ID itself/),
          expect.stringMatching(/^answered NAMESPACE itself/),
          expect.stringMatching(/^answered ENABLE itself/),
        ]);
        expect(served?.passed).toBe(true);
      } finally {
        await s.listener.close();
      }
    });

    it('imaplib sending the password as a literal: serve sends "+", reads the literal, then answers the LOGIN', async () => {
      const file = join(dir, 'imap-login.txt');
      const rec = await runMain([`imap://127.0.0.1:${dovecot().imapPort}`, '--record', file], {
        stdin: ['LOGIN joe', 'EXAMINE INBOX', 'LOGOUT', ''].join('\n'),
        vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password },
      });
      expect(rec.code).toBe(0);
      // The recording holds the password as a quoted string's placeholder, the client sends a literal.
      expect(readFileSync(file, 'utf8')).toMatch(/\nC: \S+ LOGIN joe <secret>\n/);
      const s = await serve(file, 'imap');
      try {
        const r = await python('imaplib_literal_login.py', ['127.0.0.1', String(s.listener.port), 'joe', 'a "quoted" \\ password']);
        expect(r['login']).toBe('OK');
        // Before, serve answered OK to `LOGIN joe {24}` itself, and imaplib never sent the literal.
        expect(r['continuation']).not.toBe('');
        expect(r['literal_sent']).toBe(true);
        expect(r['examine']).toBe('OK');
        expect(r['logout']).toBe('BYE');
        expect((await s.connections[0])?.passed).toBe(true);
        expect(s.reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
      } finally {
        await s.listener.close();
      }
    });

    it('poplib: CAPA and NOOP answered by serve; UIDL ids unique and the same on every connection', async () => {
      dovecot().deliver('mrose', MESSAGE);
      dovecot().deliver('mrose', MESSAGE.replace('afternoon', 'morning'));
      const file = join(dir, 'pop3.txt');
      const rec = await runMain([`pop3://127.0.0.1:${dovecot().pop3Port}`, '--record', file], {
        stdin: ['USER mrose', 'PASS', 'STAT', 'UIDL', 'RETR 1', 'QUIT', ''].join('\n'),
        vars: { MAILWIRE_PASSWORD: dovecot().users.mrose.password },
      });
      expect(rec.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/\nS: 1 \$\nS: 2 \$\n/);
      const s = await serve(file, 'pop3');
      try {
        const first = await python('poplib_serve.py', ['127.0.0.1', String(s.listener.port), 'user', 'mrose', 'any']);
        const second = await python('poplib_serve.py', ['127.0.0.1', String(s.listener.port), 'user', 'mrose', 'any']);
        expect(first['capa']).toEqual(['TOP', 'UIDL', 'USER']);
        expect(first['noop']).toBe('+OK');
        expect(first['stat']).toEqual([2, expect.any(Number)]);
        const uidl = first['uidl'] as string[];
        expect(uidl.map((l) => l.split(' ')[0])).toEqual(['1', '2']);
        const ids = uidl.map((l) => l.split(' ')[1]);
        expect(new Set(ids).size).toBe(2);
        for (const id of ids) expect(id).toMatch(/^[\x21-\x7e]{1,70}$/);
        expect(second['uidl']).toEqual(uidl);
        expect(first['retr']).toContain('Subject: afternoon meeting');
        for (const c of s.connections) expect((await c).passed).toBe(true);
        expect(s.reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
      } finally {
        await s.listener.close();
      }
    });

    it('poplib APOP: the greeting carries a timestamp; with the secret declared, a wrong digest is refused', async () => {
      const file = join(dir, 'apop.txt');
      const rec = await runMain([`pop3://127.0.0.1:${dovecot().pop3Port}`, '--record', file], {
        stdin: ['APOP mrose', 'STAT', 'UIDL', 'RETR 1', 'QUIT', ''].join('\n'),
        vars: { MAILWIRE_PASSWORD: dovecot().users.mrose.password },
      });
      expect(rec.code).toBe(0);
      const recorded = readFileSync(file, 'utf8');
      expect(recorded).toContain('# secret: mrose\n');
      writeFileSync(file, recorded.replace('# secret: mrose\n', `# secret: mrose ${dovecot().users.mrose.password}\n`));
      const s = await serve(file, 'pop3');
      try {
        const right = await python('poplib_serve.py', ['127.0.0.1', String(s.listener.port), 'apop', 'mrose', dovecot().users.mrose.password]);
        expect(right['greeting']).toMatch(/<[^<>@\s]+@[^<>\s]+>$/);
        expect(right['login']).toMatch(/^\+OK/);
        expect(right['retr']).toContain('Subject: afternoon meeting');
        const wrong = await python('poplib_serve.py', ['127.0.0.1', String(s.listener.port), 'apop', 'mrose', 'not the secret']);
        expect(wrong['refused']).toMatch(/^-ERR /);
        expect(wrong['login']).toBeUndefined();
        const outcomes = await Promise.all(s.connections);
        expect(outcomes.map((o) => o.passed)).toEqual([true, false]);
      } finally {
        await s.listener.close();
      }
    });
  });
});
