/**
 * SASL exchanges other clients run through mailwire proxy, recorded and replayed against Dovecot:
 * imaplib's AUTHENTICATE PLAIN without an initial response (an empty "+ " first), POP3 AUTH PLAIN the
 * same way, and curl's AUTHENTICATE LOGIN with its user name sent ahead (SASL-IR) and one "+" for the
 * password. The recordings hold no secret, not even as base64; replay runs each exchange again in the
 * recorded shape, with the replay's own secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { proxyToDovecot, recordingsIn, replayPasses } from '../support/proxy-harness.js';

const CLIENTS = fileURLToPath(new URL('../fixtures/proxy-clients/', import.meta.url));

/** The password in every form a recording could leak it: as it is, and base64 of what carries it. */
function leaks(password: string, user: string): string[] {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return [password, b64(password), b64(`\0${user}\0${password}`)];
}

describeWithClients('mailwire proxy: SASL exchanges of other clients replay', ['python3', 'curl'], () => {
  describeDovecot('against Dovecot', (recorded) => {
    let fresh: DovecotServer;
    beforeAll(async () => {
      fresh = await startDovecot();
    });
    afterAll(async () => {
      await fresh?.stop();
    });

    /** Records one client's session through a proxy; returns the recording's path and text. */
    async function record(protocol: 'imap' | 'pop3', client: (port: number) => Promise<void>): Promise<{ file: string; text: string }> {
      const { proxy, dir } = await proxyToDovecot(recorded(), { protocol, server: 'plain', client: 'plain' });
      try {
        await client(proxy.port);
        await proxy.idle();
      } finally {
        await proxy.close();
      }
      const [file] = recordingsIn(dir) as [string];
      const text = readFileSync(file, 'utf8');
      for (const leak of leaks(recorded().users.joe.password, 'joe')) expect(text).not.toContain(leak);
      const lint = await runMain(['lint', file]);
      expect(lint.stdout, text).toContain('0 errors');
      return { file, text };
    }

    async function python(script: string, port: number): Promise<Record<string, unknown>> {
      const r = await runClient('python3', [join(CLIENTS, script), '127.0.0.1', String(port), 'joe', recorded().users.joe.password]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    }

    it("imaplib's AUTHENTICATE PLAIN (no SASL-IR: an empty challenge, then the response)", async () => {
      const { file, text } = await record('imap', async (port) => {
        expect(await python('imaplib_authenticate_plain.py', port)).toEqual({ authenticate: 'OK', examine: 'OK', logout: 'BYE' });
      });
      expect(text).toMatch(/\nC: \S+ AUTHENTICATE PLAIN\nS: \+ \n(?:# .*\n)*C: <secret>\n/);
      // Dovecot offers SASL-IR: a replay that sent the response on the command line would get no "+ ".
      await replayPasses(file, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);
    });

    it('POP3 AUTH PLAIN with an empty challenge (RFC 5034 §4)', async () => {
      const { file, text } = await record('pop3', async (port) => {
        const out = await python('poplib_auth_plain.py', port);
        expect(out['challenge']).toBe('+ ');
        expect(out['auth']).toMatch(/^\+OK/);
      });
      expect(text).toMatch(/\nC: AUTH PLAIN\nS: \+ \n(?:# .*\n)*C: <secret>\nS: \+OK/);
      await replayPasses(file, `pop3://127.0.0.1:${fresh.pop3Port}`, fresh, fresh.users.joe.password);
    });

    it("curl's AUTHENTICATE LOGIN (--login-options AUTH=LOGIN): the user name sent ahead, one challenge for the password", async () => {
      const { file, text } = await record('imap', async (port) => {
        const r = await runClient('curl', ['-sS', '--login-options', 'AUTH=LOGIN', '--user', `joe:${recorded().users.joe.password}`, `imap://127.0.0.1:${port}/INBOX?ALL`]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('* SEARCH');
      });
      expect(text).toMatch(/\nC: \S+ AUTHENTICATE LOGIN <secret>\n(?:# .*\n)*S: \+ \$\n(?:# .*\n)*C: <secret>\n/);
      // mailwire's own LOGIN waits for the server's "Username:"; the replay sends the user name ahead, as curl did.
      await replayPasses(file, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);
    });
  });
});
