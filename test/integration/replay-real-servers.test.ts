/**
 * Record → replay against real servers, as people who regression-test a server use it: a day's
 * sessions (IMAP LOGIN, SELECT, FETCH with ENVELOPE/BODYSTRUCTURE/BODY[], STORE, SEARCH, APPEND with a
 * literal, IDLE, STARTTLS, LOGOUT; POP3 USER/PASS, APOP, AUTH, STLS, LIST/UIDL/RETR/TOP) and every
 * login mechanism the server offers that mailwire implements, recorded on one instance and replayed
 * without edits on another started fresh with the same mail. Cyrus puts SESSIONID, MAILBOXID,
 * SAVEDATE, EMAILID and its timings in its replies; Dovecot its timings; both new UIDVALIDITYs,
 * INTERNALDATEs, APOP timestamps and nonces. And recordings made before those values were known to be
 * volatile (test/fixtures/cyrus/) replay too.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeCyrus, startCyrus, type CyrusServer } from '../support/cyrus.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { SEED_MESSAGES } from '../support/mail-seed.js';
import { replaySessions, type ReplaySession } from '../support/replay-sessions.js';

type Server = CyrusServer | DovecotServer;

async function seed(server: Server): Promise<void> {
  for (const user of ['joe', 'mrose'] as const) {
    for (const message of SEED_MESSAGES[user]) await server.deliver(user, message);
  }
}

const portOf = (server: Server, protocol: 'imap' | 'pop3') => (protocol === 'imap' ? server.imapPort : server.pop3Port);

async function record(server: Server, session: ReplaySession, file: string) {
  return runMain([`${session.protocol}://127.0.0.1:${portOf(server, session.protocol)}`, '--record', file,
    ...(session.starttls ? ['--starttls', '--ca', server.caFile] : []), ...(session.args ?? [])], {
    stdin: `${session.lines.join('\n')}\n`,
    vars: { MAILWIRE_PASSWORD: server.users[session.user].password },
  });
}

async function replay(server: Server, file: string, protocol: 'imap' | 'pop3', session: { starttls?: boolean; args?: string[]; user: 'joe' | 'mrose' }) {
  return runMain(['replay', file, '--target', `${protocol}://127.0.0.1:${portOf(server, protocol)}`,
    ...(session.starttls ? ['--starttls', '--ca', server.caFile] : []), ...(session.args ?? [])], {
    vars: { MAILWIRE_PASSWORD: server.users[session.user].password },
  });
}

/** Every mechanism both servers offer that mailwire implements (DIGEST-MD5 is obsolete, RFC 6331). */
const MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'];
const LOGINS: ReplaySession[] = [
  { name: 'login-imap-LOGIN', protocol: 'imap', user: 'mrose', lines: ['LOGIN mrose', 'LOGOUT'] },
  ...MECHANISMS.map((m): ReplaySession => ({ name: `login-imap-${m}`, protocol: 'imap', user: 'mrose', args: ['--user', 'mrose'], lines: [`AUTHENTICATE ${m}`, 'LOGOUT'] })),
  { name: 'login-pop3-USER', protocol: 'pop3', user: 'mrose', lines: ['USER mrose', 'PASS', 'QUIT'] },
  { name: 'login-pop3-APOP', protocol: 'pop3', user: 'mrose', lines: ['APOP mrose', 'QUIT'] },
  ...MECHANISMS.map((m): ReplaySession => ({ name: `login-pop3-${m}`, protocol: 'pop3', user: 'mrose', args: ['--user', 'mrose'], lines: [`AUTH ${m}`, 'QUIT'] })),
];

function recordReplaySuite(recorded: () => Server, startFresh: () => Promise<Server>, extraFetchItems: string[], checks: (transcripts: Map<string, string>) => void): void {
  let fresh: Server;
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-replay-real-'));
  const sessions = replaySessions(extraFetchItems);
  const transcripts = new Map<string, string>();

  beforeAll(async () => {
    fresh = await startFresh();
    await seed(recorded());
    await seed(fresh);
  });
  afterAll(async () => {
    await fresh?.stop();
  });

  it('records the sessions, with the volatile values as patterns and no secret', async () => {
    for (const session of sessions) {
      const file = join(dir, `${session.name}.txt`);
      const r = await record(recorded(), session, file);
      expect(r.stderr, session.name).toBe('');
      expect(r.code, `${session.name}: ${r.stdout}`).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(recorded().users[session.user].password);
      transcripts.set(session.name, text);
    }
    checks(transcripts);
  });

  it.each(sessions.map((s) => [s.name, s] as const))('%s replays against a fresh instance without edits', async (name, session) => {
    const r = await replay(fresh, join(dir, `${name}.txt`), session.protocol, session);
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it.each(LOGINS.map((s) => [s.name, s] as const))('%s: logs in, is recorded, and replays against a fresh instance', async (name, session) => {
    const file = join(dir, `${name}.txt`);
    const rec = await record(recorded(), session, file);
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(session.protocol === 'imap' ? /S: A001 OK /i : /S: \+OK .*(Logged in|Authenticated|locked and ready)/i);
    expect(rec.stdout).not.toMatch(/# warning: /);
    const r = await replay(fresh, file, session.protocol, session);
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });
}

describeCyrus('record and replay against Cyrus', (cyrus) => {
  recordReplaySuite(cyrus, startCyrus, ['SAVEDATE', 'EMAILID', 'THREADID'], (t) => {
    const imap = t.get('imap-session') ?? '';
    expect(imap).toMatch(/^S: A001 OK \[CAPABILITY [^\]]*\] User logged in SESSIONID=<\$>$/m);
    expect(imap).toMatch(/^S: \* OK \[MAILBOXID \(\$\)\] Ok$/m);
    expect(imap).toMatch(/^S: \* OK \[HIGHESTMODSEQ \$\] Ok$/m);
    expect(imap).toMatch(/^S: \* 1 FETCH \(FLAGS \(\\Recent\) INTERNALDATE \$ MODSEQ \(\$\) RFC822\.SIZE 305 EMAILID \(\$\) THREADID \(NIL\) SAVEDATE \$ ENVELOPE /m);
    expect(imap).toMatch(/^S: A003 OK Completed \$$/m);
    // What stays the same against the same mail stays literal: counts, sizes, flags, UIDs.
    expect(imap).toMatch(/^S: \* 3 EXISTS$/m);
    expect(imap).toMatch(/^S: A007 OK \[APPENDUID \$uidvalidity 4\] Completed$/m);
    expect(t.get('pop3-user-pass')).toMatch(/^S: \+OK Mailbox locked and ready SESSIONID=<\$>$/m);
  });
});

describeDovecot('record and replay against Dovecot', (dovecot) => {
  recordReplaySuite(dovecot, startDovecot, [], (t) => {
    const imap = t.get('imap-session') ?? '';
    expect(imap).toMatch(/^S: A003 OK Fetch completed \$\.$/m);
    expect(imap).toMatch(/^S: \* OK \[HIGHESTMODSEQ \$\] Highest$/m);
    expect(imap).toMatch(/^S: \* 3 EXISTS$/m);
  });
});

/** Recordings of Cyrus 3.6 made by mailwire before the table of volatile values: SESSIONID, MAILBOXID, ... literal. */
const FIXTURES = new URL('../fixtures/cyrus/', import.meta.url);
const OLD_RECORDINGS = replaySessions();

describeCyrus('recordings of Cyrus made before the table of volatile values', (cyrus) => {
  beforeAll(async () => {
    await seed(cyrus());
  });

  it('hold the values literally (so this test shows that replay rewrites them)', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort()).toEqual(OLD_RECORDINGS.map((s) => `${s.name}.txt`).sort());
    const imap = readFileSync(new URL('imap-session.txt', FIXTURES), 'utf8');
    expect(imap).toMatch(/SESSIONID=<mailwire-cyrus-[0-9a-f]{8}-\d+-\d+-\d+-\d+>/);
    expect(imap).toMatch(/\[MAILBOXID \([a-z0-9]+\)\]/);
    expect(imap).toMatch(/SAVEDATE "[^"]+"/);
  });

  it.each(OLD_RECORDINGS.map((s) => [s.name, s] as const))('%s replays against a fresh Cyrus without edits', async (name, session) => {
    const r = await replay(cyrus(), new URL(`${name}.txt`, FIXTURES).pathname, session.protocol, session);
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it('still fail where the server really answers differently: one EXISTS count changed (run last: the mail is as the sessions left it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-replay-old-'));
    const changed = join(dir, 'imap-starttls.txt');
    writeFileSync(changed, readFileSync(new URL('imap-starttls.txt', FIXTURES), 'utf8').replace('S: * 4 EXISTS\n', 'S: * 3 EXISTS\n'));
    const r = await replay(cyrus(), changed, 'imap', { user: 'joe', starttls: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('- S: * 3 EXISTS');
  });
});
