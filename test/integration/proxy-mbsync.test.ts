/**
 * mbsync (isync) through mailwire proxy to a real Dovecot, syncing a local Maildir both ways: with
 * STARTTLS to the proxy and plain to the server, and with implicit TLS on both legs; mbsync trusts the
 * proxy's certificate through its CertificateFile. mbsync turns on COMPRESS=DEFLATE wherever the
 * server offers it, so the proxy follows deflate on both legs all along. Messages arrive in the
 * Maildir, a message written there and a flag set there reach the server, and every recording
 * replays against a fresh Dovecot.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProxyServer } from '../../src/proxy/proxy-server.js';
import { testCerts } from '../support/certs.js';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { proxyToDovecot, recordingsIn, replayPasses } from '../support/proxy-harness.js';

const message = (n: number): string =>
  `From: Fred Foobar <foobar@example.org>\r\nTo: joe@example.org\r\nSubject: minutes part ${n}\r\nMessage-ID: <part-${n}@example.org>\r\n\r\n${'The minutes go on.\r\n'.repeat(40 * n)}`;

/** An mbsyncrc (isync 1.4) syncing INBOX of the proxy's joe with a Maildir, both ways. */
function mbsyncrc(work: string, port: number, tls: 'STARTTLS' | 'IMAPS', password: string): string {
  return `IMAPAccount proxy
Host 127.0.0.1
Port ${port}
User joe
Pass ${password}
SSLType ${tls}
CertificateFile ${testCerts().serverCertFile}
SystemCertificates no

IMAPStore remote
Account proxy

MaildirStore local
Path ${join(work, 'mail')}/
Inbox ${join(work, 'mail', 'INBOX')}

Channel inbox
Far :remote:
Near :local:
Patterns INBOX
Create Both
Expunge Both
Sync All
SyncState *
`;
}

/** The messages of a Maildir folder, file names as they are. */
function maildirFiles(folder: string): string[] {
  return ['cur', 'new'].flatMap((sub) => readdirSync(join(folder, sub)).map((name) => join(folder, sub, name)));
}

describeWithClients('mbsync through mailwire proxy', ['mbsync'], () => {
  describeDovecot('mbsync, proxy and Dovecot', (recorded) => {
    let fresh: DovecotServer;
    const proxies: ProxyServer[] = [];

    beforeAll(async () => {
      fresh = await startDovecot();
      for (const n of [1, 2, 3]) {
        recorded().deliver('joe', message(n));
        fresh.deliver('joe', message(n));
      }
    });
    afterAll(async () => {
      for (const p of proxies) await p.close();
      await fresh?.stop();
    });

    const cases = [
      { name: 'STARTTLS to the proxy, plain to the server', legs: { protocol: 'imap', server: 'plain', client: 'plain' }, tls: 'STARTTLS', replay: (): string[] => [`imap://127.0.0.1:${fresh.imapPort}`] },
      { name: 'implicit TLS to the proxy and to the server', legs: { protocol: 'imap', server: 'implicit', client: 'implicit' }, tls: 'IMAPS', replay: (): string[] => [`imaps://127.0.0.1:${fresh.imapsPort}`] },
    ] as const;
    for (const c of cases) {
      it(`syncs a Maildir both ways, ${c.name}; the recordings replay`, async () => {
        const { proxy, dir, events } = await proxyToDovecot(recorded(), c.legs);
        proxies.push(proxy);
        const work = mkdtempSync(join(tmpdir(), 'mailwire-mbsync-'));
        mkdirSync(join(work, 'mail'));
        const rc = join(work, 'mbsyncrc');
        writeFileSync(rc, mbsyncrc(work, proxy.port, c.tls, recorded().users.joe.password), { mode: 0o600 });

        // First run: the server's messages arrive in the Maildir.
        const pull = await runClient('mbsync', ['-c', rc, '-a'], 60_000, { HOME: work });
        expect(pull.stderr + pull.stdout, 'first mbsync run').not.toMatch(/error|fatal/i);
        expect(pull.code).toBe(0);
        const inbox = join(work, 'mail', 'INBOX');
        const pulled = maildirFiles(inbox);
        expect(pulled.map((f) => /^Subject: (.*)$/m.exec(readFileSync(f, 'latin1'))?.[1]?.trim())).toEqual(expect.arrayContaining(['minutes part 1', 'minutes part 2', 'minutes part 3']));

        // Second run: a message written locally and a flag set locally go to the server.
        const subject = `written in the Maildir (${c.tls})`;
        writeFileSync(join(inbox, 'new', `${Date.now()}.local.mailwire`), `From: joe@example.org\r\nSubject: ${subject}\r\n\r\nFrom the local side.\r\n`);
        const part2 = pulled.find((f) => readFileSync(f, 'latin1').includes('Subject: minutes part 2')) as string;
        const flagged = part2.includes(':2,') ? `${part2.replace(/:2,([A-Z]*)$/, (_m, flags: string) => `:2,${[...new Set(`${flags}F`)].sort().join('')}`)}` : `${part2}:2,F`;
        renameSync(part2, flagged.replace('/new/', '/cur/'));
        const push = await runClient('mbsync', ['-c', rc, '-a'], 60_000, { HOME: work });
        expect(push.stderr + push.stdout, 'second mbsync run').not.toMatch(/error|fatal/i);
        expect(push.code).toBe(0);
        await proxy.idle();

        // The server has both changes (read-only, so nothing of the server's state moves).
        const check = await runMain([`imap://127.0.0.1:${recorded().imapPort}`, '-c', 'LOGIN joe', '-c', 'EXAMINE INBOX', '-c', `SEARCH SUBJECT "${subject}"`, '-c', 'SEARCH FLAGGED SUBJECT "minutes part 2"', '-c', 'LOGOUT'], {
          vars: { MAILWIRE_PASSWORD: recorded().users.joe.password },
        });
        const searches = [...check.stdout.matchAll(/^S: \* SEARCH(.*)$/gm)].map((m) => (m[1] ?? '').trim());
        expect(searches).toHaveLength(2);
        expect(searches.every((s) => /^\d+$/.test(s))).toBe(true);

        const shown = events.map((e) => e.event);
        // On a plain listener mbsync took the proxy's STARTTLS before logging in.
        if (c.legs.client === 'plain') expect(shown.some((e) => e.kind === 'notice' && e.text.includes("the client's leg is now TLS"))).toBe(true);
        expect(shown.some((e) => e.kind === 'notice' && e.text.includes('COMPRESS=DEFLATE in force on both legs'))).toBe(true);
        expect(shown.some((e) => e.kind === 'client-line' && e.text.includes(`Subject: ${subject}`))).toBe(true);
        const files = recordingsIn(dir);
        expect(files.length).toBeGreaterThanOrEqual(2);
        for (const file of files) {
          expect(readFileSync(file, 'utf8')).not.toContain(recorded().users.joe.password);
          const [target, ...extra] = c.replay();
          await replayPasses(file, target as string, fresh, fresh.users.joe.password, extra);
        }
      });
    }
  });
});
