/**
 * Makes the code caches of the bundle's files (`npm run build` runs it after scripts/bundle.mjs), which
 * bin/code-cache.js hands to V8 as each file loads. Two short sessions against the sandbox, POP3 and
 * then IMAP, run with a preload that writes the caches as each ends: what both load is cached as the
 * IMAP one left it. The sessions read far less than the 4 MiB after which a connection asks V8 for
 * garbage collections of its own (transport/read-garbage.ts): that sets a V8 flag, and V8 takes no
 * cache made under other flags than its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/mailwire.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./code-cache-train.cjs', import.meta.url));

const SESSIONS = [
  ['pop3', 'USER mrose', 'PASS tanstaaf', 'STAT', 'LIST', 'UIDL', 'RETR 1', 'TOP 2 0', 'QUIT'],
  ['imap', 'a1 LOGIN joe password', 'a2 SELECT INBOX', 'a3 FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)', 'a4 FETCH 1 BODY[]', 'a5 LOGOUT'],
];

// A home of its own, and no NODE_OPTIONS: V8 flags there would be in the caches' flags.
const home = mkdtempSync(join(tmpdir(), 'mailwire-code-cache-'));
try {
  for (const [protocol, ...lines] of SESSIONS) {
    const args = ['--require', PRELOAD, BIN, 'demo', protocol, '--timeout', '20', ...lines.flatMap((line) => ['-c', line])];
    const run = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    if (run.status !== 0) {
      throw new Error(`code cache: mailwire demo ${protocol} ended with ${run.status ?? run.signal}: ${run.stderr.toString().trim()}`);
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
