/**
 * mailwire's benchmarks (`npm run bench`): each figure is a ratio against a raw reference doing the
 * same job in the same run, on the same loopback Dovecot. Writes bench/RESULTS.md.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../test/support/dovecot.js';
import { CLEAN_ENV, requireGnuTime, runTimed, stats, type Sample, type Stats } from './measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIN = fileURLToPath(new URL('../bin/mailwire.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const NODE = process.execPath;
const LOCKSTEP = fileURLToPath(new URL('./lockstep-client.mjs', import.meta.url));
const FIXED_REPLY = fileURLToPath(new URL('./fixed-reply-server.mjs', import.meta.url));
const PASTE = fileURLToPath(new URL('./paste-into-shell.sh', import.meta.url));
const NODE_COPY = fileURLToPath(new URL('./node-copy-client.mjs', import.meta.url));
const NODE_VIEWS = fileURLToPath(new URL('./node-views-client.mjs', import.meta.url));

interface Row {
  name: string;
  mailwire: Stats;
  reference: Stats;
  referenceName: string;
  goal: string;
  note?: string;
  /** The least any Node.js program does for the same job: what is above it is mailwire's own cost. */
  floor?: Stats;
}

const rows: Row[] = [];
const memory: Array<{ size: string; maxRssMiB: Stats }> = [];
const memoryNotes: string[] = [];
let dovecot: DovecotServer;

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../dist/bundle/main.js', import.meta.url)))) throw new Error('run npm run build first');
  requireGnuTime();
  dovecot = await startDovecot();
});

afterAll(async () => {
  await dovecot?.stop();
  writeFileSync(RESULTS, report());
});

/**
 * A run whose output is shorter than the job's (a server hiccup, such as Dovecot restarting its auth
 * process and dropping a pipelined login) is not a measurement: it is run again, at most twice.
 */
async function checked(run: () => Promise<Sample>, minOutput: number, what: string): Promise<Sample> {
  for (let attempt = 1; ; attempt++) {
    const sample = await run();
    if (sample.outputOctets >= minOutput) return sample;
    if (attempt === 3) throw new Error(`${what}: ${sample.outputOctets} octets of output, expected at least ${minOutput}`);
  }
}

/**
 * Runs mailwire, the reference, the floor (if any) and a second reference (if any) alternately, RUNS
 * times after one warm-up each: two ratios of one row then share mailwire's runs.
 */
async function sideBySide(
  mailwire: () => Promise<Sample>,
  reference: () => Promise<Sample>,
  minOutput = 0,
  floor?: () => Promise<Sample>,
  second?: () => Promise<Sample>,
): Promise<{ m: Sample[]; r: Sample[]; f: Sample[]; s: Sample[] }> {
  const m: Sample[] = [];
  const r: Sample[] = [];
  const f: Sample[] = [];
  const s: Sample[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const ms = await checked(mailwire, minOutput, 'mailwire');
    const rs = await checked(reference, minOutput, 'reference');
    const fs = floor ? await checked(floor, minOutput, 'floor') : undefined;
    const ss = second ? await checked(second, minOutput, 'second reference') : undefined;
    if (i === 0) continue; // warm-up
    m.push(ms);
    r.push(rs);
    if (fs) f.push(fs);
    if (ss) s.push(ss);
  }
  return { m, r, f, s };
}

/** Medians of wall time in milliseconds. */
const msStats = (samples: Sample[]): Stats => stats(samples.map((s) => s.ms));

function imapScript(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

const mailwireSession = (port: number, script: string, ...options: string[]) => mailwireSessionUnder([], port, script, ...options);

/** mailwireSession with options for Node.js itself, given before the command (as ONE_V8_THREAD). */
const mailwireSessionUnder = (nodeOptions: readonly string[], port: number, script: string, ...options: string[]) => () =>
  runTimed(NODE, [...nodeOptions, BIN, `imap://127.0.0.1:${port}`, '--timeout', '600', ...options], { stdin: script });

/**
 * One V8 worker thread instead of Node.js's four. On a machine of two cores the four compete with the
 * main thread while V8 compiles a program's hot code (bench/PROFILES.md): runs of the envelope rows
 * under this option show what that costs mailwire and the program that prints the same lines. Only
 * node's command line (or NODE_OPTIONS) can set it, not a program: mailwire sets no V8 option.
 */
const ONE_V8_THREAD = ['--v8-pool-size=1'];

// socat sends the script at once (Dovecot takes pipelined commands) and moves bytes until Dovecot
// closes after LOGOUT: the fastest way to get the same replies through a pipe. shut-none: no
// half-close after the script, which Dovecot's login process would take for a client gone away
// when its auth process is slow to answer ("disconnected before auth was ready").
const socatSession = (port: number, script: string) => () =>
  runTimed('socat', ['-t', '600', '-', `TCP:127.0.0.1:${port},shut-none`], { stdin: script });

/** The same as socat, in Node.js: start-up and a socket-to-pipe copy, the floor of a Node.js client. */
const nodeCopySession = (port: number, script: string) => () => runTimed(NODE, [NODE_COPY, String(port)], { stdin: script });

/** The same lines as mailwire prints (server lines and decoded views), printed straight by a minimal Node.js client. */
const nodeViewsSession = (port: number, script: string, ...options: string[]) => nodeViewsSessionUnder([], port, script, ...options);

/** nodeViewsSession with options for Node.js itself (as mailwireSessionUnder). */
const nodeViewsSessionUnder = (nodeOptions: readonly string[], port: number, script: string, ...options: string[]) => () =>
  runTimed(NODE, [...nodeOptions, NODE_VIEWS, String(port), ...options], { stdin: script });

/**
 * Throws unless bench/node-views-client.mjs prints the FETCH responses and decoded views that mailwire
 * prints for the script: a floor that did less work would not be one. Only those lines are compared
 * (the others hold Dovecot's timings, or its note that the auth process is slow to answer), and a
 * mismatch is tried again twice, as `checked` does, since Dovecot may drop a pipelined login.
 */
function checkSameLines(port: number, script: string, ...options: string[]): void {
  for (let attempt = 1; ; attempt++) {
    const mismatch = linesMismatch(port, script, options);
    if (mismatch === null) return;
    if (attempt === 3) throw new Error(mismatch);
  }
}

/** Where the views client's output differs from mailwire's (see checkSameLines); null where it does not. */
function linesMismatch(port: number, script: string, options: string[]): string | null {
  const output = (args: string[]) => {
    const run = spawnSync(NODE, args, { input: script, maxBuffer: 1 << 28, env: CLEAN_ENV });
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.toString('utf8').slice(0, 500)}`);
    return run.stdout
      .toString('utf8')
      .split('\n')
      .filter((line) => /^S: \* \d+ FETCH /.test(line) || line.startsWith('#   '));
  };
  const shown = output([BIN, `imap://127.0.0.1:${port}`, '--timeout', '600', ...options]);
  const straight = output([NODE_VIEWS, String(port), ...options]);
  const at = shown.findIndex((line, i) => line !== straight[i]);
  if (at < 0 && shown.length === straight.length) return shown.length > 0 ? null : 'mailwire printed no FETCH response';
  const i = at >= 0 ? at : Math.min(shown.length, straight.length);
  return `node-views-client.mjs does not print what mailwire prints, line ${i + 1}: ${JSON.stringify(shown[i])} against ${JSON.stringify(straight[i])}`;
}

function message(size: number, index: number): Buffer {
  const line = Buffer.from(`${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx'.slice(0, 76)}\r\n`);
  const head = Buffer.from(`From: Bench <bench@example.org>\r\nTo: joe@example.org\r\nSubject: message ${index}\r\nMessage-Id: <bench-${index}@example.org>\r\n\r\n`);
  const count = Math.max(1, Math.floor((size - head.length) / line.length));
  const block = Buffer.concat(Array.from({ length: Math.min(count, 10_000) }, () => line));
  const parts: Buffer[] = [head];
  for (let left = count; left > 0; left -= 10_000) parts.push(left >= 10_000 ? block : block.subarray(0, left * line.length));
  return Buffer.concat(parts);
}

it('streaming: FETCH BODY[] of 5, 50 and 500 MB through a pipe, against socat', async () => {
  const sizes = [5, 50, 500];
  sizes.forEach((mb, i) => dovecot.deliver('joe', message(mb * 1_000_000, i + 1)));
  for (const [i, mb] of sizes.entries()) {
    const script = imapScript(['a1 LOGIN joe password', 'a2 EXAMINE INBOX', `a3 FETCH ${i + 1} BODY.PEEK[]`, 'a4 LOGOUT']);
    const { m, r, f } = await sideBySide(
      mailwireSession(dovecot.imapPort, script),
      socatSession(dovecot.imapPort, script),
      mb * 1_000_000,
      nodeCopySession(dovecot.imapPort, script),
    );
    rows.push({
      name: `streaming FETCH BODY[] ${mb} MB`,
      mailwire: msStats(m),
      reference: msStats(r),
      referenceName: 'socat',
      goal: mb === 50 ? '≤ 1.5x' : '',
      floor: msStats(f),
    });
    memory.push({ size: `${mb} MB`, maxRssMiB: stats(m.map((s) => s.maxRssKiB / 1024)) });
  }
});

/** The FETCH of envelopes and body structures both parsing-and-rendering rows send. */
const ENVELOPE_SCRIPT = imapScript(['a1 LOGIN mrose tanstaaf', 'a2 EXAMINE INBOX', 'a3 FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)', 'a4 LOGOUT']);

it('parsing and rendering: FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE BODYSTRUCTURE) over 10,000 messages, against socat', async () => {
  for (let i = 1; i <= 10_000; i++) {
    const subject = i % 3 === 0 ? `=?UTF-8?B?${Buffer.from(`Привет ${i}`).toString('base64')}?=` : `Report ${i}`;
    dovecot.deliver(
      'mrose',
      `From: "Sender ${i}" <s${i}@example.org>\r\nTo: mrose@example.org, Other <o@example.org>\r\nSubject: ${subject}\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-Id: <m${i}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello ${i}\r\n--b\r\nContent-Type: application/octet-stream; name="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n--b--\r\n`,
    );
  }
  const script = ENVELOPE_SCRIPT;
  // Besides socat and the copy floor, a Node.js client that prints the same lines, written straight
  // for these replies (checked first): what mailwire takes above it is start-up, the session and its
  // checks, not the work of the output itself. All four alternate, so both ratios share mailwire's runs.
  const floor = nodeCopySession(dovecot.imapPort, script);
  const sameLines: Row[] = [];
  // The default views (a BODYSTRUCTURE tree of 4 lines a message, 1 in 3 subjects decoded), then none.
  for (const options of [[], ['--no-decode']]) {
    checkSameLines(dovecot.imapPort, script, ...options);
    const { m, r, f, s } = await sideBySide(
      mailwireSession(dovecot.imapPort, script, ...options),
      socatSession(dovecot.imapPort, script),
      10_000 * 300,
      floor,
      nodeViewsSession(dovecot.imapPort, script, ...options),
    );
    const name = `FETCH ENVELOPE BODYSTRUCTURE, 10,000 messages${options.length > 0 ? ', --no-decode' : ''}`;
    rows.push({ name, mailwire: msStats(m), reference: msStats(r), referenceName: 'socat', goal: options.length > 0 ? '' : '≤ 1.5x', floor: msStats(f) });
    sameLines.push({ name: `${name}, against the same lines printed by a minimal Node.js client`, mailwire: msStats(m), reference: msStats(s), referenceName: 'bench/node-views-client.mjs', goal: '' });
  }
  // The default views again, mailwire and the program that prints the same lines both with one V8
  // worker thread: what Node.js's four cost them on this machine (see ONE_V8_THREAD).
  const { m, r, s } = await sideBySide(
    mailwireSessionUnder(ONE_V8_THREAD, dovecot.imapPort, script),
    socatSession(dovecot.imapPort, script),
    10_000 * 300,
    undefined,
    nodeViewsSessionUnder(ONE_V8_THREAD, dovecot.imapPort, script),
  );
  const name = 'FETCH ENVELOPE BODYSTRUCTURE, 10,000 messages, node --v8-pool-size=1';
  const note = 'one V8 worker thread, for both Node.js programs';
  rows.push({ name, mailwire: msStats(m), reference: msStats(r), referenceName: 'socat', goal: '', note });
  sameLines.push({ name: `${name}, against the same lines printed by a minimal Node.js client`, mailwire: msStats(m), reference: msStats(s), referenceName: 'bench/node-views-client.mjs', goal: '', note });
  rows.push(...sameLines);
});

it('parsing and rendering: the same FETCH responses from a fixed-reply server, 10,000 and 100,000 of them', async () => {
  // Dovecot's replies to the FETCH above, served again by a server that costs nothing: what is left
  // is the clients' own cost. At 100,000 responses (the 10,000 numbered on) a fixed cost such as
  // start-up or V8 compiling the hot code weighs a tenth of what it weighs at 10,000.
  const script = ENVELOPE_SCRIPT;
  const copy = spawnSync(NODE, [NODE_COPY, String(dovecot.imapPort)], { input: script, maxBuffer: 1 << 28, env: CLEAN_ENV });
  const responses = copy.stdout.toString('latin1').split('\r\n').filter((line) => /^\* \d+ FETCH \(/.test(line));
  if (responses.length !== 10_000) throw new Error(`Dovecot sent ${responses.length} FETCH responses, expected 10,000`);
  const file = join(mkdtempSync(join(tmpdir(), 'mailwire-bench-')), 'fetch-responses.txt');
  writeFileSync(file, `${responses.join('\r\n')}\r\n`, 'latin1');
  for (const [count, options] of [[10_000, []], [100_000, []], [100_000, ['--no-decode']]] as const) {
    const server = await fixedReplyServer(file, String(count));
    try {
      checkSameLines(server.port, script, ...options);
      const { m, r, f, s } = await sideBySide(
        mailwireSession(server.port, script, ...options),
        socatSession(server.port, script),
        count * 300,
        nodeCopySession(server.port, script),
        nodeViewsSession(server.port, script, ...options),
      );
      const name = `FETCH ENVELOPE BODYSTRUCTURE, ${count.toLocaleString('en')} messages${options.length > 0 ? ', --no-decode' : ''}, fixed-reply server`;
      rows.push({ name, mailwire: msStats(m), reference: msStats(r), referenceName: 'socat', goal: '', floor: msStats(f) });
      rows.push({ name: `${name}, against the same lines printed by a minimal Node.js client`, mailwire: msStats(m), reference: msStats(s), referenceName: 'bench/node-views-client.mjs', goal: '' });
      if (count === 10_000 && options.length === 0) {
        // Both again with one V8 worker thread (see ONE_V8_THREAD).
        const one = await sideBySide(mailwireSessionUnder(ONE_V8_THREAD, server.port, script), nodeViewsSessionUnder(ONE_V8_THREAD, server.port, script), count * 300);
        rows.push({
          name: `${name}, node --v8-pool-size=1, against the same lines printed by a minimal Node.js client`,
          mailwire: msStats(one.m),
          reference: msStats(one.r),
          referenceName: 'bench/node-views-client.mjs',
          goal: '',
          note: 'one V8 worker thread, for both Node.js programs',
        });
      }
    } finally {
      server.stop();
    }
  }
});

it('replay: 10,000 lock-step NOOP exchanges, against a minimal lock-step client', async () => {
  const count = 10_000;
  const lines = ['# mailwire transcript v1', '# protocol: imap', '# secret: joe password', 'S: * OK $', 'C: a0 LOGIN joe <secret>', 'S: a0 OK $'];
  for (let i = 1; i <= count; i++) lines.push(`C: a${i} NOOP`, `S: a${i} OK $`);
  lines.push(`C: a${count + 1} LOGOUT`, 'S: * BYE $', `S: a${count + 1} OK $`);
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-bench-'));
  const file = join(dir, 'noops.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const target = `imap://127.0.0.1:${dovecot.imapPort}`;
  const { m, r } = await sideBySide(
    () => runTimed(NODE, [BIN, 'replay', file, '--target', target]),
    () => runTimed(NODE, [LOCKSTEP, String(dovecot.imapPort), String(count), 'joe', 'password']),
  );
  rows.push({
    name: 'replay: 10,000 lock-step NOOPs',
    mailwire: stats(m.map((s) => s.ms)),
    reference: stats(r.map((s) => s.ms)),
    referenceName: 'lock-step client',
    goal: '≤ 1.3x',
  });
});

/** Starts bench/fixed-reply-server.mjs (with its arguments, if any); its port and a way to stop it. */
async function fixedReplyServer(...args: string[]): Promise<{ port: number; stop: () => void }> {
  const child: ChildProcess = spawn(NODE, [FIXED_REPLY, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (c: Buffer) => resolve(Number(c.toString().trim())));
    child.once('error', reject);
  });
  return { port, stop: () => child.kill() };
}

function noopTranscript(count: number): string {
  const lines = ['# mailwire transcript v1', '# protocol: imap', '# secret: joe password', 'S: * OK $', 'C: a0 LOGIN joe <secret>', 'S: a0 OK $'];
  for (let i = 1; i <= count; i++) lines.push(`C: a${i} NOOP`, `S: a${i} OK $`);
  lines.push(`C: a${count + 1} LOGOUT`, 'S: * BYE $', `S: a${count + 1} OK $`);
  return `${lines.join('\n')}\n`;
}

it('replay against a fixed-reply server: 10,000 lock-step NOOPs, against a minimal lock-step client', async () => {
  const server = await fixedReplyServer();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-bench-'));
    const file = join(dir, 'noops.txt');
    writeFileSync(file, noopTranscript(10_000));
    const { m, r } = await sideBySide(
      () => runTimed(NODE, [BIN, 'replay', file, '--target', `imap://127.0.0.1:${server.port}`]),
      () => runTimed(NODE, [LOCKSTEP, String(server.port), '10000', 'joe', 'password']),
    );
    rows.push({
      name: 'replay: 10,000 lock-step NOOPs, fixed-reply server',
      mailwire: stats(m.map((s) => s.ms)),
      reference: stats(r.map((s) => s.ms)),
      referenceName: 'lock-step client',
      goal: '≤ 1.3x',
      note: 'the server answers at once, so the client\'s own cost shows',
    });
  } finally {
    server.stop();
  }
});

/** A transcript of about `lines` lines for lint: a login, a SELECT, then FETCH after FETCH. */
function lintTranscript(lines: number): string {
  const out = ['# mailwire transcript v1', '# protocol: imap', 'S: * OK [CAPABILITY IMAP4rev1] ready', 'C: a1 LOGIN joe <secret>', 'S: a1 OK done', 'C: a2 SELECT INBOX', 'S: * 3 EXISTS', 'S: a2 OK [READ-WRITE] done'];
  for (let i = 3; out.length < lines; i++) {
    out.push(`C: a${i} FETCH 1:3 (FLAGS UID)`, 'S: * 1 FETCH (FLAGS (\\Seen) UID 1)', 'S: * 2 FETCH (FLAGS () UID 2)', 'S: * 3 FETCH (FLAGS (\\Deleted) UID 3)', `S: a${i} OK FETCH done`);
  }
  return `${out.join('\n')}\n`;
}

it('linear in the input: lint of 10^5 and 10^6 lines, replay of 100 and 1,000 transcripts with --jobs 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-bench-'));
  const small = join(dir, 'lint-1e5.txt');
  const large = join(dir, 'lint-1e6.txt');
  writeFileSync(small, lintTranscript(100_000));
  writeFileSync(large, lintTranscript(1_000_000));
  const lint = await sideBySide(() => runTimed(NODE, [BIN, 'lint', '--no-notes', large]), () => runTimed(NODE, [BIN, 'lint', '--no-notes', small]));
  rows.push({
    name: 'lint: 10^6-line transcript',
    mailwire: stats(lint.m.map((s) => s.ms)),
    reference: stats(lint.r.map((s) => s.ms)),
    referenceName: 'the same on 10^5 lines',
    goal: '≤ 10x (linear)',
  });
  // lint reads a file a chunk at a time and lints it exchange by exchange: its peak should not grow
  // with the line count (test/hostile/hostile-transcripts.test.ts holds it to a 24 MiB V8 heap).
  memoryNotes.push(
    `lint of 10^6 lines: peak RSS ${fmt(stats(lint.m.map((s) => s.maxRssKiB / 1024)), 'MiB')}; of 10^5 lines: ${fmt(stats(lint.r.map((s) => s.maxRssKiB / 1024)), 'MiB')} (bounded: about the same at both sizes)`,
  );

  const server = await fixedReplyServer();
  try {
    const suite = (count: number): string => {
      const folder = join(dir, `suite-${count}`);
      execFileSync('mkdir', ['-p', folder]);
      for (let i = 0; i < count; i++) writeFileSync(join(folder, `t${i}.txt`), noopTranscript(10));
      return folder;
    };
    const [hundred, thousand] = [suite(100), suite(1000)];
    const target = `imap://127.0.0.1:${server.port}`;
    const replay = await sideBySide(
      () => runTimed(NODE, [BIN, 'replay', thousand, '--target', target, '--jobs', '2']),
      () => runTimed(NODE, [BIN, 'replay', hundred, '--target', target, '--jobs', '2']),
    );
    rows.push({
      name: 'replay: 1,000 transcripts, --jobs 2, fixed-reply server',
      mailwire: stats(replay.m.map((s) => s.ms)),
      reference: stats(replay.r.map((s) => s.ms)),
      referenceName: 'the same with 100',
      goal: '≤ 10x (linear)',
    });
  } finally {
    server.stop();
  }
});

it('typing: a 100,000- and a 1,000,000-character line pasted into the shell (tmux), against the same line in script mode', async () => {
  const server = await fixedReplyServer();
  try {
    for (const size of [100_000, 1_000_000]) {
      const line = `NOOP ${'x'.repeat(size - 5)}`;
      const elapsed = join(mkdtempSync(join(tmpdir(), 'mailwire-bench-')), 'elapsed-ms');
      // The script times the paste itself (from the paste to the reply), without tmux's start-up.
      const pasted = async (): Promise<Sample> => {
        const sample = await runTimed('bash', [PASTE, NODE, BIN, `imap://127.0.0.1:${server.port}`, String(size), elapsed]);
        return { ...sample, ms: Number(readFileSync(elapsed, 'utf8')) };
      };
      const { m, r } = await sideBySide(
        pasted,
        // Script mode: the line from standard input (an argument of 1 MB is more than execve takes).
        () => runTimed(NODE, [BIN, `imap://127.0.0.1:${server.port}`], { stdin: `${line}\n` }),
      );
      rows.push({
        name: `shell: a ${size.toLocaleString('en')}-character line pasted`,
        mailwire: stats(m.map((s) => s.ms)),
        reference: stats(r.map((s) => s.ms)),
        referenceName: 'the same line in script mode',
        goal: size === 1_000_000 ? 'linear; < 1 s' : 'linear',
        note: 'from the paste to the reply in a tmux terminal; script mode: the whole run, start-up included',
      });
    }
  } finally {
    server.stop();
  }
});

it('start-up: mailwire --version and a one-command session, against node -e 0', async () => {
  const node = () => runTimed(NODE, ['-e', '0']);
  const version = await sideBySide(() => runTimed(NODE, [BIN, '--version']), node);
  rows.push({
    name: 'start-up: mailwire --version',
    mailwire: stats(version.m.map((s) => s.ms)),
    reference: stats(version.r.map((s) => s.ms)),
    referenceName: 'node -e 0',
    goal: '≤ 1.5x',
  });
  const session = await sideBySide(() => runTimed(NODE, [BIN, `imap://127.0.0.1:${dovecot.imapPort}`, '-c', 'NOOP']), node);
  rows.push({
    name: 'start-up: one-command session (NOOP)',
    mailwire: stats(session.m.map((s) => s.ms)),
    reference: stats(session.r.map((s) => s.ms)),
    referenceName: 'node -e 0',
    goal: '',
    note: 'includes connecting and the server greeting',
  });
});

// --- The sandbox under 200 concurrent clients, against Dovecot --------------------------------------

const CONCURRENT = fileURLToPath(new URL('./concurrent-clients.mjs', import.meta.url));

/** Starts `mailwire sandbox` on a free IMAP port; its port, pid and a way to stop it. */
async function sandboxServer(args: string[]): Promise<{ port: number; pid: number; stop: () => void }> {
  const child = spawn(NODE, [BIN, 'sandbox', '--no-tls', '--listen', 'imap://127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /imap:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`mailwire sandbox exited (${code}): ${out}`)));
  });
  return { port, pid: child.pid as number, stop: () => child.kill() };
}

/** A field of /proc/PID/status or smaps_rollup, in KiB (0 once the process is gone). */
function procKiB(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size summed over processes: shared pages (libraries, Dovecot's own) counted once in all. */
const pssKiB = (pids: readonly number[]): number => pids.reduce((n, pid) => n + procKiB(pid, 'smaps_rollup', 'Pss'), 0);

/**
 * Memory with every connection in use: the driver holds all of them open after their APPEND, and the
 * servers' processes are measured then, against the same measure taken idle before.
 */
async function heldMemory(port: number, clients: number, pids: () => number[]): Promise<{ idle: number; held: number }> {
  const idle = pssKiB(pids());
  const child = spawn(NODE, [CONCURRENT, String(port), String(clients), 'joe', 'password', '2000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let held = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes('holding')) setTimeout(() => (held = pssKiB(pids())), 500);
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`concurrent clients exited ${code}`))));
  });
  return { idle, held };
}

function crowdMessage(i: number): string {
  return `From: "Sender ${i}" <s${i}@example.org>\r\nTo: joe@example.org, Other <o@example.org>\r\nSubject: Report ${i}\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-Id: <crowd${i}@example.org>\r\n\r\nHello ${i}\r\n`;
}

it('sandbox: 200 concurrent clients (LOGIN, SELECT, FETCH 1:* ENVELOPE, APPEND, LOGOUT each), against Dovecot', async () => {
  const clients = 200;
  const folder = mkdtempSync(join(tmpdir(), 'mailwire-bench-crowd-'));
  // The same 20 messages in joe's INBOX on both servers.
  const dovecotCrowd = await startDovecot({ concurrentClients: clients });
  for (let i = 1; i <= 20; i++) {
    writeFileSync(join(folder, `${i}.eml`), crowdMessage(i));
    dovecotCrowd.deliver('joe', crowdMessage(i));
  }
  // The sandbox's rate per user (500 commands a second by default) would make 200 clients of one user
  // wait by policy; Dovecot has no such limit, so the sandbox runs without it here.
  const sandbox = await sandboxServer(['--maildir', folder, '--max-commands-per-second', '1000000']);
  try {
    // Memory first, on servers that have served nobody yet: what 200 connections add to them.
    const idleRss = procKiB(sandbox.pid, 'status', 'VmRSS');
    const s = await heldMemory(sandbox.port, clients, () => [sandbox.pid]);
    const hwm = procKiB(sandbox.pid, 'status', 'VmHWM');
    const d = await heldMemory(dovecotCrowd.imapPort, clients, () => dovecotCrowd.processIds());
    const per = (kib: number) => `${(kib / clients).toFixed(0)} KiB`;
    memoryNotes.push(
      `${clients} concurrent clients, memory per connection: sandbox ${per(hwm - idleRss)} (its peak resident set minus its resident set at start, over ${clients}; proportional set size with all connections open, minus the same at start: ${per(s.held - s.idle)}); Dovecot ${per(d.held - d.idle)} (proportional set size summed over all its processes, with all connections open, minus the same at start)`,
    );
    const drive = (port: number) => () => runTimed(NODE, [CONCURRENT, String(port), String(clients), 'joe', 'password']);
    const { m, r } = await sideBySide(drive(sandbox.port), drive(dovecotCrowd.imapPort));
    rows.push({
      name: `sandbox: ${clients} concurrent clients`,
      mailwire: stats(m.map((x) => x.ms)),
      reference: stats(r.map((x) => x.ms)),
      referenceName: 'Dovecot',
      goal: '',
      note: 'each LOGIN, SELECT INBOX, FETCH 1:* ENVELOPE of 20 messages, APPEND to a mailbox of its own, LOGOUT, all as joe; one client program drives both',
    });
  } finally {
    sandbox.stop();
    await dovecotCrowd.stop();
  }
});

// --- mailwire proxy: a big message through it, its memory flat -------------------------------------

const proxyMemory: Array<{ size: string; peakRssMiB: Stats }> = [];

/** Peak resident set of a running process so far (Linux: VmHWM in /proc/PID/status), KiB. */
function peakRssKiB(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * `mailwire proxy` to the bench's Dovecot, a process of its own with a plain environment (as runTimed
 * gives), its live view read through a pipe as fast as it comes: resolves with its port once it listens.
 */
async function startProxyProcess(targetPort: number): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const proc = spawn(NODE, [BIN, 'proxy', '--listen', 'imap://127.0.0.1:0', '--target', `imap://127.0.0.1:${targetPort}`, '--no-color'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: CLEAN_ENV,
  });
  const closed = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  let head = '';
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      if (head.length > 4096) return;
      head += c.toString();
      const m = /# proxy on imap:\/\/127\.0\.0\.1:(\d+) /.exec(head);
      if (m) resolve(Number(m[1]));
    });
    proc.on('close', (code) => reject(new Error(`mailwire proxy exited ${code} before listening`)));
  });
  return {
    port,
    pid: proc.pid as number,
    stop: async () => {
      proc.kill('SIGTERM');
      await closed;
    },
  };
}

/** socat fetching through a proxy started for this run alone; the sample's memory is the proxy's peak. */
function throughProxy(script: string): () => Promise<Sample> {
  return async () => {
    const proxy = await startProxyProcess(dovecot.imapPort);
    try {
      const sample = await socatSession(proxy.port, script)();
      return { ...sample, maxRssKiB: peakRssKiB(proxy.pid) };
    } finally {
      await proxy.stop();
    }
  };
}

it('proxy: FETCH BODY[] of 5 and 50 MB through mailwire proxy, against the same fetch straight from Dovecot (socat both)', async () => {
  // A user of its own, so that the row runs alone (-t proxy) or with the others in any order.
  await dovecot.addUsers([{ user: 'proxybench', password: 'proxybench' }]);
  const sizes = [5, 50];
  sizes.forEach((mb, i) => dovecot.deliver('proxybench', message(mb * 1_000_000, i + 1)));
  for (const [i, mb] of sizes.entries()) {
    const script = imapScript(['a1 LOGIN proxybench proxybench', 'a2 EXAMINE INBOX', `a3 FETCH ${i + 1} BODY.PEEK[]`, 'a4 LOGOUT']);
    const { m, r } = await sideBySide(throughProxy(script), socatSession(dovecot.imapPort, script), mb * 1_000_000);
    rows.push({
      name: `proxy: FETCH BODY[] ${mb} MB through mailwire proxy (live view to a pipe)`,
      mailwire: stats(m.map((s) => s.ms)),
      reference: stats(r.map((s) => s.ms)),
      referenceName: 'socat straight to Dovecot',
      goal: '',
    });
    proxyMemory.push({ size: `${mb} MB`, peakRssMiB: stats(m.map((s) => s.maxRssKiB / 1024)) });
  }
});

function fmt(s: Stats, unit = 'ms'): string {
  const d = s.median >= 100 ? 0 : 1;
  return `${s.median.toFixed(d)} ${unit} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
}

function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '?';
  } catch {
    return 'not found';
  }
}

function report(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB;`,
    `Node.js ${process.version}, Dovecot ${tool('dovecot', ['--version'])}, ${tool('socat', ['-V']).replace(/^socat by .*/, '') || tool('socat', ['-V'])}.`,
    `Median of ${RUNS} runs after one warm-up (min–max), mailwire and its reference run alternately against the same loopback Dovecot.`,
    'Ratios are mailwire / reference on the medians. Where a goal is missed, [PROFILES.md](PROFILES.md) says what the CPU profiles show remains.',
    'Node.js floor: the least any Node.js program does for the same job (start-up, then the socket copied to the pipe: bench/node-copy-client.mjs);',
    'what mailwire takes above it is its own parsing and rendering, what the floor takes above socat is the runtime\'s.',
    'bench/node-views-client.mjs prints the same lines as mailwire (server lines, decoded views), written straight for these replies:',
    'what mailwire takes above it is start-up, the session and V8 compiling more code, not the output itself.',
    'Rows marked "fixed-reply server" read their replies from bench/fixed-reply-server.mjs, which answers at once (the FETCH rows: Dovecot\'s',
    'responses to the same FETCH, sent again in one write): what they measure is the clients\' own cost, without the server\'s.',
    '',
    '| benchmark | mailwire | reference | ratio | goal | Node.js floor | ratio to the floor |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r.mailwire)} | ${r.referenceName}: ${fmt(r.reference)} | ${(r.mailwire.median / r.reference.median).toFixed(2)}x | ${r.goal} | ${r.floor ? fmt(r.floor) : ''} | ${r.floor ? `${(r.mailwire.median / r.floor.median).toFixed(2)}x` : ''} |`,
    ),
    '',
    '## Peak memory while streaming (mailwire, resident set)',
    '',
    '| message | peak RSS |',
    '| --- | --- |',
    ...memory.map((m) => `| ${m.size} | ${fmt(m.maxRssMiB, 'MiB')} |`),
    '',
    memory.length > 1
      ? `Spread of the medians across sizes: ${(Math.max(...memory.map((m) => m.maxRssMiB.median)) - Math.min(...memory.map((m) => m.maxRssMiB.median))).toFixed(1)} MiB (goal: within 20 MB).`
      : '',
    '',
    ...memoryNotes.map((n) => `- ${n}`),
    '',
    ...(proxyMemory.length > 0
      ? [
          '## Peak memory of mailwire proxy while a message goes through it (resident set, VmHWM)',
          '',
          '| message | peak RSS of the proxy |',
          '| --- | --- |',
          ...proxyMemory.map((m) => `| ${m.size} | ${fmt(m.peakRssMiB, 'MiB')} |`),
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}
