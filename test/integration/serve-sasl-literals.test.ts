/**
 * serve towards real clients where a transcript and a client write a secret or a string differently:
 *
 *  - a `<secret>` in a SASL exchange is one base64 token: curl's `AUTH PLAIN <initial response>`
 *    (SASL-IR, RFC 5034 §4) meets a recording of itself, and a client that puts more after the token
 *    on the same line is refused; imaplib's and poplib's "*" (cancelling the exchange) is refused as
 *    the cancel it is, with the refusal a server gives, where the recording shows a response;
 *  - a recording whose LOGIN password and SELECT mailbox were sent as synchronizing literals meets
 *    imaplib, which sends them as a quoted string and an atom: no "+" goes to it (a "+" answers a
 *    literal it does not send), and serve says which of the transcript's "+" lines it did not send.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import type { ServeReport } from '../../src/transcript/serve.js';
import { serveConnection, type ServedConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { plain } from '../support/line-client.js';
import { proxyToDovecot, recordingsIn } from '../support/proxy-harness.js';

const SERVE_CLIENTS = fileURLToPath(new URL('../fixtures/serve-clients/', import.meta.url));
const PROXY_CLIENTS = fileURLToPath(new URL('../fixtures/proxy-clients/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailwire-serve-sasl-literals-'));

interface Serving {
  listener: Listener;
  reports: ServeReport[];
  connections: Array<Promise<ServedConnection>>;
}

async function serve(text: string, protocol: 'imap' | 'pop3'): Promise<Serving> {
  const transcript = parseTranscript(text);
  const reports: ServeReport[] = [];
  const connections: Array<Promise<ServedConnection>> = [];
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
    connections.push(serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: () => performance.now(), onReport: (r) => reports.push(r) }));
  });
  return { listener, reports, connections };
}

async function python(script: string, args: string[]): Promise<Record<string, unknown>> {
  const r = await runClient('python3', [script, ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describeWithClients('serve: secrets and strings a client writes otherwise than the transcript', ['python3', 'curl'], () => {
  describeDovecot('with sessions recorded against Dovecot', (dovecot) => {
    /** A real client's session recorded through mailwire proxy; the recording's text. */
    async function recordThroughProxy(protocol: 'imap' | 'pop3', client: (port: number) => Promise<void>): Promise<string> {
      const { proxy, dir: recordings } = await proxyToDovecot(dovecot(), { protocol, server: 'plain', client: 'plain' });
      try {
        await client(proxy.port);
        await proxy.idle();
      } finally {
        await proxy.close();
      }
      const [file] = recordingsIn(recordings) as [string];
      return readFileSync(file, 'utf8');
    }

    it("curl's POP3 AUTH PLAIN with an initial response meets its recording; more after the token does not", async () => {
      const password = dovecot().users.joe.password;
      const curl = (port: number) => runClient('curl', ['-sS', '--sasl-ir', '--login-options', 'AUTH=PLAIN', '--user', `joe:${password}`, `pop3://127.0.0.1:${port}/`]);
      const text = await recordThroughProxy('pop3', async (port) => {
        const r = await curl(port);
        expect(r.code, r.stderr).toBe(0);
      });
      expect(text).toMatch(/\nC: AUTH PLAIN <secret>\n(?:# .*\n)*S: \+OK/);
      const s = await serve(text, 'pop3');
      try {
        const again = await curl(s.listener.port);
        expect(again.code, again.stderr).toBe(0);
        expect((await s.connections[0])?.passed).toBe(true);
        // A client that sends the token and more on the line: RFC 5034 §4 has one initial response.
        const raw = plain(s.listener.port);
        expect(await raw.line()).toMatch(/^\+OK/);
        expect(await raw.command('CAPA', '.')).toContain('SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256');
        // Before, the <secret> took the rest of the line, EXTRA and all, and this logged in.
        expect(await raw.command(`AUTH PLAIN ${b64(`\0joe\0${password}`)} EXTRA`, '')).toEqual([expect.stringMatching(/^-ERR mailwire serve: expected "C: AUTH PLAIN <secret>"/)]);
        expect(await raw.command(`AUTH PLAIN ${b64(`\0joe\0${password}`)}`, '')).toEqual([expect.stringMatching(/^\+OK/)]);
        raw.socket.destroy();
        expect((await s.connections[1])?.passed).toBe(false);
        const mismatch = s.reports.find((r) => r.kind === 'mismatch');
        expect(mismatch?.message).toMatch(/one SASL response, a single base64 token/);
        expect(mismatch?.received).toBe('C: AUTH PLAIN <secret>');
        expect(JSON.stringify(s.reports)).not.toContain(b64(`\0joe\0${password}`));
      } finally {
        await s.listener.close();
      }
    });

    it("imaplib's cancel (\"*\" for the response) is refused with a tagged BAD, then its real exchange passes", async () => {
      const text = await recordThroughProxy('imap', async (port) => {
        expect(await python(join(PROXY_CLIENTS, 'imaplib_authenticate_plain.py'), ['127.0.0.1', String(port), 'joe', dovecot().users.joe.password])).toEqual({ authenticate: 'OK', examine: 'OK', logout: 'BYE' });
      });
      expect(text).toMatch(/\nC: \S+ AUTHENTICATE PLAIN\nS: \+ \n(?:# .*\n)*C: <secret>\n/);
      const s = await serve(text, 'imap');
      try {
        const r = await python(join(SERVE_CLIENTS, 'imaplib_authenticate_cancel.py'), ['127.0.0.1', String(s.listener.port), 'joe', 'any password']);
        // Before, serve took the "*" for the <secret> and answered "OK Logged in".
        expect(r['cancelled']).toMatch(/^AUTHENTICATE command error: BAD .*mailwire serve: expected "C: <secret>"/);
        expect(r).toMatchObject({ authenticate: 'OK', examine: 'OK', logout: 'BYE' });
        const served = await s.connections[0];
        expect(served?.mismatches).toBe(1);
        expect(s.reports.filter((x) => x.kind === 'mismatch').map((x) => x.message)).toEqual([expect.stringContaining('the client sent "*", which cancels the exchange')]);
      } finally {
        await s.listener.close();
      }
    });

    it('POP3: a "*" for the response is refused with -ERR, then the real exchange passes', async () => {
      const text = await recordThroughProxy('pop3', async (port) => {
        const out = await python(join(PROXY_CLIENTS, 'poplib_auth_plain.py'), ['127.0.0.1', String(port), 'joe', dovecot().users.joe.password]);
        expect(out['auth']).toMatch(/^\+OK/);
      });
      expect(text).toMatch(/\nC: AUTH PLAIN\nS: \+ \n(?:# .*\n)*C: <secret>\n/);
      const s = await serve(text, 'pop3');
      try {
        const r = await python(join(SERVE_CLIENTS, 'poplib_auth_cancel.py'), ['127.0.0.1', String(s.listener.port), 'joe', 'any password']);
        expect(r['challenge']).toBe('+ ');
        expect(r['cancelled']).toMatch(/^b?'?-ERR mailwire serve: /);
        expect(r['auth']).toMatch(/^\+OK/);
        expect(r['quit']).toMatch(/^\+OK/);
        expect((await s.connections[0])?.mismatches).toBe(1);
      } finally {
        await s.listener.close();
      }
    });

    it('a LOGIN password and a mailbox name recorded as literals meet imaplib\'s quoted string and atom, with no "+" sent', async () => {
      dovecot().deliver('joe', 'Subject: hello\r\n\r\nHello\r\n');
      const password = dovecot().users.joe.password;
      const file = join(dir, 'literals.txt');
      const rec = await runMain([`imap://127.0.0.1:${dovecot().imapPort}`, '--record', file], {
        stdin: [`LOGIN joe {${password.length}}`, password, 'SELECT {5}', 'INBOX', 'SEARCH ALL', 'LOGOUT', ''].join('\n'),
      });
      expect(rec.code, rec.stderr).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(password);
      expect(text).toMatch(/\nC: \S+ LOGIN joe \{\d+\}\nS: \+ .*\nC: <secret>\n/);
      expect(text).toMatch(/\nC: \S+ SELECT \{5\}\nS: \+ .*\nC: INBOX\n/);
      const s = await serve(text, 'imap');
      try {
        const r = await python(join(SERVE_CLIENTS, 'imaplib_login_select.py'), ['127.0.0.1', String(s.listener.port), 'joe', 'a "quoted" \\ password', 'INBOX']);
        // Before, serve refused imaplib's LOGIN joe "..." (BAD: expected "{8}").
        expect(r).toEqual({ login: 'OK', select: ['OK', ['1']], search: '1', logout: 'BYE' });
        expect((await s.connections[0])?.passed).toBe(true);
        expect(s.reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
        const notes = s.reports.filter((x) => /read whole/.test(x.message)).map((x) => x.message);
        // Each command: its "+" was not sent, and the note says so.
        expect(notes).toHaveLength(2);
        for (const note of notes) expect(note).toMatch(/: the "\+" of line \d+ was not sent \(a "\+" answers a synchronizing literal, RFC 3501 §7\.5, and the client sent none there\)$/);
      } finally {
        await s.listener.close();
      }
    });
  });
});
