/**
 * `mailwire learn` on two real runs of one session against Cyrus 3.6 (test/fixtures/cyrus/ and its
 * second-run/, made on two fresh instances with the same mail). Read as files written by hand (no
 * `# recorded:` line, so replay's table of volatile values does not apply), the first run fails
 * against a third fresh Cyrus on its SESSIONID; learnt from the two runs, it passes.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeCyrus } from '../support/cyrus.js';
import { SEED_MESSAGES } from '../support/mail-seed.js';

const FIXTURES = new URL('../fixtures/cyrus/', import.meta.url);

/** A copy of a recording without its `# recorded:` line: replay takes it literally. */
function asWrittenByHand(from: URL, to: string): string {
  writeFileSync(to, readFileSync(from, 'utf8').replace(/^# recorded: .*\n/m, ''));
  return to;
}

describeCyrus('mailwire learn against Cyrus', (cyrus) => {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-learn-'));
  const first = join(dir, 'imap-session.txt');
  const second = join(dir, 'imap-session-2.txt');

  beforeAll(async () => {
    for (const user of ['joe', 'mrose'] as const) for (const m of SEED_MESSAGES[user]) await cyrus().deliver(user, m);
    asWrittenByHand(new URL('imap-session.txt', FIXTURES), first);
    asWrittenByHand(new URL('second-run/imap-session.txt', FIXTURES), second);
  });

  const replay = () => runMain(['replay', first, '--target', `imap://127.0.0.1:${cyrus().imapPort}`], { vars: { MAILWIRE_PASSWORD: cyrus().users.joe.password } });

  it('a run taken literally fails against a fresh Cyrus on the session id (before anything changes the mail)', async () => {
    const r = await replay();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/- S: A001 OK \[CAPABILITY [^\]]*\] User logged in SESSIONID=<mailwire-cyrus-/);
  });

  it('shows what it would learn as a diff, and leaves the file alone without --write', async () => {
    const before = readFileSync(first, 'utf8');
    const r = await runMain(['learn', first, second]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n\+ S: A001 OK \[CAPABILITY [^\]]*\] User logged in SESSIONID=<\$>\n/);
    expect(r.stdout).toContain('+ S: * OK [MAILBOXID ($)] Ok\n');
    expect(r.stdout).toMatch(/\+ S: \* 1 FETCH \(FLAGS \(\\Recent\) INTERNALDATE \$ MODSEQ \(2\) RFC822\.SIZE 305 EMAILID \(Mba1d61fa45a16c0961c7fcd9\) THREADID \(NIL\) SAVEDATE \$ ENVELOPE /);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('5 values in 5 lines become patterns (not written: add --write)');
    expect(readFileSync(first, 'utf8')).toBe(before);
  });

  it('with --write, the learnt file replays against the fresh Cyrus', async () => {
    const w = await runMain(['learn', first, second, '--write']);
    expect(w.code).toBe(0);
    expect(w.stdout).toContain(`become patterns: written to ${first}`);
    const r = await replay();
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it('says what the runs disagree on beyond values, exits 1, and learns nothing from it', async () => {
    const changed = join(dir, 'changed.txt');
    copyFileSync(second, changed);
    writeFileSync(changed, readFileSync(changed, 'utf8').replace('S: * 3 EXISTS\n', 'S: * 2 EXISTS\n'));
    const r = await runMain(['learn', first, changed]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/imap-session\.txt:\d+: not learnt: the runs differ in a message number, count or size \("3" \/ "2"\), which is never a pattern\n {2}S: \* 3 EXISTS {3}\(first run\)\n {2}S: \* 2 EXISTS {3}\(second run\)\n/);
    // The summary does not say the runs agree, when they did not.
    expect(r.stdout).not.toMatch(/agree/);
  });
});
