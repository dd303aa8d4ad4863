/**
 * The README's quick start, word for word, as a newcomer runs it: in a copy of the checkout's files
 * (what a fresh clone holds), from a shell with a home of its own and an npm prefix of its own, so no
 * global npm state helps. `npm install` and `npm link` must leave `mailwire` on the PATH, `mailwire
 * demo` must take the lines the README tells you to type, and the README's line for a real server
 * must work against one (the sandbox, run by the linked command, stands in for mail.example.org).
 * Uses this machine's npm download cache first, and the registry for what it lacks, like `npm ci`.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The commands of the README's quick start block, comments dropped. */
function quickStartCommands(): string[] {
  const section = README.split('\n## Quick start\n')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '');
}

/** What the README says to type at the demo's prompt: `type LOGIN joe password`, then the rest. */
function demoLines(): string[] {
  const m = /At its prompt, type ((?:`[^`]+`(?:, | and )?)+)/.exec(README);
  return [...(m?.[1] ?? '').matchAll(/`([^`]+)`/g)].map((x) => x[1] as string);
}

const root = mkdtempSync(join(tmpdir(), 'mailwire-quick-start-'));
const clone = join(root, 'mailwire');
const home = join(root, 'home');
const prefix = join(root, 'npm-prefix');
const NETWORK = /^(?:https?_proxy|no_proxy|all_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|npm_config_(?:registry|cafile|proxy|https_proxy|strict_ssl))$/i;
/** A clean shell's environment: nothing of ours but node on the PATH. */
const env: Record<string, string> = {
  HOME: home,
  npm_config_prefix: prefix,
  PATH: [join(prefix, 'bin'), dirname(realpathSync(process.execPath)), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
  LANG: 'C.UTF-8',
  // npm's download cache (content-addressed tarballs, no installed state) is the machine's own, and
  // taken first: the same install without fetching the same tarballs again, and no audit request.
  npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  // The machine's way to the registry (proxies, a CA of its own) is no npm state: passed on.
  ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => NETWORK.test(e[0]) && e[1] !== undefined)),
};

function sh(command: string): string {
  return execFileSync('bash', ['-c', command], { cwd: clone, env, encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

let sandbox: ChildProcessWithoutNullStreams | null = null;

beforeAll(() => {
  // A fresh clone holds the tracked files: copy those, as they are in this checkout.
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter((f) => f !== '');
  for (const f of files) {
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    copyFileSync(join(REPO, f), join(clone, f));
  }
  mkdirSync(home);
});

afterAll(() => {
  sandbox?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe("the README's quick start on a fresh clone", () => {
  const commands = quickStartCommands();

  it('is npm install, npm link, mailwire demo and npm test', () => {
    expect(commands).toEqual(['npm install', 'npm link', 'mailwire demo', 'npm test']);
    expect(demoLines()).toEqual(['LOGIN joe password', 'SELECT INBOX', 'FETCH 1:* ENVELOPE', 'LOGOUT']);
  });

  it('npm install and npm link put mailwire on the PATH, in the npm prefix of this shell', () => {
    expect(() => sh('command -v mailwire')).toThrow();
    for (const command of commands.slice(0, 2)) sh(command);
    expect(sh('command -v mailwire').trim()).toBe(join(prefix, 'bin', 'mailwire'));
    expect(sh('mailwire --version').trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(sh('mailwire help demo')).toContain('Usage: mailwire demo');
  }, 300_000);

  it.skipIf(!tmuxAvailable())('mailwire demo takes the lines the README tells you to type', async () => {
    const words = (commands[2] as string).split(' ');
    const t = startTerminal(words.slice(1), { ...env, XDG_STATE_HOME: join(home, 'state') }, [words[0] as string]);
    try {
      await t.waitForCursorLine(/^imap 127\.0\.0\.1:\d+ not authenticated A001>$/, 'the first prompt');
      const lines = demoLines();
      for (const [i, line] of lines.entries()) {
        t.type(line);
        t.press('Enter');
        if (i < lines.length - 1) await t.waitForCursorLine(new RegExp(`A00${i + 2}>$`), `the prompt after ${line}`);
      }
      expect(await t.exitStatus()).toBe(0);
      const screen = t.screen();
      expect(screen).toContain('S: A001 OK LOGIN completed');
      expect(screen).toContain('S: A002 OK [READ-WRITE] SELECT completed');
      expect(screen).toMatch(/^S: \* 2 FETCH \(ENVELOPE \("Mon, 7 Feb 1994 21:52:25 -0800 \(PST\)" "afternoon meeting"/m);
      expect(screen).toContain('S: A003 OK FETCH completed');
      expect(screen).toContain('S: A004 OK LOGOUT completed');
    } finally {
      t.close();
    }
  }, 60_000);

  it("the README's line for a real server works against one (the sandbox, as the linked command runs it)", async () => {
    const line = /For a real\s+server: `(mailwire imap:\/\/mail\.example\.org[^`]*)`/.exec(README)?.[1];
    expect(line).toBe('mailwire imap://mail.example.org -c CAPABILITY -c LOGOUT');
    sandbox = spawn('mailwire', ['sandbox', '--listen', 'imap://127.0.0.1'], { cwd: clone, env });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      sandbox?.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /^ {2}imap:\/\/(127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) resolve(m[1] as string);
      });
      sandbox?.on('exit', () => reject(new Error(`the sandbox exited: ${out}`)));
    });
    const out = sh(`${(line as string).replace('mail.example.org', url)}`);
    expect(out).toMatch(/^S: \* CAPABILITY IMAP4rev1 /m);
    expect(out).toContain('S: A002 OK LOGOUT completed');
  });
});
