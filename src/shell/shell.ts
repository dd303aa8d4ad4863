/**
 * The interactive shell: what `mailwire <target>` is when standard input is a terminal. A
 * node:readline front end over the session runner: commands go out as typed (pipelined, RFC 3501
 * §5.5), server output appears above the prompt as it arrives, the prompt shows the session's state,
 * Tab completes and a grey hint shows the syntax, secrets are asked without echo, literals are typed
 * with their octets counted (or read from a file), and the shell's own dot-commands do the rest.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync } from 'node:fs';
import { homedir as osHomedir } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { readFileSync } from 'node:fs';
import type { Env } from '../env.js';
import { isMailwireError, MailwireError } from '../errors.js';
import { unknownImapCommand, unknownImapCommandRemark } from '../protocol/imap/command-words.js';
import type { DecodedViewKind } from '../protocol/imap/decoded-views.js';
import { analyzeImapLine, isIdleDone } from '../protocol/imap/request.js';
import { escapeDisplayText } from '../render/escape.js';
import { hexDumpLines } from '../render/hexdump.js';
import { makeStyler, type ColorLevel } from '../render/theme.js';
import type { Span } from '../render/roles.js';
import { commandThatMoved } from '../protocol/explain/state-machine.js';
import type { TranscriptRenderer } from '../render/transcript-renderer.js';
import type { Language } from '../protocol/explain/language.js';
import { englishNotice, type NoticeText } from '../protocol/explain/notices.js';
import { Words } from '../protocol/explain/words.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import { describeFileLiteral, fileLiteralError, splitFileLiterals, typedPath } from '../session/file-literals.js';
import { ImapInputAssembler, type ImapCommandPlan } from '../session/imap-input.js';
import { ImapSession } from '../session/imap-session.js';
import type { SessionRunner } from '../session/runner.js';
import { TranscriptRecorder, type RecordingHeader } from '../transcript/recorder.js';
import { complete, type Completion } from './completer.js';
import { hintFor } from './hints.js';
import { HISTORY_SIZE, HistoryFile, historyEntry, historyPath, withoutSecretPlaceholder, type TypedKind } from './history.js';
import { isLoggedIn, SessionKnowledge } from './knowledge.js';
import { KeyboardInput } from './keyboard-input.js';
import { META_COMMANDS, findMetaCommand, type MetaContext } from './meta-commands.js';
import { promptSpans, type InputMode } from './prompt.js';
import { Screen, readAnswer } from './screen.js';
import { strayWordAdvice } from './stray-words.js';

/** What the shell gives the runner it drives. */
export interface ShellIo {
  show: (event: SessionEvent) => boolean;
  getSecret: (prompt: string) => Promise<string | null>;
  /** A question answered with echo (the user name of a SASL login). */
  getText: (prompt: string) => Promise<string | null>;
  onOutputDrain: (resume: () => void) => void;
  onServerBytes: (chunk: Buffer) => void;
}

export interface ShellSetup {
  env: Env;
  protocol: Protocol;
  /** e.g. imap://127.0.0.1:10143 */
  url: string;
  /** Host and port as the prompt shows them. */
  hostPort: string;
  colorLevel: ColorLevel;
  /** Renders events for the terminal (colors, latencies, decoded views, explanations). */
  renderer: TranscriptRenderer;
  /** --lang: help texts, state names and explanations (English when absent). */
  language?: Language;
  /** The --record recorder, if any (the caller closes it). */
  recorder: TranscriptRecorder | null;
  /** --user: who the prompt names once logged in, until a LOGIN or USER says otherwise. */
  user?: string;
  /** Lines sent first, as if typed (the login a URL asks for); never put in the history. */
  initialCommands?: readonly string[];
  /** Header for a recording started with .record. */
  recordingHeader: () => RecordingHeader;
  /** --max-time: the session ends with this error after `ms`; null (the default) for no bound. */
  maxTime?: { ms: number; error: () => Error } | null;
  makeRunner: (io: ShellIo) => SessionRunner;
}

/** Runs the shell until the session ends; returns the exit code, or throws what broke the session. */
export async function runShell(setup: ShellSetup): Promise<number> {
  return new Shell(setup).run();
}

class Shell implements MetaContext {
  readonly protocol: Protocol;
  readonly views = { hex: false, decoded: true, tree: true, explain: false };
  readonly language: Language;
  /** The words of the shell's language. */
  private readonly words: Words;
  private readonly env: Env;
  private readonly style: (spans: Parameters<ReturnType<typeof makeStyler>>[0]) => string;
  private readonly knowledge: SessionKnowledge;
  private readonly assembler = new ImapInputAssembler();
  private readonly screen: Screen;
  private runner!: SessionRunner;
  private rl: Interface | null = null;
  private keyboard: KeyboardInput | null = null;
  private recorder: TranscriptRecorder | null;
  private history: HistoryFile | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Bytes received so far: offsets of the hex view. */
  private received = 0;
  /** First line of a command whose literal is being typed, for messages. */
  private literalCommand = '';
  private closingReadline = false;
  private endRequested: () => void = () => undefined;
  private readonly ended = new Promise<void>((resolve) => {
    this.endRequested = resolve;
  });
  private bug: unknown = null;
  /** The last commands sent (secrets masked), the state last seen and the command that entered it: the diagram's mark. */
  private recentCommands: string[] = [];
  private seenState: string | null = null;
  private stateMovedBy: string | null = null;

  constructor(private readonly setup: ShellSetup) {
    this.env = setup.env;
    this.protocol = setup.protocol;
    this.recorder = setup.recorder;
    this.style = makeStyler(setup.colorLevel);
    this.knowledge = new SessionKnowledge(setup.protocol);
    if (setup.user !== undefined) this.knowledge.user = setup.user;
    this.views.decoded = setup.renderer.decodedViews.has('mailbox');
    this.views.tree = setup.renderer.decodedViews.has('bodystructure');
    this.views.explain = setup.renderer.explain;
    this.language = setup.language ?? 'en';
    this.words = new Words(this.language);
    this.screen = new Screen({
      out: setup.env.stdout,
      prompt: () => this.promptText(),
      hint: (line) => (this.assembler.incomplete ? '' : hintFor(line, { protocol: this.protocol, metaCommands: META_COMMANDS, capabilities: this.runner.session.capabilities })),
      styleHint: (text) => this.style([{ role: 'hint', text: escapeDisplayText(text) }]),
    });
  }

  async run(): Promise<number> {
    const env = this.env;
    this.runner = this.setup.makeRunner({
      show: (e) => this.show(e),
      getSecret: (q) => this.ask(q, false),
      getText: async (q) => {
        // The user name of a SASL login mailwire runs: who the prompt names once it succeeds.
        const name = await this.ask(q, true);
        if (name !== null && name.trim() !== '') this.knowledge.user = name.trim();
        return name;
      },
      onOutputDrain: (resume) => env.stdout.once('drain', resume),
      onServerBytes: (chunk) => this.hexView(chunk),
    });
    const maxTime = this.setup.maxTime;
    const deadline =
      maxTime == null
        ? undefined
        : setTimeout(() => {
            // Only when asked for: a shell (and an IDLE in it) is otherwise as long as the user wants.
            this.bug ??= maxTime.error();
            this.runner.destroy();
            this.endRequested();
          }, maxTime.ms);
    try {
      await this.runner.open();
      this.startReadline();
      this.note('info', this.words.text('shell.banner'));
      // The URL's login goes first, each command after the previous one's reply (EXAMINE only once
      // LOGIN has succeeded), ahead of anything typed; a password is asked as for a typed LOGIN.
      const initial = (this.setup.initialCommands ?? []).map((l) => Buffer.from(l, 'utf8'));
      if (initial.length > 0) this.enqueue(() => this.runner.runScript({ next: async () => initial.shift() ?? null }));
      await Promise.race([this.runner.whenClosed(), this.ended]);
      // A close nobody asked for, and nothing wrong with it (a BYE): say so, the prompt is going away.
      if (this.runner.isClosed && !this.runner.error && this.bug === null) this.note('info', this.words.text('shell.server-closed'));
      this.closingReadline = true;
      this.rl?.close();
      this.keyboard?.detach();
      this.screen.detach();
      await this.runner.finish();
    } catch (error) {
      this.runner.destroy();
      throw error;
    } finally {
      clearTimeout(deadline);
      // A recording started with .record is this shell's to close; --record's is the caller's.
      if (this.recorder !== this.setup.recorder) this.recorder?.close();
    }
    if (this.bug !== null) throw this.bug;
    if (this.runner.error) throw this.runner.error;
    return 0;
  }

  // --- MetaContext -------------------------------------------------------------------------------

  get columns(): number {
    return (this.env.stdout as { columns?: number }).columns || 80;
  }

  get recording(): string | null {
    return this.recorder?.path ?? null;
  }

  print(lines: readonly string[]): void {
    this.screen.write(lines.map((l) => `${escapeDisplayText(l)}\n`).join(''));
  }

  state(): ReturnType<MetaContext['state']> {
    const s = this.runner.session;
    // The state's name as the explanations say it, in the shell's language.
    let state = this.words.text(`state.${this.protocol}.${s.state}`);
    if (s instanceof ImapSession && s.state === 'selected' && s.mailbox) state = `${state} ${s.mailbox.name} [${s.mailbox.readOnly ? 'ro' : 'rw'}]`;
    return {
      target: this.setup.url,
      state,
      user: this.knowledge.user,
      nextTag: s instanceof ImapSession ? s.nextTag : null,
      capabilities: [...s.capabilities],
      capabilitiesVoidedBy: s.capabilitiesVoidedBy,
      tls: this.runner.tls,
      machineState: s.state,
      movedBy: (this.followState(), this.stateMovedBy),
    };
  }

  /** Notes a change of state and the command that made it. */
  private followState(): void {
    const now = this.runner.session.state;
    if (this.seenState !== null && now !== this.seenState) {
      this.stateMovedBy = commandThatMoved(this.protocol, this.seenState, now, this.recentCommands);
      this.knowledge.stateMoved(this.seenState, now, this.setup.user ?? null);
    }
    this.seenState = now;
  }

  printSpans(lines: readonly Span[][]): void {
    this.screen.write(lines.map((l) => `${this.style(l)}\n`).join(''));
  }

  waiting(): ReturnType<SessionRunner['waitingCommands']> {
    return this.runner.waitingCommands();
  }

  sendRaw(bytes: Buffer): void {
    this.runner.sendRaw(bytes);
  }

  startRecording(path: string): void {
    if (this.recorder) throw new MailwireError('usage', `already recording to ${this.recorder.path} (.record stop first)`);
    this.recorder = new TranscriptRecorder(this.resolvePath(path), this.setup.recordingHeader());
  }

  stopRecording(): void {
    this.recorder?.close();
    this.recorder = null;
  }

  setView(view: 'hex' | 'decoded' | 'tree' | 'explain', on: boolean): void {
    this.views[view] = on;
    if (view === 'explain') {
      this.setup.renderer.setExplain(on);
      return;
    }
    const shown = new Set<DecodedViewKind>();
    if (this.views.decoded) shown.add('mailbox').add('envelope');
    if (this.views.tree) shown.add('bodystructure');
    this.setup.renderer.setDecodedViews(shown);
  }

  quit(): void {
    this.endRequested();
  }

  // --- output ----------------------------------------------------------------------------------

  private show(event: SessionEvent): boolean {
    this.recorder?.record(event);
    this.knowledge.learn(event, isLoggedIn(this.runner.session.state));
    if (event.kind === 'client-line' && event.part === 'command') this.recentCommands = [...this.recentCommands.slice(-7), event.text];
    this.followState();
    return this.screen.write(this.setup.renderer.render(event));
  }

  /**
   * A remark of the shell's own: shown as a transcript comment, not recorded. Worded by the shell
   * already, or a session's notice sentence (a file literal's), which the renderer words in its language.
   */
  private note(level: 'info' | 'warning' | 'error', text: string | NoticeText): void {
    const event: SessionEvent = typeof text === 'string' ? { kind: 'notice', level, text } : { kind: 'notice', level, text: englishNotice(text), said: text };
    this.screen.write(this.setup.renderer.render(event));
  }

  private hexView(chunk: Buffer): void {
    const offset = this.received;
    this.received += chunk.length;
    if (!this.views.hex) return;
    const lines = hexDumpLines(chunk, offset).map((l) => `${this.style([{ role: 'annotation', text: `# ${l}` }])}\n`);
    this.screen.write(lines.join(''));
  }

  /** A question before a command goes out: a secret without echo, or a user name with it. */
  private async ask(question: string, echo: boolean): Promise<string | null> {
    const { answer, typed } = readAnswer(this.keyboard ?? this.env.stdin, echo ? this.env.stdout : null);
    this.screen.beginSecret(question, echo ? typed : null);
    try {
      return await answer;
    } finally {
      this.screen.endSecret();
    }
  }

  // --- input -----------------------------------------------------------------------------------

  private startReadline(): void {
    const env = this.env;
    this.history = new HistoryFile(historyPath(this.protocol, env.vars, env.homedir));
    let past: string[] = [];
    try {
      past = this.history.load();
    } catch (error) {
      this.note('warning', this.words.text('shell.history.not-kept', { error: (error as Error).message }));
      this.history = null;
    }
    // Pasted text reaches the line whole, not key by key (see KeyboardInput).
    const keyboard = new KeyboardInput(env.stdin, (text) => this.screen.appendTyped(text));
    this.keyboard = keyboard;
    const rl = createInterface({
      input: keyboard as unknown as NodeJS.ReadableStream,
      output: env.stdout,
      terminal: true,
      completer: (line: string) => this.complete(line),
      history: past,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
    });
    this.rl = rl;
    rl.on('history', (h: string[]) => this.keepHistory(h));
    rl.on('line', (line) => this.onLine(line));
    rl.on('SIGINT', () => this.onCtrlC());
    // Ctrl-D on an empty line (or the terminal going away) ends the session politely.
    rl.on('close', () => {
      if (!this.closingReadline) this.endRequested();
    });
    this.screen.attach(rl, keyboard);
  }

  private onLine(text: string): void {
    this.screen.lineEntered();
    if (this.protocol === 'imap' && this.assembler.incomplete) {
      // Literal octets go as typed; the text after a literal is command text.
      this.imapLine(this.assembler.readingLiteral ? text : text.replace(/[ \t]+$/, ''));
      return;
    }
    const lead = text.trimStart();
    if (lead.startsWith('.') && !lead.startsWith('..')) {
      const found = findMetaCommand(text);
      if (!found) {
        this.note('error', this.words.text('shell.unknown-shell-command', { word: lead.split(/\s/)[0] ?? '' }));
        return;
      }
      this.enqueue(() => found.command.action(found.args, this));
      return;
    }
    // Tab completion leaves a blank after a word; strict servers refuse one at the end of a
    // command (Dovecot POP3: "Noise after message number"). A deliberate one goes with .raw.
    const line = withoutSecretPlaceholder(lead.startsWith('..') ? text.replace('..', '.') : text).replace(/[ \t]+$/, '');
    if (line.trim() === '' && !this.runner.session.awaitingContinuationResponse) return;
    const stray = this.runner.session.awaitingContinuationResponse ? null : strayWordAdvice(this.protocol, line, this.words);
    if (stray !== null) {
      this.note('info', stray);
      return;
    }
    if (this.protocol === 'pop3') {
      this.send(Buffer.from(line, 'utf8'));
      return;
    }
    this.remarkUnknownCommand(line);
    this.imapLine(line);
  }

  /**
   * People test servers with odd commands, so an unknown one is sent all the same; the remark names
   * the command it may have meant (`# unknown command SELCT: did you mean SELECT?`).
   */
  private remarkUnknownCommand(line: string): void {
    const session = this.runner.session;
    if (!(session instanceof ImapSession) || session.awaitingContinuationResponse || isIdleDone(line)) return;
    const unknown = unknownImapCommand(analyzeImapLine(line, session.capabilities).command, session.capabilities);
    if (unknown === null) return;
    this.note('info', unknownImapCommandRemark(unknown, (key, values) => this.words.text(key, values)));
  }

  /** An IMAP line: a whole command, the start of one with a literal, or a line of a literal. */
  private imapLine(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    const starting = !this.assembler.incomplete;
    let plan: ImapCommandPlan | null;
    try {
      const files = this.assembler.readingLiteral ? null : splitFileLiterals(text);
      if (files) {
        const data = files.paths.map((p) => this.readLiteralFile(p));
        files.paths.forEach((p, i) => {
          const { info, warning } = describeFileLiteral(p, data[i] as Buffer);
          this.note('info', info);
          if (warning) this.note('warning', warning);
        });
        plan = this.assembler.pushWithLiterals(
          files.texts.map((t) => Buffer.from(t, 'utf8')),
          data,
        );
      } else {
        plan = this.assembler.push(bytes);
      }
    } catch (error) {
      this.assembler.reset();
      this.report(error);
      return;
    }
    if (plan) {
      this.send(plan);
      return;
    }
    if (starting) {
      this.literalCommand = text;
      const size = this.assembler.literalSize ?? 0;
      this.note('info', this.words.text('shell.literal.type', { size }));
    }
    this.screen.refresh();
  }

  private readLiteralFile(path: string): Buffer {
    try {
      return readFileSync(this.resolvePath(path));
    } catch (error) {
      throw fileLiteralError(path, error);
    }
  }

  private resolvePath(path: string): string {
    return typedPath(path, { homedir: this.env.homedir || osHomedir(), cwd: this.env.cwd });
  }

  private send(typed: Buffer | ImapCommandPlan): void {
    this.enqueue(async () => {
      const blocker = this.runner.sendBlockerReason();
      if (blocker && !this.runner.session.awaitingContinuationResponse) this.note('info', this.words.text('shell.waiting-for', { blocker: this.words.text(`shell.blocker.${blocker.kind}`, blocker.kind === 'barrier' || blocker.kind === 'reply' ? blocker : {}) }));
      await this.runner.sendTyped(typed);
    });
  }

  /** Runs typed commands one after another, in the order typed; a failure is reported, not fatal. */
  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(async () => {
      try {
        await task();
      } catch (error) {
        this.report(error);
      } finally {
        this.screen.refresh();
      }
    });
  }

  private report(error: unknown): void {
    if (isMailwireError(error)) {
      // A broken connection ends the session through the runner; say nothing twice.
      if (this.runner.isClosed && error === this.runner.error) return;
      this.note('error', error.message);
      return;
    }
    this.bug = error;
    this.endRequested();
  }

  private onCtrlC(): void {
    if (this.protocol === 'imap' && this.assembler.incomplete) {
      this.screen.abandonLine();
      this.assembler.reset();
      this.note('info', this.words.text('shell.literal.abandoned', { command: this.literalCommand }));
      this.screen.refresh();
      return;
    }
    if (this.rl && this.rl.line !== '') {
      this.screen.abandonLine();
      return;
    }
    this.note('info', this.words.text('shell.ctrl-c'));
  }

  private keepHistory(history: string[]): void {
    const line = history[0];
    if (line === undefined) return;
    const kind: TypedKind =
      this.protocol === 'imap' && this.assembler.incomplete ? 'literal' : this.runner.session.awaitingContinuationResponse ? 'continuation' : 'command';
    const entry = historyEntry(this.protocol, line, kind);
    if (entry === null) {
      history.shift();
    } else {
      history[0] = entry;
      for (let i = history.length - 1; i > 0; i--) if (history[i] === entry) history.splice(i, 1);
    }
    if (!this.history) return;
    try {
      this.history.save(history);
    } catch (error) {
      this.note('warning', this.words.text('shell.history.not-kept-from-now', { error: (error as Error).message }));
      this.history = null;
    }
  }

  private complete(line: string): Completion {
    if (this.assembler.incomplete) return [[], line];
    const s = this.runner.session;
    return complete(line, {
      protocol: this.protocol,
      state: s.state,
      capabilities: s instanceof ImapSession || s.capabilitiesKnown ? s.capabilities : new Set(),
      mailboxes: this.knowledge.mailboxes,
      flags: this.knowledge.flags,
      messageNumbers: this.knowledge.messageNumbers,
      saslMechanisms: this.knowledge.saslMechanisms,
      metaCommands: META_COMMANDS.map((m) => ({ name: m.name, ...(m.args ? { args: m.args } : {}) })),
      listFiles: (dir) => this.listFiles(dir),
    });
  }

  private listFiles(dir: string): string[] {
    try {
      // Names as bytes: one that is not UTF-8 cannot be typed on this line (decoded, it would get
      // U+FFFD and name a file that is not there), so it is not offered.
      return readdirSync(this.resolvePath(dir === '' ? '.' : dir), { withFileTypes: true, encoding: 'buffer' })
        .filter((e) => isUtf8(e.name))
        .map((e) => (e.isDirectory() ? `${e.name.toString('utf8')}/` : e.name.toString('utf8')));
    } catch {
      return [];
    }
  }

  private promptText(): string {
    const s = this.runner.session;
    const waiting = this.runner.waitingCommands();
    const answering = waiting.find((w) => w.awaitingResponse);
    let mode: InputMode = { kind: 'command' };
    if (this.assembler.incomplete) {
      const size = this.assembler.literalSize;
      mode = size === null ? { kind: 'after-literal' } : { kind: 'literal', size, left: this.assembler.literalOctetsLeft };
    } else if (answering) {
      mode = answering.name === 'IDLE' ? { kind: 'idle' } : { kind: 'continuation', command: answering.name };
    }
    const vars = this.env.vars;
    const locale = vars.LC_ALL || vars.LC_CTYPE || vars.LANG || '';
    return this.style(
      promptSpans({
        protocol: this.protocol,
        hostPort: this.setup.hostPort,
        user: this.knowledge.user,
        tls: this.runner.tls,
        state: s.state,
        mailbox: s instanceof ImapSession ? s.mailbox : null,
        nextTag: s instanceof ImapSession ? s.nextTag : null,
        waiting: waiting.length,
        mode,
        unicode: /utf-?8/i.test(locale),
        words: this.words,
        ...(this.language === 'en' ? {} : { stateName: this.words.text(`prompt.${this.protocol}.${s.state}`) }),
      }),
    );
  }
}
