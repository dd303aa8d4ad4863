/**
 * `mailwire demo` and `mailwire sandbox` as users run them: the demo's session against the
 * in-process sandbox (scripted by -c and by a pipe, over plain TCP, STARTTLS and TLS), and the
 * sandbox as a process of its own that other clients reach and SIGTERM stops.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runBinary, runMain } from '../support/cli.js';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';
import { RFC3501_APPEND_MESSAGE } from '../support/rfc-messages.js';

describe('mailwire demo', () => {
  it('runs a scripted IMAP session against the sandbox: the quick start\'s commands', async () => {
    const r = await runMain(['demo', '-c', 'LOGIN joe password', '-c', 'SELECT INBOX', '-c', 'SEARCH TEXT "tomorrow"', '-c', 'FETCH 2 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])', '-c', 'LOGOUT']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^# connected to imap:\/\/127\.0\.0\.1:\d+, plain TCP$/);
    expect(lines).toContain('C: A001 LOGIN joe <secret>');
    expect(lines).toContain('S: A001 OK LOGIN completed');
    expect(lines).toContain('S: * 5 EXISTS');
    expect(lines).toContain('S: * SEARCH 2');
    expect(lines).toContain('S: * 2 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {30}');
    expect(lines).toContain('S: Subject: afternoon meeting');
    expect(lines).toContain('S: A005 OK LOGOUT completed');
    expect(r.stdout).not.toContain('password');
  });

  it('--timeout 0 means no limit, as for a session; a bad value is a usage error (2)', async () => {
    // A limit of 0 ms (what --timeout 0 once became) races each reply and loses some of 30 at least:
    // run as its own process, where the sandbox does not answer within the same turn.
    const noops = Array.from({ length: 30 }, (_, i) => ['-c', `a${i + 1} NOOP`]).flat();
    const r = await runBinary(['demo', '--timeout', '0', ...noops]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('S: a30 OK NOOP completed');
    expect(r.code).toBe(0);
    const bad = await runMain(['demo', '--timeout', 'soon', '-c', 'a1 NOOP']);
    expect(bad.stderr).toContain('expected a number of seconds (0 for none)');
    expect(bad.code).toBe(2);
  });

  it('POP3 with APOP: mailwire computes the digest from the sandbox\'s greeting', async () => {
    const r = await runMain(['demo', 'pop3', '-c', 'APOP mrose', '-c', 'STAT', '-c', 'RETR 1', '-c', 'QUIT'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nC: APOP mrose [0-9a-f]{32}\nS: \+OK mrose's maildrop has 2 messages \(320 octets\)\n/);
    expect(r.stdout).toContain('S: +OK 2 320\n');
    expect(r.stdout).toContain('S: Two messages for you (320 octets).\n');
  });

  it('imaps, pop3s and --starttls verify the sandbox certificate against the sandbox CA', async () => {
    for (const argv of [['demo', 'imaps'], ['demo', 'pop3s'], ['demo', 'imap', '--starttls'], ['demo', 'pop3', '--starttls']]) {
      const r = await runMain([...argv, '-c', argv[1]?.startsWith('imap') ? 'LOGOUT' : 'QUIT']);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/# TLS: TLSv1\.[23] \S+, subject CN=localhost, O=mailwire sandbox, issuer CN=mailwire sandbox CA \(published; trust it for the sandbox only\), O=mailwire sandbox, expires 2074-12-31, certificate verified/);
    }
  });

  it('reads a script from a pipe: an APPEND laid out as RFC 3501 prints it, IDLE and DONE, recorded with the secret masked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-demo-'));
    const record = join(dir, 'session.txt');
    const stdin = [
      'LOGIN joe password',
      'A003 APPEND saved-messages (\\Seen) {310}',
      ...RFC3501_APPEND_MESSAGE,
      '',
      // LITERAL+ (RFC 7888): the literal follows at once, no "+" is waited for.
      'A004 APPEND saved-messages {12+}',
      'Subject: x',
      '',
      'SELECT saved-messages',
      'IDLE',
      'DONE',
      'LOGOUT',
      '',
    ].join('\n');
    const r = await runMain(['demo', '--record', record], { stdin });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S: + Ready for literal data\n');
    expect(r.stdout).toMatch(/S: A003 OK \[APPENDUID \d+ 1\] APPEND completed\n/);
    expect(r.stdout).toMatch(/C: A004 APPEND saved-messages \{12\+\}\nC: Subject: x\nC:\nS: A004 OK \[APPENDUID \d+ 2\] APPEND completed\n/);
    expect(r.stdout).toContain('S: * 2 EXISTS\n');
    expect(r.stdout).toContain('S: + idling\n');
    expect(r.stdout).toContain('OK IDLE terminated\n');
    const transcript = readFileSync(record, 'utf8');
    expect(transcript).toContain('C: A001 LOGIN joe <secret>');
    expect(transcript).not.toContain('password');
  });

  it('--maildir seeds every user from a folder of .eml files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-demo-eml-'));
    mkdirSync(join(dir, 'Lists'));
    writeFileSync(join(dir, 'hello.eml'), 'From: me@example.org\nSubject: my own message\n\nhi\n');
    writeFileSync(join(dir, 'Lists', 'imap.eml'), 'Subject: list mail\n\nx\n');
    const r = await runMain(['demo', '--maildir', dir, '-c', 'LOGIN mrose tanstaaf', '-c', 'LIST "" *', '-c', 'SELECT INBOX', '-c', 'FETCH 1 ENVELOPE', '-c', 'LOGOUT']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S: * LIST (\\HasNoChildren) "/" Lists\n');
    expect(r.stdout).toContain('S: * 1 EXISTS\n');
    expect(r.stdout).toContain('"my own message"');
    const missing = await runMain(['demo', '--maildir', join(dir, 'nope'), '-c', 'LOGOUT']);
    expect(missing.code).toBe(9);
    expect(missing.stderr).toBe(`mailwire: cannot read ${join(dir, 'nope')}: no such file or folder\n`);
  });

  it('refuses an unknown protocol, and --starttls with imaps, with usage errors', async () => {
    const bad = await runMain(['demo', 'smtp']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('mailwire demo: "smtp" is no protocol: one of imap, pop3, imaps, pop3s (see mailwire demo --help)\n');
    const both = await runMain(['demo', 'imaps', '--starttls', '-c', 'LOGOUT']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--starttls cannot be used with implicit TLS/);
    const help = await runMain(['demo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mailwire demo [options] [protocol]');
  });

  it('the installed command runs the demo too (the README\'s quick start), and exits when the input ends', async () => {
    const r = await runBinary(['demo'], { stdin: 'a1 CAPABILITY\na2 LOGIN joe password\na3 LOGOUT\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS AUTH=PLAIN\n');
    expect(r.stdout).toContain('S: a3 OK LOGOUT completed\n');
  });
});

describe.skipIf(!tmuxAvailable())('mailwire demo at a terminal (tmux)', () => {
  it('is the quick start: the interactive shell on the sandbox, with a hint of what to type', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mailwire-demo-tty-'));
    const t = startTerminal(['demo'], { HOME: home, XDG_STATE_HOME: join(home, 'state') });
    try {
      await t.waitFor(/^# try: LOGIN joe password, SELECT INBOX, FETCH 1:\* ENVELOPE, LOGOUT$/m, 'the hint');
      await t.waitForCursorLine(/^imap 127\.0\.0\.1:\d+ not authenticated A001>$/, 'the first prompt');
      t.type('LOGIN joe password');
      t.press('Enter');
      await t.waitForCursorLine(/^imap joe@127\.0\.0\.1:\d+ authenticated A002>$/, 'the prompt after LOGIN');
      t.type('SELECT INBOX');
      t.press('Enter');
      await t.waitFor(/^S: A002 OK \[READ-WRITE\] SELECT completed/m, 'SELECT');
      t.type('LOGOUT');
      t.press('Enter');
      expect(await t.exitStatus()).toBe(0);
      expect(t.screen()).toContain('S: * 5 EXISTS');
      expect(t.screen()).not.toContain('A001 LOGIN joe password');
    } finally {
      t.close();
    }
  });
});

describe('mailwire sandbox', () => {
  const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
  let child: ChildProcessWithoutNullStreams | null = null;

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = null;
  });

  /** Starts `mailwire sandbox ARGS` and waits for its "Ctrl-C stops" line. */
  async function startCommand(args: string[]): Promise<{ proc: ChildProcessWithoutNullStreams; banner: string; exit: Promise<{ code: number | null; stdout: string; stderr: string }> }> {
    const proc = spawn(process.execPath, [BIN, 'sandbox', ...args], { env: { PATH: process.env['PATH'] } });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
    const banner = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Ctrl-C stops the sandbox.')) resolve(stdout);
      });
      proc.on('close', () => reject(new Error(`mailwire sandbox exited early: ${stderr}`)));
    });
    return { proc, banner, exit };
  }

  it('prints one URL per listener and the users, serves other clients, and stops on SIGTERM', async () => {
    const { proc, banner, exit } = await startCommand([]);
    const urls = banner.split('\n').filter((l) => /^ {2}(imap|imaps|pop3|pop3s):\/\//.test(l)).map((l) => l.trim());
    expect(urls.map((u) => u.replace(/:\d+$/, ''))).toEqual(['imap://127.0.0.1', 'imaps://127.0.0.1', 'pop3://127.0.0.1', 'pop3s://127.0.0.1']);
    expect(banner).toContain('  joe / password ');
    expect(banner).toContain('  mrose / tanstaaf ');
    expect(banner).toMatch(/TLS: sandbox certificate for localhost, 127\.0\.0\.1, ::1; trust \S+sandbox-ca\.pem\n/);
    const ca = /trust (\S+sandbox-ca\.pem)/.exec(banner)?.[1] as string;
    // Two clients at once, one of them over TLS: mailwire itself.
    const [imap, pop3s] = await Promise.all([
      runMain([urls[0] as string, '-c', 'LOGIN joe password', '-c', 'STATUS INBOX (MESSAGES)', '-c', 'LOGOUT']),
      runMain([urls[3] as string, '--ca', ca, '-c', 'USER mrose', '-c', 'PASS tanstaaf', '-c', 'STAT', '-c', 'QUIT']),
    ]);
    expect(imap.stdout).toContain('S: * STATUS INBOX (MESSAGES 5)\n');
    expect(pop3s.stdout).toContain('certificate verified');
    expect(pop3s.stdout).toContain('S: +OK 2 320\n');
    proc.kill('SIGTERM');
    const done = await exit;
    expect(done.code).toBe(0);
    expect(done.stdout.trimEnd().split('\n').at(-1)).toBe('mailwire sandbox stopped (SIGTERM)');
    expect(done.stderr).toBe('');
  });

  it('--listen picks the listeners; --require-tls advertises LOGINDISABLED until STARTTLS', async () => {
    const { proc, banner, exit } = await startCommand(['--listen', 'imap://127.0.0.1', '--require-tls']);
    const url = /^ {2}(imap:\/\/127\.0\.0\.1:\d+)$/m.exec(banner)?.[1] as string;
    expect(banner.match(/^ {2}\w+:\/\//gm)).toHaveLength(1);
    const r = await runMain([url, '-c', 'CAPABILITY', '-c', 'LOGIN joe password', '-c', 'LOGOUT']);
    expect(r.stdout).toContain('S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS LOGINDISABLED\n');
    expect(r.stdout).toContain('NO [PRIVACYREQUIRED]');
    proc.kill('SIGINT');
    expect((await exit).stdout).toContain('mailwire sandbox stopped (SIGINT)');
  });

  it('refuses a --listen address that does not say its protocol, with exit code 2', async () => {
    const r = await runBinary(['sandbox', '--listen', '127.0.0.1:2143']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailwire sandbox: --listen 127\.0\.0\.1:2143: port 2143 does not say the protocol/);
    const both = await runBinary(['sandbox', '--no-tls', '--listen', 'imaps://127.0.0.1']);
    expect(both.code).toBe(2);
  });

  it('says in words why it cannot listen: a host that is no name of this machine (exit 2)', async () => {
    // Without a network the lookup fails for the moment; with one, for good (.invalid: RFC 2606 §2).
    const r = await runBinary(['sandbox', '--listen', 'imap://garbage.invalid:0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailwire sandbox: cannot listen on garbage\.invalid:0: (no such host name|the host name cannot be looked up now \(temporary DNS failure\)) \(see mailwire sandbox --help\)\n$/);
  });
});
