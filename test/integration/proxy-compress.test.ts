/**
 * COMPRESS=DEFLATE (RFC 4978) through mailwire proxy, with real clients against a real Dovecot (its
 * imap_zlib plugin): the proxy passes the command on, switches both legs to deflate right after the
 * server's OK, and goes on showing and recording the session in clear; each recording replays against
 * a fresh Dovecot. A client that inflates what it reads and a server that inflates what it is sent
 * would both fail at once on a leg that was not deflated at the right octet. A 30 MB message goes
 * both ways through a proxy process with a small heap: deflated legs hold each other back as plain
 * ones do.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProxyServer } from '../../src/proxy/proxy-server.js';
import { testCerts } from '../support/certs.js';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { proxyToDovecot, recordingsIn, replayPasses, startProxyProcess, type ProxyLegs, type StartedProxy } from '../support/proxy-harness.js';

const CLIENTS = fileURLToPath(new URL('../fixtures/proxy-clients/', import.meta.url));
/** Big enough for many deflate blocks and many TCP reads on both legs. */
const MESSAGE = `From: Fred Foobar <foobar@example.org>\r\nSubject: the long minutes\r\n\r\n${Array.from({ length: 6000 }, (_, i) => `Line ${i} of the minutes, with numbers ${(i * 7919) % 10007} that do not repeat.\r\n`).join('')}`;

describeWithClients('mailwire proxy follows COMPRESS=DEFLATE', ['python3'], () => {
  describeDovecot('proxy to Dovecot with COMPRESS', (recorded) => {
    let fresh: DovecotServer;
    const proxies: ProxyServer[] = [];

    beforeAll(async () => {
      fresh = await startDovecot();
      recorded().deliver('joe', MESSAGE);
      fresh.deliver('joe', MESSAGE);
    });
    afterAll(async () => {
      for (const p of proxies) await p.close();
      await fresh?.stop();
    });

    async function proxy(legs: ProxyLegs): Promise<StartedProxy> {
      const started = await proxyToDovecot(recorded(), legs);
      proxies.push(started.proxy);
      return started;
    }

    const cases = [
      { name: 'plain on both legs', legs: { protocol: 'imap', server: 'plain', client: 'plain' }, tls: [], replay: () => [`imap://127.0.0.1:${fresh.imapPort}`] },
      { name: 'implicit TLS to the proxy, STARTTLS to the server', legs: { protocol: 'imap', server: 'starttls', client: 'implicit' }, tls: ['tls', testCerts().caFile], replay: () => [`imap://127.0.0.1:${fresh.imapPort}`, '--starttls'] },
    ] as const;
    for (const c of cases) {
      it(`imaplib deflating its stream, ${c.name}: the message arrives whole, the proxy shows and records it in clear, the recording replays`, async () => {
        const { proxy: p, dir, events } = await proxy(c.legs);
        const r = await runClient('python3', [join(CLIENTS, 'imaplib_compress.py'), '127.0.0.1', String(p.port), 'joe', recorded().users.joe.password, ...c.tls]);
        expect(r.stderr).toBe('');
        const out = JSON.parse(r.stdout) as Record<string, unknown>;
        expect(out['caps']).toContain('COMPRESS=DEFLATE');
        expect(out['compress']).toBe('OK');
        expect(out['fetch']).toEqual(['OK', MESSAGE.length, createHash('sha256').update(MESSAGE).digest('hex')]);
        expect(out['append']).toBe('OK');
        expect(out['logout']).toBe('BYE');
        await p.idle();
        const shown = events.map((e) => e.event);
        expect(shown.some((e) => e.kind === 'notice' && e.text.includes('COMPRESS=DEFLATE in force on both legs'))).toBe(true);
        // What came after the switch was seen inflated: commands, responses, the literal's lines.
        expect(shown.some((e) => e.kind === 'client-line' && / SELECT INBOX$/.test(e.text))).toBe(true);
        expect(shown.some((e) => e.kind === 'client-line' && e.part === 'literal' && e.text === 'Hello again.')).toBe(true);
        const [file] = recordingsIn(dir);
        const transcript = readFileSync(file as string, 'utf8');
        expect(transcript).toMatch(/C: \S+ COMPRESS DEFLATE\nS: \S+ OK /);
        expect(transcript).toContain('S: Line 5999 of the minutes');
        expect(transcript).toContain('C: Subject: appended deflated\n');
        expect(transcript).not.toContain(recorded().users.joe.password);
        const [target, ...extra] = c.replay();
        await replayPasses(file as string, target as string, fresh, fresh.users.joe.password, extra);
      });
    }

    it('a 30 MB APPEND, then a 30 MB FETCH read slowly, deflated on both legs through `mailwire proxy` whose heap is capped at 48 MB: both arrive whole, and so does the recording', async () => {
      // A user of its own, so that joe's mailbox stays as the fresh Dovecot's for the replays.
      await recorded().addUsers([{ user: 'bigzip', password: 'bigzip' }]);
      const dir = mkdtempSync(join(tmpdir(), 'mailwire-proxy-'));
      const proxy = await startProxyProcess(recorded().imapPort, { heapMiB: 48, record: dir, slowView: true });

      const size = 30_000_000;
      const r = await runClient('python3', [join(CLIENTS, 'imaplib_compress_big.py'), '127.0.0.1', String(proxy.port), 'bigzip', 'bigzip', String(size)], 240_000);
      const peak = proxy.peakRssKiB();
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { sent: [number, string]; compress: string; append: string; fetch: [string, number, string]; logout: string };
      expect(out.sent[0]).toBeGreaterThan(size);
      expect(out.compress).toBe('OK');
      expect(out.append).toBe('OK');
      expect(out.fetch).toEqual(['OK', ...out.sent]);
      expect(out.logout).toBe('BYE');
      expect(await proxy.stop()).toBe(0);
      expect(proxy.stderr()).toBe('');
      expect(proxy.viewed()).toBeGreaterThan(2 * size);
      // Peak resident set: 72 MiB here, where the uncompressed proxy's flat line is (62.6 MiB for
      // 5 MB, 73.9 MiB for 50 MB in the benchmark); 126 to 148 MiB when a paused leg still delivered what
      // its inflater held and a deflated write never said the leg was full.
      expect(peak / 1024, `peak RSS ${peak} KiB`).toBeLessThan(100);

      // The recording holds the message twice, whole and in order: the APPEND's literal, the FETCH's.
      const [file] = recordingsIn(dir);
      const transcript = readFileSync(file as string, 'utf8');
      const literal = (side: 'C' | 'S', after: RegExp): string => {
        const start = after.exec(transcript);
        const lines = transcript.slice((start?.index ?? transcript.length) + (start?.[0].length ?? 0)).split('\n');
        const body: string[] = [];
        for (const line of lines) {
          if (!line.startsWith(`${side}: `) && line !== `${side}:`) break;
          body.push(line.slice(3));
        }
        return body.join('\r\n');
      };
      const hash = (text: string): string => createHash('sha256').update(text).digest('hex');
      // Each literal ends in CRLF, and the line after it (the APPEND's end, FETCH's ")") follows.
      const appended = literal('C', /\nS: \+ [^\n]*\n/);
      const fetched = literal('S', /\nS: \* \d+ FETCH \(BODY\[\] \{\d+\}\n/);
      expect(appended.length).toBeGreaterThanOrEqual(out.sent[0]);
      expect(fetched.length).toBeGreaterThan(out.sent[0]);
      expect(hash(appended.slice(0, out.sent[0]))).toBe(out.sent[1]);
      expect(hash(fetched.slice(0, out.sent[0]))).toBe(out.sent[1]);

      // And it replays: the APPEND's 30 MB literal goes deflated to a fresh Dovecot, the FETCH matches.
      await fresh.addUsers([{ user: 'bigzip', password: 'bigzip' }]);
      await replayPasses(file as string, `imap://127.0.0.1:${fresh.imapPort}`, fresh, 'bigzip');
    }, 300_000);

    it("mailwire's own client with COMPRESS DEFLATE through the proxy, and --no-compress, which takes it out", async () => {
      const followed = await proxy({ protocol: 'imap', server: 'plain', client: 'plain' });
      const args = (port: number): string[] => [`imap://127.0.0.1:${port}`, '-c', 'LOGIN joe', '-c', 'COMPRESS DEFLATE', '-c', 'SELECT INBOX', '-c', 'FETCH 1 BODY[]', '-c', 'LOGOUT'];
      const vars = { MAILWIRE_PASSWORD: recorded().users.joe.password };
      const on = await runMain(args(followed.proxy.port), { vars });
      expect(on.stderr).toBe('');
      expect(on.stdout).toMatch(/S: A002 OK .*\n# COMPRESS: DEFLATE in force both ways/);
      expect(on.stdout).toContain('S: Line 5999 of the minutes');
      expect(on.stdout).toMatch(/S: A005 OK Logout completed/);
      await followed.proxy.idle();
      await replayPasses(recordingsIn(followed.dir)[0] as string, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);

      const refused = await proxy({ protocol: 'imap', server: 'plain', client: 'plain', noCompress: true });
      const off = await runMain([`imap://127.0.0.1:${refused.proxy.port}`, '-c', 'CAPABILITY', '-c', 'LOGIN joe', '-c', 'COMPRESS DEFLATE', '-c', 'LOGOUT'], { vars });
      expect(off.stdout).not.toMatch(/^S: \* CAPABILITY .*COMPRESS=DEFLATE/m);
      expect(off.stdout).toMatch(/S: A003 NO \[CANNOT\] .*--no-compress/);
      await refused.proxy.idle();
      expect(refused.events.some((e) => e.event.kind === 'notice' && e.event.text.includes('COMPRESS=DEFLATE taken out (--no-compress)'))).toBe(true);
      // The proxy's own NO is not the server's: the recording does not hold the exchange, and replays.
      const transcript = readFileSync(recordingsIn(refused.dir)[0] as string, 'utf8');
      expect(transcript).not.toContain('COMPRESS DEFLATE');
      await replayPasses(recordingsIn(refused.dir)[0] as string, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);
    });
  });
});
