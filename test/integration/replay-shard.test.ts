/**
 * `mailwire replay --shard K/N` as a CI matrix runs it: four jobs over one suite, each with its own
 * JUnit report; together they replay every transcript exactly once.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { serveConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { runMain } from '../support/cli.js';

const APOP = fileURLToPath(new URL('../../transcripts/rfc/pop3/rfc1939-sec10-apop-session.txt', import.meta.url));

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

async function serving(path: string): Promise<string> {
  const transcript = parseTranscript(readFileSync(path, 'utf8'));
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
    void serveConnection(conn, transcript, { protocol: 'pop3', clock: () => new Date(), now: () => performance.now(), onReport: () => undefined });
  });
  listeners.push(listener);
  return `pop3://127.0.0.1:${listener.port}`;
}

/** The transcript names in a JUnit report. */
function junitCases(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]!);
}

describe('mailwire replay --shard', () => {
  it('splits a suite over four jobs: each transcript replayed exactly once, a JUnit report per job', async () => {
    const url = await serving(APOP);
    const suite = mkdtempSync(join(tmpdir(), 'mailwire-shard-'));
    const names: string[] = [];
    for (const folder of ['login', 'mailbox', 'retr']) {
      mkdirSync(join(suite, folder));
      for (let i = 1; i <= 6; i++) {
        copyFileSync(APOP, join(suite, folder, `case-${i}.txt`));
        names.push(join(suite, folder, `case-${i}.txt`));
      }
    }
    const reports = join(suite, 'reports');
    mkdirSync(reports);
    const replayed: string[] = [];
    for (let k = 1; k <= 4; k++) {
      const junit = join(reports, `replay-${k}.xml`);
      const r = await runMain(['replay', suite, '--target', url, '--shard', `${k}/4`, '--junit', junit], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
      expect(r.code).toBe(0);
      const cases = junitCases(junit);
      expect(r.stdout).toContain(`# shard ${k}/4: ${cases.length} of 18 transcripts`);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`${cases.length} passed, 0 failed`);
      expect(readFileSync(junit, 'utf8')).toContain(`<testsuite name="mailwire replay (shard ${k}/4)" tests="${cases.length}"`);
      replayed.push(...cases);
    }
    expect(replayed.sort()).toEqual(names.sort());
  });

  it('keeps each transcript in its shard when the suite is copied elsewhere', async () => {
    const url = await serving(APOP);
    const shardsOf = async (suite: string): Promise<string[]> => {
      const junit = join(suite, '..', `${suite.split('/').at(-1)}.xml`);
      await runMain(['replay', suite, '--target', url, '--shard', '1/3', '--junit', junit], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
      return junitCases(junit).map((p) => p.slice(suite.length));
    };
    const root = mkdtempSync(join(tmpdir(), 'mailwire-shard-'));
    const suites = [join(root, 'one'), join(root, 'two')];
    for (const suite of suites) {
      mkdirSync(suite);
      for (let i = 1; i <= 9; i++) copyFileSync(APOP, join(suite, `t${i}.txt`));
    }
    const [first, second] = [await shardsOf(suites[0]!), await shardsOf(suites[1]!)];
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
  });

  it('refuses a malformed shard with a usage error', async () => {
    const r = await runMain(['replay', APOP, '--shard', '5/4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard.*expected K\/N/);
  });
});
