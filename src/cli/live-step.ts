/**
 * `mailwire step FILE --target URL` and `--sandbox`: the transcript's commands go to a real server one
 * step at a time, and what is shown is the server's own answer, explained, with the state diagram at
 * each change of state and a mark where it differs from the transcript. Replay does the talking (its
 * target, TLS and login machinery, its matcher); this file starts the sandbox when asked, shows, and
 * waits for the keys between steps.
 */
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import type { Language } from '../protocol/explain/language.js';
import { Words } from '../protocol/explain/words.js';
import { SANDBOX_CA_FILE, SANDBOX_MESSAGES_DIR } from '../sandbox/sandbox-files.js';
import { OWN_CLIENT_TIME_LIMITS, startSandbox, type Sandbox } from '../sandbox/sandbox-server.js';
import { readExampleAccounts } from '../sandbox/seed-files.js';
import { SANDBOX_USERS } from '../sandbox/users.js';
import type { Span } from '../render/roles.js';
import type { ColorLevel } from '../render/theme.js';
import { makeStyler } from '../render/theme.js';
import type { Protocol } from '../session/events.js';
import type { ServerTarget } from '../session/server-target.js';
import type { Transcript, TranscriptLine } from '../transcript/format.js';
import { fragmentSetupLines, fragmentStartState } from '../transcript/fragment-setup.js';
import { LiveStepView } from '../transcript/live-step-view.js';
import { replayTranscript } from '../transcript/replay.js';
import { buildScript } from '../transcript/script.js';
import { connect } from '../transport/connection.js';
import { replayTarget, secretSource, type TargetOptions } from './replay-command.js';
import { awaitNextStep } from './step-keys.js';
import { VERSION } from './version.js';

export interface LiveStepOptions extends TargetOptions {
  /** The server named on the command line; absent with `sandbox`. */
  target?: string;
  sandbox: boolean;
  user?: string;
  /** Seconds to wait for a reply; 0 for ever. */
  timeout: number;
  auto?: number;
}

/** The sandbox account a fragment logs in as first: joe for IMAP (the lecture's LOGIN), mrose for POP3. */
const SETUP_USER: Readonly<Record<Protocol, string>> = { imap: 'joe', pop3: 'mrose' };

/** Steps a transcript against the server; returns when it is shown to the end or quit. @throws MailwireError */
export async function runLiveStep(
  path: string,
  transcript: Transcript,
  protocol: Protocol,
  opts: LiveStepOptions,
  language: Language,
  colorLevel: ColorLevel,
  env: Env,
): Promise<void> {
  const words = new Words(language);
  const style = makeStyler(colorLevel);
  let sandbox: Sandbox | null = null;
  try {
    let target: ServerTarget;
    let setup: TranscriptLine[] = [];
    if (opts.sandbox) {
      sandbox = await startSandbox({
        listen: [{ protocol, tls: 'plain', host: '127.0.0.1', port: 0 }],
        seed: readExampleAccounts(SANDBOX_MESSAGES_DIR),
        version: VERSION,
        // A teacher may speak to a step for longer than any server would wait.
        limits: OWN_CLIENT_TIME_LIMITS,
      });
      const url = (sandbox.listeners[0] as { url: string }).url;
      target = replayTarget(path, url, protocol, { ...opts, protocol, ca: opts.ca ?? SANDBOX_CA_FILE }).target;
      const account = SANDBOX_USERS.find((u) => u.name === SETUP_USER[protocol]);
      if (account) setup = fragmentSetupLines(transcript, protocol, { user: account.name, password: account.password });
    } else {
      target = replayTarget(path, opts.target as string, protocol, opts).target;
      if (fragmentStartState(transcript, protocol) !== null) {
        // Another server's accounts are not known here: the user names one, its password comes as
        // any secret of a replay does (MAILWIRE_PASSWORD or the prompt), for this target only.
        if (opts.user === undefined) {
          throw new MailwireError('usage', `${path} starts in the middle of a session, after a login: give the user to log in as first with --user`);
        }
        setup = fragmentSetupLines(transcript, protocol, { user: opts.user, password: null });
      }
    }
    const setupSteps = setup.filter((l) => l.direction === 'C').length;
    const setupUser = opts.sandbox ? SETUP_USER[protocol] : (opts.user ?? '');
    const played: Transcript = { ...transcript, lines: [...setup, ...transcript.lines] };

    const total = buildScript(played.lines, protocol).length - setupSteps;
    const view = new LiveStepView(protocol, language, colorLevel);
    const write = (spans: readonly Span[]) => env.stdout.write(`${style(spans)}\n`);
    write([{ role: 'annotation', text: words.text(opts.sandbox ? 'step.live.sandbox' : 'step.live.target', { url: target.url }) }]);
    if (setupSteps > 0) write([{ role: 'annotation', text: words.text('step.live.setup', { user: setupUser }) }]);

    // Events are written as they come; while a key is awaited they wait, so the hint stays whole.
    let index = 0;
    let headed = false;
    let waiting = false;
    let held = '';
    const header = (): string => {
      const setup = index >= 1 && index <= setupSteps;
      const n = index === 0 ? 1 : index - setupSteps + 1;
      const text = setup
        ? words.text('step.live.setup-head')
        : language === 'ru'
          ? `— шаг ${n} из ${total} —`
          : `— step ${n} of ${total} —`;
      return `${style([{ role: 'annotation', text }])}\n`;
    };
    const onEvent = (event: Parameters<LiveStepView['event']>[0]) => {
      const text = view.event(event);
      if (text === '') return;
      if (waiting) {
        held += text;
        return;
      }
      if (!headed) {
        env.stdout.write(header());
        headed = true;
      }
      env.stdout.write(text);
    };

    const sandboxSecret = (user: string) => (opts.sandbox ? (SANDBOX_USERS.find((u) => u.name === user)?.password ?? null) : null);
    const secrets = secretSource(env, []);
    const result = await replayTranscript(played, {
      target,
      timeoutMs: opts.timeout === 0 ? null : opts.timeout * 1000,
      connect,
      // The server is the one named on the command line (or mailwire's own sandbox): the user chose it.
      getSecret: async (user, kind) => (kind === 'password' ? sandboxSecret(user) : null) ?? secrets(user, kind, null),
      ...(opts.user === undefined ? {} : { user: opts.user }),
      now: env.now,
      onEvent,
      afterStep: async (i, _step, mismatch) => {
        const shown = headed;
        const tail = view.finish();
        if (tail !== '') env.stdout.write(tail);
        const after = view.afterStep(mismatch, i === 0);
        if (after.length > 0 && !headed) env.stdout.write(header());
        for (const line of after) write(line);
        const last = i === total + setupSteps - 1;
        const setup = i >= 1 && i <= setupSteps;
        index = i + 1;
        headed = false;
        if (!(shown || after.length > 0)) return true;
        if (!env.stdinIsTTY || last || setup) {
          env.stdout.write('\n');
          return true;
        }
        waiting = true;
        const goOn = await awaitNextStep(env, opts.auto, language, style);
        waiting = false;
        if (held !== '') {
          env.stdout.write(header() + held);
          headed = true;
          held = '';
        }
        return goOn;
      },
    });
    const tail = view.finish() + held;
    if (tail !== '') env.stdout.write(tail);
    if (result.status === 'error') throw result.error;
    const differences = view.differences;
    write([
      {
        role: differences === 0 ? 'status-ok' : 'status-no',
        text: differences === 0 ? words.text('step.live.same') : words.text('step.live.summary', { n: differences, total }),
      },
    ]);
  } finally {
    await sandbox?.close();
  }
}

/** A usage error for options that only make sense live, or live options that exclude each other. */
export function checkLiveOptions(opts: LiveStepOptions & { starttls: boolean }, given: readonly string[]): void {
  if (opts.target !== undefined && opts.sandbox) throw new MailwireError('usage', 'give --target URL or --sandbox, not both');
  if (opts.target === undefined && !opts.sandbox) {
    const live = given.filter((o) => ['--starttls', '--insecure', '-k', '--ca', '--servername', '--user', '-u', '--timeout'].includes(o.split('=')[0] ?? ''));
    if (live.length > 0) throw new MailwireError('usage', `${live[0]} is for a live step: give --target URL or --sandbox`);
  }
}
