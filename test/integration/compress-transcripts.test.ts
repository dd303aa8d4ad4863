/**
 * COMPRESS=DEFLATE (RFC 4978) in transcripts: a session recorded with COMPRESS replays against the
 * server it came from (replay deflates both ways after the OK), and round-trips through serve (which
 * starts deflating after its OK), for Dovecot and Cyrus. And STARTTLS + COMPRESS ends with a LOGOUT
 * reported as clean, however the server's close and ours cross.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import type { ServeReport } from '../../src/transcript/serve.js';
import { serveConnection, type ServedConnection } from '../../src/transcript/serve-runner.js';
import { listen } from '../../src/transport/server.js';
import { runMain } from '../support/cli.js';
import { describeCyrus } from '../support/cyrus.js';
import { describeDovecot } from '../support/dovecot.js';

const MESSAGE = 'From: Fred Foobar <foobar@example.org>\r\nSubject: afternoon meeting\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';
const COMMANDS = ['LOGIN joe', 'COMPRESS DEFLATE', 'EXAMINE INBOX', 'FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'NOOP', 'LOGOUT', ''].join('\n');
const dir = mkdtempSync(join(tmpdir(), 'mailwire-compress-'));

/** Serves `path` for one connection; replays it against serve; both sides must agree. */
async function roundTripThroughServe(path: string): Promise<void> {
  const reports: ServeReport[] = [];
  let served!: Promise<ServedConnection>;
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
    served = serveConnection(conn, parseTranscript(readFileSync(path, 'utf8')), { protocol: 'imap', clock: () => new Date(), now: () => performance.now(), onReport: (r) => reports.push(r) });
  });
  try {
    const r = await runMain(['replay', path, '--target', `imap://127.0.0.1:${listener.port}`, '--timeout', '5'], { vars: { MAILWIRE_PASSWORD: 'any' } });
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
    expect(reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
    expect((await served).passed).toBe(true);
    // mailwire as serve's client, as a person would run it: it deflates after the OK and expects serve to.
    const session = await runMain([`imap://127.0.0.1:${listener.port}`, '--timeout', '5', ...COMMANDS.split('\n').filter((c) => c !== '').flatMap((c) => ['-c', c])], { vars: { MAILWIRE_PASSWORD: 'any' } });
    expect(session.stderr).toBe('');
    expect(session.stdout).toMatch(/# COMPRESS: DEFLATE in force both ways .*\nC: A003 EXAMINE INBOX\n/);
    expect(session.stdout).toMatch(/S: A006 OK /);
    expect(session.code).toBe(0);
    expect(reports.filter((x) => x.kind === 'mismatch')).toEqual([]);
  } finally {
    await listener.close();
  }
}

describeDovecot('COMPRESS in transcripts, against Dovecot', (dovecot) => {
  const file = join(dir, 'dovecot.txt');

  it('records a session with COMPRESS and replays it: the commands after the OK go deflated', async () => {
    dovecot().deliver('joe', MESSAGE);
    const rec = await runMain([`imap://127.0.0.1:${dovecot().imapPort}`, '--record', file], { stdin: COMMANDS, vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password } });
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/C: A002 COMPRESS DEFLATE\nS: A002 OK .*\n(# .*\n)?C: A003 EXAMINE INBOX\n/);
    const r = await runMain(['replay', file, '--target', `imap://127.0.0.1:${dovecot().imapPort}`], { vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password } });
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it('round-trips the recording through serve, which deflates after its OK too', async () => {
    await roundTripThroughServe(file);
  });

  it('reports a clean LOGOUT after STARTTLS and COMPRESS, run after run', async () => {
    for (let run = 0; run < 6; run++) {
      const r = await runMain([`imap://127.0.0.1:${dovecot().imapPort}`, '--starttls', '--ca', dovecot().caFile, '-c', 'LOGIN joe', '-c', 'COMPRESS DEFLATE', '-c', 'NOOP', '-c', 'LOGOUT'], {
        vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password },
      });
      expect(r.stdout).toMatch(/S: A00\d OK Logout completed/);
      expect(r.stdout + r.stderr).not.toMatch(/lost|write after end/);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});

describeCyrus('COMPRESS in transcripts, against Cyrus', (cyrus) => {
  const file = join(dir, 'cyrus.txt');

  it('records a session with COMPRESS and replays it on Cyrus', async () => {
    await cyrus().deliver('joe', MESSAGE);
    const rec = await runMain([`imap://127.0.0.1:${cyrus().imapPort}`, '--record', file], { stdin: COMMANDS, vars: { MAILWIRE_PASSWORD: cyrus().users.joe.password } });
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    const recorded = readFileSync(file, 'utf8');
    expect(recorded).toMatch(/C: A002 COMPRESS DEFLATE\nS: A002 OK .*\n(# .*\n)?C: A003 EXAMINE INBOX\n/);
    // Cyrus's per-login values (SESSIONID, MAILBOXID, SAVEDATE): patterns where the recorder does not
    // make them so itself, so that this test shows COMPRESS and nothing else.
    writeFileSync(file, recorded.replace(/SESSIONID=<[^>]*>/g, 'SESSIONID=<$>').replace(/MAILBOXID \([^)]*\)/g, 'MAILBOXID ($)'));
    const r = await runMain(['replay', file, '--target', `imap://127.0.0.1:${cyrus().imapPort}`], { vars: { MAILWIRE_PASSWORD: cyrus().users.joe.password } });
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it('round-trips the Cyrus recording through serve', async () => {
    await roundTripThroughServe(file);
  });

  it('reports a clean LOGOUT after STARTTLS and COMPRESS, run after run', async () => {
    for (let run = 0; run < 6; run++) {
      const r = await runMain([`imap://127.0.0.1:${cyrus().imapPort}`, '--starttls', '--ca', cyrus().caFile, '-c', 'LOGIN joe', '-c', 'COMPRESS DEFLATE', '-c', 'NOOP', '-c', 'LOGOUT'], {
        vars: { MAILWIRE_PASSWORD: cyrus().users.joe.password },
      });
      expect(r.stdout).toMatch(/S: A00\d OK /);
      expect(r.stdout + r.stderr).not.toMatch(/lost|write after end/);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});
