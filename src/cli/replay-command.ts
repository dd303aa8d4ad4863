/**
 * `mailwire replay FILE|DIR... --target URL`: plays transcripts against a server as regression tests,
 * and reports like a test runner: a line per transcript, the first difference as a diff, a summary.
 */
import { writeFileSync } from 'node:fs';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { TranscriptRenderer } from '../render/transcript-renderer.js';
import { plainStyle } from '../render/plain-style.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import { replayTranscript, type ReplayResult } from '../transcript/replay.js';
import { inShard } from '../transcript/shard.js';
import { junitXml, resultSpans, summaryLine, type NamedResult } from '../transcript/report.js';
import { ENGLISH_REPLAY_WORDS, replayText } from '../transcript/replay-words.js';
import { connect } from '../transport/connection.js';
import type { ServerTarget } from '../session/server-target.js';
import { colorLevelFor } from './colors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { parseTarget, serverTargetOf, targetUrl } from './target.js';
import { isTrustedDestination, parseTrustedHosts, TRUSTED_HOSTS_VARIABLE, type TrustedHost } from './secret-destinations.js';
import { loadTranscript, shownPath, suiteFiles, type FilePath } from './transcript-files.js';
import { parsePlainReplayLine, type ReplayOptions } from './replay-options.js';
import { languageFromEnvironment, type Language } from '../protocol/explain/language.js';
import { fileErrorText } from '../file-errors.js';

export async function run(argv: readonly string[], env: Env): Promise<number> {
  // A plain command line is read without commander (start-up); help and errors are commander's.
  const parsed = parsePlainReplayLine(argv) ?? (await import('./replay-program.js')).parseReplayCommandLine(argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { args, opts } = parsed;
  const found = suiteFiles(args);
  const files = (opts.shard ? inShard(found, (f) => f.suitePath, opts.shard) : found).map((f) => f.path);
  const colorLevel = colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars });
  // chalk is loaded only when the output has colors: a replay in CI writes to a pipe.
  const style = colorLevel > 0 ? (await import('../render/theme.js')).makeStyler(colorLevel) : plainStyle;
  const trust = parseTrustedHosts([...opts.trustHost, env.vars[TRUSTED_HOSTS_VARIABLE] ?? '']);
  if (trust.invalid.length > 0) {
    throw new MailwireError('usage', `replay: not a host or host:port in --trust-host or ${TRUSTED_HOSTS_VARIABLE}: ${trust.invalid.join(', ')}`);
  }
  const secrets = secretSource(env, trust.hosts);
  const verbose = opts.verbose || opts.explain;
  const language = opts.lang ?? languageFromEnvironment(env.vars);
  // The reasons of a failure, and the session's own lines under --verbose, in the language asked
  // for: their Russian words only then (English is the default of both, loaded anyway).
  const replayWords = language === 'en' ? ENGLISH_REPLAY_WORDS : (await import('../transcript/replay-words-ru.js')).RUSSIAN_REPLAY_WORDS;
  const sessionWords = language === 'en' || !verbose ? undefined : (await import('../render/session-words-ru.js')).RUSSIAN_WORDS;
  if (opts.shard) {
    const { index, count } = opts.shard;
    const shard = replayWords.text(replayText('replay.shard', { index, count, n: files.length, total: found.length }));
    env.stdout.write(`${style([{ role: 'notice-info', text: `# ${shard}` }])}\n`);
  }

  // The explanations' tables (both languages) are loaded only when asked for: replay starts faster.
  const explainer = opts.explain ? (await import('../protocol/explain/session-explainer.js')).SessionExplainer : null;
  const runOne = async (path: FilePath): Promise<NamedResult & { session: string }> => {
    // The live session is rendered only when it is shown (--verbose).
    const renderer = verbose
      ? new TranscriptRenderer({
          colorLevel,
          style,
          annotate: false,
          ...(sessionWords ? { words: sessionWords } : {}),
          ...(explainer ? { explainerFor: (p: Protocol) => new explainer(p, language), explain: true } : {}),
        })
      : null;
    let session = '';
    const result = await replayFile(path, opts, env, secrets, renderer ? (e) => (session += renderer.render(e)) : undefined);
    return { name: shownPath(path), result, session: session + (renderer?.finish() ?? '') };
  };
  const limited = limitConcurrency(opts.jobs);
  const results = files.map((path) => limited(() => runOne(path)));

  // Reported in the order given, each as soon as it and those before it are done.
  const done: NamedResult[] = [];
  for (const p of results) {
    const r = await p;
    done.push(r);
    for (const spans of resultSpans(r, replayWords)) env.stdout.write(`${style(spans)}\n`);
    if (verbose && r.session !== '') env.stdout.write(r.session.replace(/^/gm, '    '));
  }
  const outcomes = done.map((d) => d.result);
  const summary = summaryLine(outcomes);
  const allPassed = outcomes.every((o) => o.status === 'passed');
  env.stdout.write(`${style([{ role: allPassed ? 'status-ok' : 'status-no', text: summary }])}\n`);
  if (opts.junit) {
    try {
      const name = opts.shard ? `mailwire replay (shard ${opts.shard.index}/${opts.shard.count})` : 'mailwire replay';
      writeFileSync(opts.junit, junitXml(done, { name, timestamp: new Date().toISOString() }));
    } catch (error) {
      throw new MailwireError('file', `cannot write ${opts.junit}: ${fileErrorText(error)}`);
    }
  }
  return exitStatus(outcomes);
}

/** Runs at most `jobs` of the functions given to it at once. */
function limitConcurrency(jobs: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active >= jobs) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** 0 when all passed; a transcript that could not run decides first (its error's code); else 1. */
export function exitStatus(outcomes: readonly ReplayResult[]): number {
  const error = outcomes.find((o) => o.status === 'error');
  if (error?.status === 'error') return exitCodeFor(error.error.code);
  return outcomes.some((o) => o.status === 'failed') ? ExitCode.Failed : ExitCode.Ok;
}

async function replayFile(
  file: FilePath,
  opts: ReplayOptions,
  env: Env,
  getSecret: SecretSource,
  onEvent: ((e: SessionEvent) => void) | undefined,
): Promise<ReplayResult> {
  const loaded = loadTranscript(file);
  if ('error' in loaded) return { status: 'error', durationMs: 0, error: loaded.error };
  const path = shownPath(file);
  const { transcript } = loaded;
  // An empty file, a plain text or random bytes parse (as notes): without a line to send or expect
  // there is nothing to test, and a PASS would say something false.
  if (!transcript.lines.some((l) => l.expectation === 'required')) {
    return { status: 'error', durationMs: 0, error: new MailwireError('input', `${path} is not a transcript: it has no "C:" or "S:" line`) };
  }
  let resolved: { target: ServerTarget; host: string; port: number };
  try {
    const text = opts.target ?? transcript.directives.target;
    if (text === undefined) throw new MailwireError('usage', `${path} names no "# target:"; give --target URL`);
    resolved = replayTarget(path, text, transcript.directives.protocol, opts);
  } catch (error) {
    if (error instanceof MailwireError) return { status: 'error', durationMs: 0, error };
    throw error;
  }
  const { target } = resolved;
  return replayTranscript(transcript, {
    target,
    timeoutMs: opts.timeout === null ? null : opts.timeout * 1000,
    connect,
    // A target the user named on the command line is theirs; the transcript's own must be trusted.
    getSecret: (user, kind) => getSecret(user, kind, opts.target === undefined ? { path, url: target.url, host: target.host, port: target.port } : null),
    ...(opts.user === undefined ? {} : { user: opts.user }),
    now: env.now,
    ...(onEvent ? { onEvent } : {}),
  });
}

/** The options of replay (and of `step --target`) that say how to reach the server. */
export interface TargetOptions {
  protocol?: Protocol;
  starttls: boolean;
  insecure: boolean;
  ca?: string;
  servername?: string;
}

/**
 * The server a transcript is played against, from a URL (or a bare host:port, which takes the
 * transcript's protocol); a usage error when it does not fit the transcript.
 */
export function replayTarget(path: string, text: string, declared: Protocol | undefined, opts: TargetOptions): { target: ServerTarget; host: string; port: number } {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
  const target = parseTarget(text, opts.protocol ?? (hasScheme ? undefined : declared));
  if (declared && declared !== target.protocol) {
    throw new MailwireError('usage', `${path} is a ${declared.toUpperCase()} transcript, and ${targetUrl(target)} is ${target.protocol.toUpperCase()}`);
  }
  if (opts.starttls && target.tls === 'implicit') throw new MailwireError('usage', `--starttls cannot be used with implicit TLS (${targetUrl(target)})`);
  if (target.user !== null || target.password !== null || target.auth !== null || target.mailbox !== null) {
    // The transcript's own lines log in and select; a second login from the URL would not match them.
    throw new MailwireError('usage', `a transcript logs in as its C: lines say: give a target without a user, ;AUTH= or mailbox, not "${target.display}"`);
  }
  return {
    host: target.host,
    port: target.port,
    target: serverTargetOf(target, opts.starttls, {
      insecure: opts.insecure,
      ...(opts.ca ? { caPaths: [opts.ca] } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    }),
  };
}

/** Where a secret would go when the transcript chose the server, not the user. */
interface TranscriptDestination {
  path: string;
  url: string;
  host: string;
  port: number;
}

/** A secret for a user, or null; `destination` is set when the transcript's own target would get it. */
export type SecretSource = (user: string, kind: 'password' | 'token', destination: TranscriptDestination | null) => Promise<string | null>;

/**
 * MAILWIRE_PASSWORD (MAILWIRE_TOKEN), else a prompt at the terminal (one at a time, once per user),
 * sent to a transcript's own target only when it is trusted or confirmed (see secret-destinations.ts).
 */
export function secretSource(env: Env, trusted: readonly TrustedHost[]): SecretSource {
  const asked = new Map<string, Promise<string | null>>();
  const confirmed = new Map<string, Promise<boolean>>();
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(question: () => Promise<T>): Promise<T> => {
    const answer = queue.then(question);
    queue = answer.catch(() => undefined);
    return answer;
  };
  // node:readline only when a question is put at the terminal: a replay in CI asks none.
  const terminalQuestions = () => import('./terminal.js');
  return async (user, kind, destination) => {
    const fromEnv = kind === 'token' ? env.vars.MAILWIRE_TOKEN : env.vars.MAILWIRE_PASSWORD;
    if (fromEnv === undefined && !env.stdinIsTTY) return null;
    if (destination !== null && !isTrustedDestination(destination.host, destination.port, trusted)) {
      const refusal = new MailwireError(
        'input',
        `${destination.path} names its own target, ${destination.url}: mailwire sends your ${kind === 'token' ? 'token' : 'secret'} only to a server you chose; give --target ${destination.url}, or trust the host with --trust-host ${destination.host} (or ${TRUSTED_HOSTS_VARIABLE})`,
      );
      if (!env.stdinIsTTY) throw refusal;
      let yes = confirmed.get(destination.url);
      if (!yes) {
        const question = `${destination.path} names its own target, ${destination.url}. Send your secrets there? [y/N] `;
        yes = inTurn(async () => (await terminalQuestions()).askOnce(env.stdin, env.stderr, question)).then((a) => /^\s*y(es)?\s*$/i.test(a ?? ''));
        confirmed.set(destination.url, yes);
      }
      if (!(await yes)) throw refusal;
    }
    if (fromEnv !== undefined) return fromEnv;
    const key = `${kind} ${user}`;
    let answer = asked.get(key);
    if (!answer) {
      answer = inTurn(async () => (await terminalQuestions()).askHiddenOnce(env.stdin, env.stderr, `${kind === 'token' ? 'OAuth token' : 'secret'} for ${user}: `));
      asked.set(key, answer);
    }
    return answer;
  };
}
