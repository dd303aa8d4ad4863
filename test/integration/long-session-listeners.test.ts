/**
 * A long session leaves no listeners piling up on a socket: mailwire as the client (main() in this
 * process) and the sandbox as the server (in this process too) through STARTTLS / STLS and a few
 * hundred commands; and the client through STARTTLS and COMPRESS (which the sandbox does not offer)
 * against Dovecot. A listener added per command, per wait or per upgrade would pass
 * Node's limit of ten on one socket, and Node would print MaxListenersExceededWarning on the
 * user's stderr; no warning at all may come from either side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CA_FILE } from '../../src/sandbox/sandbox-files.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { runMain, type CliResult } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';

/** Well past the ten listeners Node lets an emitter have before it warns. */
const COMMANDS = 150;

let sandbox: Sandbox;
let imap = '';
let pop3 = '';

beforeAll(async () => {
  sandbox = await startSandbox({
    listen: plainLoopbackListeners(),
    seed: exampleSeed(),
    version: 'test',
  });
  [imap, pop3] = sandbox.listeners.map((l) => l.url) as [string, string];
});

afterAll(async () => {
  await sandbox?.close();
});

/** Runs main() and collects every process warning emitted meanwhile (Node emits them on the next tick). */
async function runWatchingWarnings(argv: string[], stdin: string, password = 'password'): Promise<{ result: CliResult; warnings: string[] }> {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}`);
  };
  process.on('warning', onWarning);
  try {
    const result = await runMain(argv, { stdin, vars: { MAILWIRE_PASSWORD: password } });
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { result, warnings };
  } finally {
    process.off('warning', onWarning);
  }
}

describe('a long session against the sandbox', () => {
  it(`IMAP: STARTTLS and ${COMMANDS} commands; no process warning on either side`, async () => {
    const commands = ['LOGIN joe', 'SELECT INBOX'];
    for (let n = 0; n < COMMANDS; n++) commands.push(n % 2 === 0 ? 'NOOP' : 'FETCH 1:* (FLAGS UID)');
    commands.push('LOGOUT', '');
    const { result, warnings } = await runWatchingWarnings([imap, '--starttls', '--ca', SANDBOX_CA_FILE, '--no-color'], commands.join('\n'));
    expect(result.stdout).toMatch(/# TLS: .*certificate verified\n/);
    expect(result.stdout.match(/^S: A\d+ OK NOOP completed/gm)).toHaveLength(COMMANDS / 2);
    expect(result.stdout).toMatch(/S: A\d+ OK LOGOUT completed/);
    expect(result.code, result.stderr).toBe(0);
    expect(warnings).toEqual([]);
  });

  it(`POP3: STLS and ${COMMANDS} commands; no process warning on either side`, async () => {
    const commands = ['USER mrose', 'PASS'];
    for (let n = 0; n < COMMANDS; n++) commands.push(n % 2 === 0 ? 'NOOP' : 'LIST');
    commands.push('QUIT', '');
    const { result, warnings } = await runWatchingWarnings([pop3, '--starttls', '--ca', SANDBOX_CA_FILE, '--no-color'], commands.join('\n'));
    expect(result.stdout).toMatch(/# TLS: .*certificate verified\n/);
    expect(result.stdout.match(/^C: NOOP$/gm)).toHaveLength(COMMANDS / 2);
    expect(result.stdout).toMatch(/C: QUIT\nS: \+OK/);
    expect(result.code, result.stderr).toBe(0);
    expect(warnings).toEqual([]);
  });
});

describeDovecot('a long compressed session against Dovecot', (dovecot) => {
  it(`IMAP: STARTTLS, COMPRESS and ${COMMANDS} commands; no process warning`, async () => {
    const commands = ['LOGIN joe', 'COMPRESS DEFLATE', 'EXAMINE INBOX'];
    for (let n = 0; n < COMMANDS; n++) commands.push(n % 2 === 0 ? 'NOOP' : 'STATUS INBOX (MESSAGES)');
    commands.push('LOGOUT', '');
    const server = dovecot();
    const { result, warnings } = await runWatchingWarnings([`imap://127.0.0.1:${server.imapPort}`, '--starttls', '--ca', server.caFile, '--no-color'], commands.join('\n'), server.users.joe.password);
    expect(result.stdout).toMatch(/# COMPRESS: DEFLATE in force both ways/);
    expect(result.stdout.match(/^S: A\d+ OK NOOP completed/gm)).toHaveLength(COMMANDS / 2);
    expect(result.code, result.stderr).toBe(0);
    expect(warnings).toEqual([]);
  });
});
