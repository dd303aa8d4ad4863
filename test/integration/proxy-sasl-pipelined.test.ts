/**
 * A SASL response a client pipelines behind its AUTHENTICATE (IMAP) or AUTH (POP3) without waiting
 * for the "+", through mailwire proxy to Dovecot, when the server refuses the exchange: the server
 * then reads the response as a command of its own, and Dovecot's IMAP answers it with the response as
 * the tag (`AGtpbQ... BAD Error in IMAP command`). A response that comes after the refusal reaches
 * the proxy as a line of its own. Either way the recording and the live view hold no password, no
 * base64 of it, no PLAIN blob.
 *
 * Such a recording does not replay: its `C: <secret>` is a SASL response sent outside any exchange,
 * which the server read as a command, and replay has no secret to put there nor would send one as a
 * command. It stops at that line with one line saying so (before, it sent the placeholder itself as a
 * command and reported the server's answer to that as a difference).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { SessionEvent } from '../../src/session/events.js';
import { describeDovecot } from '../support/dovecot.js';
import { runBinary } from '../support/cli.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { proxyToDovecot, recordingsIn } from '../support/proxy-harness.js';

const CLIENT = fileURLToPath(new URL('../fixtures/proxy-clients/raw_pipelined_auth.py', import.meta.url));

/** The password in every form a recording could leak it. */
function leaks(password: string, user: string): string[] {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return [password, b64(password), b64(`\0${user}\0${password}`)];
}

/** What the live view showed, as text: lines as they are, the server's bytes as they came. */
function viewText(events: ReadonlyArray<{ event: SessionEvent }>): string {
  return events.map(({ event }) => JSON.stringify(event, (_k, v: unknown) => (isBufferJson(v) ? Buffer.from(v.data).toString('latin1') : v))).join('\n');
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data);
}

// `|`: the client waits for the server's answer to what it wrote before; `\n` is a CRLF.
const IMAP: Array<[string, string]> = [
  ['a mechanism refused, the PLAIN response in the same write', 'a AUTHENTICATE FOO\\n{blob}\\nb LOGOUT\\n'],
  ['a mechanism refused, LOGIN\'s two responses in the same write', 'a AUTHENTICATE FOO\\n{user}\\n{pass}\\nb LOGOUT\\n'],
  ['an empty initial response refused, the response in the same write', 'a AUTHENTICATE PLAIN =\\n{blob}\\nb LOGOUT\\n'],
  ['an empty initial response refused before the response came', 'a AUTHENTICATE PLAIN =\\n|{blob}\\nb LOGOUT\\n'],
  ['a mechanism refused before LOGIN\'s two responses came', 'a AUTHENTICATE FOO\\n|{user}\\n{pass}\\nb LOGOUT\\n'],
];

const POP3: Array<[string, string]> = [
  ['a mechanism refused, the PLAIN response in the same write', 'AUTH FOO\\n{blob}\\nQUIT\\n'],
  ['an empty initial response refused before the response came', 'AUTH PLAIN =\\n|{blob}\\nQUIT\\n'],
  ['a mechanism refused before LOGIN\'s two responses came', 'AUTH FOO\\n|{user}\\n{pass}\\nQUIT\\n'],
];

describeWithClients('mailwire proxy: a SASL response pipelined into a refused exchange', ['python3'], () => {
  describeDovecot('against Dovecot', (dovecot) => {
    async function run(protocol: 'imap' | 'pop3', scenario: string): Promise<{ text: string; view: string; server: string; file: string }> {
      const { proxy, dir, events } = await proxyToDovecot(dovecot(), { protocol, server: 'plain', client: 'plain' });
      let server: string;
      try {
        const r = await runClient('python3', [CLIENT, '127.0.0.1', String(proxy.port), 'joe', dovecot().users.joe.password, scenario]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        server = JSON.parse(r.stdout) as string;
        await proxy.idle();
      } finally {
        await proxy.close();
      }
      const [file] = recordingsIn(dir) as [string];
      const text = readFileSync(file, 'utf8');
      const view = viewText(events);
      for (const leak of leaks(dovecot().users.joe.password, 'joe')) {
        expect(text, `${leak} in the recording`).not.toContain(leak);
        expect(view, `${leak} in the live view`).not.toContain(leak);
      }
      return { text, view, server, file };
    }

    /**
     * Replays the recording against the same Dovecot: it stops at the `<secret>` line, with one line
     * naming it and the AUTHENTICATE / AUTH before it, an input error (exit 9), no stack trace.
     */
    async function replayStops(protocol: 'imap' | 'pop3', file: string, text: string): Promise<void> {
      const port = protocol === 'imap' ? dovecot().imapPort : dovecot().pop3Port;
      const r = await runBinary(['replay', file, '--target', `${protocol}://127.0.0.1:${port}`, '--timeout', '10', '--no-color'], { vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password }, timeoutMs: 20_000 });
      const lines = text.split('\n');
      const stray = lines.findIndex((l) => l === 'C: <secret>') + 1;
      const sasl = lines.findIndex((l) => /^C: (?:\S+ AUTHENTICATE|AUTH) /.test(l)) + 1;
      const command = protocol === 'imap' ? 'AUTHENTICATE' : 'AUTH';
      expect(r.stdout).toMatch(/^ERROR \S+ \(\d+ ms\)\n/);
      expect(r.stdout.split('\n')[1]).toBe(`    line ${stray}: <secret> stands for a SASL response the client sent after the ${command} of line ${sasl} with no "+" to answer, and the server read it as a command: replay sends no secret as a command, and the recording holds none to send`);
      expect(r.stdout).toMatch(/\n0 passed, 1 failed \(1 could not run\)\n$/);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(9);
    }

    it.each(IMAP)('IMAP: %s', async (_name, scenario) => {
      const { text, file } = await run('imap', scenario);
      expect(text).toMatch(/\nC: \S+ LOGOUT\n/);
      await replayStops('imap', file, text);
    });

    it('IMAP: the server\'s echo of the response as a tag is recorded masked', async () => {
      const { text, server } = await run('imap', 'a AUTHENTICATE FOO\\n{blob}\\nb LOGOUT\\n');
      // What makes the case: Dovecot took the response for a command and echoed it as its tag.
      expect(server).toContain(`${Buffer.from(`\0joe\0${dovecot().users.joe.password}`).toString('base64')} BAD`);
      expect(text).toMatch(/\nC: <secret>\n/);
      expect(text).toMatch(/\nS: <secret> BAD /);
    });

    it.each(POP3)('POP3: %s', async (_name, scenario) => {
      const { text, file } = await run('pop3', scenario);
      expect(text).toMatch(/\nC: QUIT\n/);
      await replayStops('pop3', file, text);
    });
  });
});
