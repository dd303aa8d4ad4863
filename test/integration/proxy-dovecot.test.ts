/**
 * mailwire proxy between real clients (Python imaplib and poplib, curl) and a real Dovecot: what the
 * client gets is what the server said, the legs have their own TLS, every connection is recorded with
 * its secrets masked, and each recording replays against a freshly started Dovecot.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProxyServer } from '../../src/proxy/proxy-server.js';
import { testCerts } from '../support/certs.js';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { proxyToDovecot, replayPasses as replayHarness, type StartedProxy } from '../support/proxy-harness.js';

const CLIENTS = fileURLToPath(new URL('../fixtures/proxy-clients/', import.meta.url));
const MESSAGE = 'From: Fred Foobar <foobar@example.org>\r\nSubject: afternoon meeting\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';

describeWithClients('mailwire proxy with real clients', ['python3', 'curl', 'fetchmail'], () => {
  describeDovecot('proxy to Dovecot', (recorded) => {
    let fresh: DovecotServer;
    const proxies: ProxyServer[] = [];

    beforeAll(async () => {
      fresh = await startDovecot();
    });
    afterAll(async () => {
      for (const p of proxies) await p.close();
      await fresh?.stop();
    });

    /** A proxy to the recorded Dovecot, listening on a free loopback port. */
    async function proxyTo(protocol: 'imap' | 'pop3', server: 'plain' | 'implicit' | 'starttls', client: 'plain' | 'implicit'): Promise<StartedProxy> {
      const started = await proxyToDovecot(recorded(), { protocol, server, client });
      proxies.push(started.proxy);
      return started;
    }

    function onlyRecording(dir: string): string {
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      return join(dir, files[0] as string);
    }

    async function replayPasses(file: string, target: string, password: string, extra: string[] = []): Promise<void> {
      await replayHarness(file, target, fresh, password, extra);
    }

    it('imaplib, plain on both legs: login, select, fetch, append (a literal), IDLE; recorded and replayed', async () => {
      recorded().deliver('joe', MESSAGE);
      fresh.deliver('joe', MESSAGE);
      const { proxy, dir, events } = await proxyTo('imap', 'plain', 'plain');
      const r = await runClient('python3', [join(CLIENTS, 'imaplib_proxy.py'), '127.0.0.1', String(proxy.port), 'joe', recorded().users.joe.password]);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out['login']).toBe('OK');
      expect(out['fetch']).toEqual(['OK', 'Subject: afternoon meeting\r\n\r\n']);
      expect(out['append']).toBe('OK');
      expect(out['idle_continuation']).toMatch(/^\+ /);
      expect(out['idle_done']).toBe('OK');
      expect(out['logout']).toBe('BYE');
      // The proxy has a certificate: the client is offered STARTTLS, whatever the server offers.
      expect(out['caps']).toContain('STARTTLS');
      await proxy.idle();
      const file = onlyRecording(dir);
      const transcript = readFileSync(file, 'utf8');
      expect(transcript).not.toContain(recorded().users.joe.password);
      expect(transcript).toMatch(/C: \S+ LOGIN joe <secret>\n/);
      expect(transcript).toContain('C: Subject: appended through the proxy\n');
      expect(transcript).toMatch(/C: DONE\n/);
      const shown = events.map((e) => e.event);
      expect(shown.some((e) => e.kind === 'client-line' && e.text.includes(recorded().users.joe.password))).toBe(false);
      expect(shown.at(-1)?.kind).toBe('closed');
      await replayPasses(file, `imap://127.0.0.1:${fresh.imapPort}`, fresh.users.joe.password);
    });

    it('imaplib with STARTTLS to the proxy, implicit TLS to the server: the proxy answers STARTTLS itself', async () => {
      const { proxy, dir, events } = await proxyTo('imap', 'implicit', 'plain');
      const r = await runClient('python3', [join(CLIENTS, 'imaplib_proxy.py'), '127.0.0.1', String(proxy.port), 'joe', recorded().users.joe.password, 'starttls', testCerts().caFile]);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out['starttls']).toBe('OK');
      expect(out['caps_tls']).not.toContain('STARTTLS');
      expect(out['login']).toBe('OK');
      await proxy.idle();
      const notes = events.flatMap((e) => (e.event.kind === 'notice' ? [e.event.text] : []));
      expect(notes.some((t) => t.includes('STARTTLS answered by the proxy'))).toBe(true);
      const transcript = readFileSync(onlyRecording(dir), 'utf8');
      // The proxy's own STARTTLS exchange is not the server's: the recording does not hold it.
      expect(transcript).not.toMatch(/C: \S+ STARTTLS/);
      await replayPasses(onlyRecording(dir), `imaps://127.0.0.1:${fresh.imapsPort}`, fresh.users.joe.password);
    });

    it('poplib over implicit TLS to the proxy, STLS to the server; recorded and replayed', async () => {
      recorded().deliver('mrose', MESSAGE);
      fresh.deliver('mrose', MESSAGE);
      const { proxy, dir } = await proxyTo('pop3', 'starttls', 'implicit');
      const r = await runClient('python3', [join(CLIENTS, 'poplib_proxy.py'), '127.0.0.1', String(proxy.port), 'mrose', 'tanstaaf', 'tls', testCerts().caFile]);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { capa: string[]; pass: string; retr: [string, string[]]; quit: string };
      expect(out.pass).toMatch(/^\+OK/);
      expect(out.capa).not.toContain('STLS');
      expect(out.retr[1]).toContain('Subject: afternoon meeting');
      expect(out.quit).toMatch(/^\+OK/);
      await proxy.idle();
      const transcript = readFileSync(onlyRecording(dir), 'utf8');
      expect(transcript).toContain('C: PASS <secret>\n');
      expect(transcript).not.toContain('tanstaaf');
      await replayPasses(onlyRecording(dir), `pop3://127.0.0.1:${fresh.pop3Port}`, 'tanstaaf', ['--starttls']);
    });

    it('curl IMAP with STARTTLS required (--ssl-reqd) to the proxy, plain to the server', async () => {
      const { proxy, dir } = await proxyTo('imap', 'plain', 'plain');
      const r = await runClient('curl', ['-sS', '--ssl-reqd', '--cacert', testCerts().caFile, '--user', `joe:${recorded().users.joe.password}`, `imap://localhost:${proxy.port}/INBOX;UID=1`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Subject: afternoon meeting');
      await proxy.idle();
      await replayPasses(onlyRecording(dir), `imap://127.0.0.1:${fresh.imapPort}`, fresh.users.joe.password);
    });

    it('curl POP3 to the proxy, plain on both legs', async () => {
      const { proxy, dir } = await proxyTo('pop3', 'plain', 'plain');
      const r = await runClient('curl', ['-sS', '--user', 'mrose:tanstaaf', `pop3://127.0.0.1:${proxy.port}/1`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Subject: afternoon meeting');
      await proxy.idle();
      await replayPasses(onlyRecording(dir), `pop3://127.0.0.1:${fresh.pop3Port}`, 'tanstaaf');
    });

    it('SCRAM and CRAM-MD5 pass through: mailwire logs in through the proxy, the server signature verifies, the recordings replay', async () => {
      const cases = [
        { protocol: 'imap', command: 'AUTHENTICATE SCRAM-SHA-256', user: 'joe', password: recorded().users.joe.password },
        { protocol: 'imap', command: 'AUTHENTICATE CRAM-MD5', user: 'joe', password: recorded().users.joe.password },
        { protocol: 'pop3', command: 'AUTH SCRAM-SHA-1', user: 'mrose', password: 'tanstaaf' },
      ] as const;
      for (const c of cases) {
        const { proxy, dir } = await proxyTo(c.protocol, 'plain', 'plain');
        const r = await runMain([`${c.protocol}://127.0.0.1:${proxy.port}`, '-u', c.user, '-c', c.command, '-c', c.protocol === 'imap' ? 'LOGOUT' : 'QUIT'], {
          vars: { MAILWIRE_PASSWORD: c.password },
        });
        expect(r.stderr, c.command).toBe('');
        expect(r.code, c.command).toBe(0);
        expect(r.stdout, c.command).toMatch(c.protocol === 'imap' ? /^S: A001 OK/m : /^S: \+OK/m);
        if (c.command.includes('SCRAM')) expect(r.stdout).toContain('server signature verified');
        await proxy.idle();
        const file = onlyRecording(dir);
        expect(readFileSync(file, 'utf8')).not.toContain(c.password);
        const target = c.protocol === 'imap' ? `imap://127.0.0.1:${fresh.imapPort}` : `pop3://127.0.0.1:${fresh.pop3Port}`;
        await replayPasses(file, target, c.protocol === 'imap' ? fresh.users.joe.password : 'tanstaaf');
      }
    });

    it('fetchmail over POP3 and IMAP, plain to the proxy, the server reached with STARTTLS', async () => {
      for (const protocol of ['pop3', 'imap'] as const) {
        const user = protocol === 'pop3' ? 'mrose' : 'joe';
        const password = protocol === 'pop3' ? 'tanstaaf' : recorded().users.joe.password;
        const { proxy, dir } = await proxyTo(protocol, 'starttls', 'plain');
        const work = mkdtempSync(join(tmpdir(), 'mailwire-fetchmail-'));
        const rc = join(work, 'fetchmailrc');
        // sslproto '': no STARTTLS on the client's leg (the proxy offers it; fetchmail would take it).
        writeFileSync(rc, `set no syslog\npoll 127.0.0.1 protocol ${protocol === 'pop3' ? 'POP3' : 'IMAP'} port ${proxy.port} auth password user "${user}" password "${password}" is "${user}" here keep fetchall sslproto '' mda "cat > ${join(work, 'mail')}-%T"\n`);
        chmodSync(rc, 0o600);
        const r = await runClient('fetchmail', ['-f', rc, '--pidfile', join(work, 'pid'), '--nodetach', '--idfile', join(work, 'ids')], 30_000);
        expect(r.stderr).not.toMatch(/error|fail/i);
        expect([0, 1]).toContain(r.code);
        await proxy.idle();
        const transcript = readFileSync(onlyRecording(dir), 'utf8');
        expect(transcript).not.toContain(password);
        await replayPasses(onlyRecording(dir), `${protocol}://127.0.0.1:${protocol === 'pop3' ? fresh.pop3Port : fresh.imapPort}`, password, ['--starttls']);
      }
    });
  });
});
