/**
 * The shell's own commands, registered as data (`{name, syntax, help, action}`, as node:repl does its
 * dot-commands). They start with "." — no POP3 keyword does, and no IMAP command name can — so they
 * never clash with what is sent to the server; a line starting with ".." sends one "." less.
 */
import { IMAP_COMMANDS, findImapCommand, imapCapabilityOffers, type ImapCommandSpec } from '../protocol/imap/commands.js';
import { POP3_COMMANDS, findPop3Command, type Pop3CommandSpec } from '../protocol/pop3/commands.js';
import { MailwireError } from '../errors.js';
import { formatTlsDetails } from '../render/tls-details.js';
import type { Span } from '../render/roles.js';
import { stateDiagramLines } from '../render/state-diagram.js';
import type { Protocol } from '../session/events.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import type { WaitingCommand } from '../session/runner.js';
import { parseRawEscapes } from '../session/raw-escapes.js';
import { imapSummaryKey, pop3SummaryKey } from '../protocol/explain/catalogue-keys.js';
import type { Language } from '../protocol/explain/language.js';
import { Words } from '../protocol/explain/words.js';

/** What the shell's commands can see and do. */
export interface MetaContext {
  protocol: Protocol;
  /** Width of the terminal. */
  columns: number;
  /** Text for the user, above the prompt; not part of the session's transcript. */
  print(lines: readonly string[]): void;
  state(): {
    target: string;
    state: string;
    user: string | null;
    nextTag: string | null;
    capabilities: readonly string[];
    /** The command after which the capabilities known before are void (LOGIN without any, STARTTLS, STLS). */
    capabilitiesVoidedBy?: string | null;
    tls: TlsSummary | null;
    /** The state's id (`selected`, `transaction`) for the diagram, and the command that entered it. */
    machineState?: string;
    movedBy?: string | null;
  };
  /** Lines already styled by role (the state diagram). */
  printSpans?(lines: readonly Span[][]): void;
  waiting(): WaitingCommand[];
  sendRaw(bytes: Buffer): void;
  recording: string | null;
  startRecording(path: string): void;
  stopRecording(): void;
  views: { hex: boolean; decoded: boolean; tree: boolean; explain?: boolean };
  setView(view: 'hex' | 'decoded' | 'tree' | 'explain', on: boolean): void;
  /** The language of help texts, state names and explanations (--lang); English when absent. */
  language?: Language;
  quit(): void;
}

export interface MetaCommand {
  /** With its dot: ".help". */
  name: string;
  /** How it is typed: `.record [FILE|stop]`. */
  syntax: string;
  /** One line. */
  help: string;
  /** Words its argument may be (for completion). */
  args?: readonly string[];
  action: (args: string, ctx: MetaContext) => void;
}

function onOff(arg: string, current: boolean, what: string): boolean {
  const a = arg.trim().toLowerCase();
  if (a === '') return !current;
  if (a === 'on') return true;
  if (a === 'off') return false;
  throw new MailwireError('usage', `${what} takes "on" or "off", not "${arg.trim()}"`);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function commandTable(protocol: Protocol): readonly (ImapCommandSpec | Pop3CommandSpec)[] {
  return protocol === 'imap' ? IMAP_COMMANDS : POP3_COMMANDS;
}

/** The words of the shell's language. */
function wordsOf(ctx: MetaContext): Words {
  return new Words(ctx.language ?? 'en');
}

/** A command's one-line meaning in the shell's language (an X-command's own summary otherwise). */
function summaryOf(spec: ImapCommandSpec | Pop3CommandSpec, protocol: Protocol, words: Words): string {
  const key = protocol === 'imap' ? imapSummaryKey(spec.name) : pop3SummaryKey(spec.name);
  return words.has(key) ? words.text(key) : spec.summary;
}

/** `.help COMMAND`: syntax, meaning, valid states, where it is defined, whether the server offers it. */
function commandHelp(spec: ImapCommandSpec | Pop3CommandSpec, ctx: MetaContext): string[] {
  const s = ctx.state();
  const words = wordsOf(ctx);
  const states = spec.states.map((st) => words.text(`state.${ctx.protocol}.${st}`));
  const lines = [spec.syntax, `  ${summaryOf(spec, ctx.protocol, words)}`, `  ${words.text('shell.help.valid-in', { states: states.join(', '), n: states.length })}`];
  const seeAlso = spec.seeAlso && spec.seeAlso.length > 0;
  lines.push(`  ${seeAlso ? words.text('shell.help.see-also', { rfc: spec.rfc, more: spec.seeAlso?.join(', ') ?? '' }) : words.text('shell.help.defined-in', { rfc: spec.rfc })}`);
  if (spec.capability) {
    const caps = new Set(s.capabilities);
    const offered =
      caps.size === 0
        ? 'unknown'
        : ctx.protocol === 'imap'
          ? imapCapabilityOffers(spec as ImapCommandSpec, caps) ? 'offered' : 'not-offered'
          : caps.has(spec.capability) ? 'offered' : 'not-offered';
    lines.push(`  ${words.text(`shell.help.capability-${offered}`, { capability: spec.capability })}`);
  }
  return lines;
}

/**
 * Two columns, syntax and meaning, fitted to the terminal: a syntax too long for its column gets a
 * line of its own, a meaning too long for the line is cut with "…" (`.help COMMAND` has it whole).
 */
function tableLines(rows: ReadonlyArray<readonly [string, string]>, columns: number): string[] {
  const width = Math.min(24, Math.max(...rows.map(([syntax]) => syntax.length)));
  const room = Math.max(20, columns - width - 5);
  const cut = (text: string) => ([...text].length > room ? `${[...text].slice(0, room - 1).join('')}…` : text);
  const lines: string[] = [];
  for (const [syntax, meaning] of rows) {
    if (syntax.length > width) {
      lines.push(`  ${syntax}`);
      lines.push(`  ${''.padEnd(width)}  ${cut(meaning)}`);
    } else {
      lines.push(`  ${syntax.padEnd(width)}  ${cut(meaning)}`);
    }
  }
  return lines;
}

/**
 * Lines of `label  value`, the values in one column after the longest label (labels differ in length
 * from one language to another).
 */
function labelled(words: Words, rows: ReadonlyArray<readonly [string, string]>): string[] {
  const labels = rows.map(([key]) => words.text(key));
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  return rows.map(([, value], i) => `${(labels[i] as string).padEnd(width)}${value}`);
}

/** A shell command's one-line help in the shell's language. */
function metaHelp(m: MetaCommand, words: Words): string {
  const key = `shell.meta.${m.name}`;
  return words.has(key) ? words.text(key) : m.help;
}

/** Text cut into lines of at most `width` characters at spaces. */
function wrapped(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A `.NAME [on|off]` command that switches one of the shell's views. */
function viewToggle(name: string, view: 'hex' | 'decoded' | 'tree', help: string): MetaCommand {
  return {
    name,
    syntax: `${name} [on|off]`,
    help,
    args: ['on', 'off'],
    action(args, ctx) {
      ctx.setView(view, onOff(args, ctx.views[view], name));
      ctx.print([wordsOf(ctx).text(`shell.view.${view}.${ctx.views[view] ? 'on' : 'off'}`)]);
    },
  };
}

/** The registry; `.help` lists them in this order. */
export const META_COMMANDS: readonly MetaCommand[] = [
  {
    name: '.help',
    syntax: '.help [COMMAND]',
    help: 'the protocol\'s commands with syntax and meaning; with a name: syntax, meaning, states, RFC section',
    action(args, ctx) {
      const name = args.trim();
      if (name !== '') {
        const meta = META_COMMANDS.find((m) => m.name === (name.startsWith('.') ? name : `.${name}`).toLowerCase());
        const spec = ctx.protocol === 'imap' ? findImapCommand(name.replace(/^UID\s+/i, '')) : findPop3Command(name);
        if (spec && !name.startsWith('.')) {
          ctx.print(commandHelp(spec, ctx));
        } else if (meta) {
          ctx.print([meta.syntax, `  ${metaHelp(meta, wordsOf(ctx))}`]);
        } else {
          throw new MailwireError('usage', `no ${ctx.protocol.toUpperCase()} command or shell command "${name}" (.help lists them)`);
        }
        return;
      }
      const table = commandTable(ctx.protocol);
      const words = wordsOf(ctx);
      ctx.print([
        words.text(`shell.help.${ctx.protocol}-title`),
        ...tableLines(table.map((c) => [c.syntax, summaryOf(c, ctx.protocol, words)]), ctx.columns),
        '',
        words.text('shell.help.shell-title'),
        ...tableLines(META_COMMANDS.map((m) => [m.syntax, metaHelp(m, words)]), ctx.columns),
        '',
        // "{n}" is what the user types, not a placeholder.
        ...wrapped(words.text('shell.help.keys', { n: '{n}' }), Math.min(100, Math.max(40, ctx.columns - 1))),
      ]);
    },
  },
  {
    name: '.state',
    syntax: '.state',
    help: 'the session: target, TLS, state, user, next tag, capabilities, commands waiting, recording, views; the state diagram',
    action(_args, ctx) {
      const s = ctx.state();
      const waiting = ctx.waiting();
      const w = wordsOf(ctx);
      const onOff = (on: boolean) => w.text(on ? 'shell.state.on' : 'shell.state.off');
      const tls = s.tls ? w.text(s.tls.verified ? 'shell.state.tls-verified' : 'shell.state.tls-not-verified', { version: s.tls.version, cipher: s.tls.cipher }) : w.text('shell.state.tls-none');
      ctx.print(
        labelled(w, [
          ['shell.state.target', s.target],
          ['shell.state.tls', tls],
          ['shell.state.state', s.state],
          ['shell.state.user', s.user ?? '-'],
          ...(s.nextTag ? [['shell.state.next-tag', s.nextTag] as const] : []),
          ['shell.state.waiting', waiting.length === 0 ? w.text('shell.state.waiting-none') : waiting.map((p) => `${p.tag ?? ''}${p.tag ? ' ' : ''}${p.name}`).join(', ')],
          ['shell.state.capabilities', s.capabilities.length > 0 ? s.capabilities.join(' ') : unknownCapabilities(w, ctx.protocol, s.capabilitiesVoidedBy ?? null)],
          ['shell.state.recording', ctx.recording ?? w.text('shell.state.recording-off')],
          ['shell.state.views', w.text('shell.state.views-line', { hex: onOff(ctx.views.hex), decoded: onOff(ctx.views.decoded), tree: onOff(ctx.views.tree), explain: onOff(ctx.views.explain === true) })],
        ]),
      );
      // Under the facts, the state machine with the current state marked (RFC 3501 §3, RFC 1939 §3).
      if (ctx.printSpans && s.machineState !== undefined) {
        ctx.printSpans([[], ...stateDiagramLines({ protocol: ctx.protocol, state: s.machineState, language: ctx.language ?? 'en', movedBy: s.movedBy ?? null })]);
      }
    },
  },
  {
    name: '.tls',
    syntax: '.tls',
    help: 'TLS details of the connection: version, cipher, ALPN, SNI, the certificate chain, the verification',
    action(_args, ctx) {
      const t = ctx.state().tls;
      const w = wordsOf(ctx);
      if (!t) {
        ctx.print([w.text('shell.tls.none', { upgrade: ctx.protocol === 'imap' ? 'STARTTLS' : 'STLS' })]);
        return;
      }
      // The whole chain, ALPN, SNI and the verdict in words, as --show-certs shows them.
      if (t.details) {
        ctx.print(formatTlsDetails(t.details, new Date(), w));
        return;
      }
      const verdict = t.verified ? w.text('shell.tls.verified-yes') : `${w.text('shell.tls.verified-no')}${t.verifyError ? `: ${t.verifyError}` : ''}${t.insecure ? ` ${w.text('shell.tls.insecure')}` : ''}`;
      ctx.print(
        labelled(w, [
          ['shell.tls.version', t.version],
          ['shell.tls.cipher', t.cipher],
          ['shell.tls.subject', t.subject || w.text('shell.tls.no-certificate')],
          ['shell.tls.issuer', t.issuer || '-'],
          ['shell.tls.expires', t.validTo || '-'],
          ['shell.tls.verified', verdict],
        ]),
      );
    },
  },
  {
    name: '.pending',
    syntax: '.pending',
    help: 'commands sent whose completion has not come yet, with how long they have been waiting',
    action(_args, ctx) {
      const waiting = ctx.waiting();
      const w = wordsOf(ctx);
      if (waiting.length === 0) {
        ctx.print([w.text('shell.pending.none')]);
        return;
      }
      ctx.print(waiting.map((p) => `${p.tag ? `${p.tag} ` : ''}${p.name}  ${seconds(p.elapsedMs)}${p.awaitingResponse ? `  ${w.text('shell.pending.your-line')}` : ''}`));
    },
  },
  {
    name: '.raw',
    syntax: '.raw TEXT',
    help: 'send TEXT exactly, nothing added; escapes \\r \\n \\t \\0 \\\\ \\xNN (e.g. .raw a1 NOOP\\r\\n)',
    action(args, ctx) {
      const text = args.replace(/^ /, '');
      if (text === '') throw new MailwireError('usage', '.raw needs the text to send, e.g. ".raw a1 NOOP\\r\\n"');
      ctx.sendRaw(parseRawEscapes(text));
    },
  },
  {
    name: '.record',
    syntax: '.record [FILE|stop]',
    help: 'start writing the session to FILE as a transcript (secrets masked), or stop',
    args: ['stop'],
    action(args, ctx) {
      const arg = args.trim();
      const w = wordsOf(ctx);
      if (arg === '') {
        ctx.print([ctx.recording ? w.text('shell.record.to', { path: ctx.recording }) : w.text('shell.record.off')]);
      } else if (arg === 'stop') {
        const path = ctx.recording;
        if (!path) throw new MailwireError('usage', 'not recording');
        ctx.stopRecording();
        ctx.print([w.text('shell.record.stopped', { path })]);
      } else {
        ctx.startRecording(arg);
        ctx.print([w.text('shell.record.to', { path: arg })]);
      }
    },
  },
  viewToggle('.hex', 'hex', 'show the server\'s bytes as a hex dump too, as they arrive'),
  viewToggle('.decode', 'decoded', 'decoded views beside the raw lines: mUTF-7 mailbox names, encoded-words in ENVELOPE'),
  viewToggle('.tree', 'tree', 'BODYSTRUCTURE (and BODY) shown as an indented tree of sections'),
  {
    name: '.explain',
    syntax: '.explain [on|off]',
    help: 'under each line, what it means here, with its RFC section (--lang: en, ru)',
    args: ['on', 'off'],
    action(args, ctx) {
      const on = onOff(args, ctx.views.explain === true, '.explain');
      ctx.setView('explain', on);
      ctx.print([wordsOf(ctx).text(on ? 'shell.explain.on' : 'shell.explain.off')]);
    },
  },
  {
    name: '.quit',
    syntax: '.quit',
    help: 'end the session politely (LOGOUT or QUIT, then close), as Ctrl-D does',
    action(_args, ctx) {
      ctx.quit();
    },
  },
];

/** The command a typed line names (`.help x` → .help), or undefined. `.exit` is `.quit`, as in node. */
export function findMetaCommand(line: string): { command: MetaCommand; args: string } | undefined {
  const m = /^\s*(\.\S*)(.*)$/s.exec(line);
  if (!m) return undefined;
  const name = (m[1] as string).toLowerCase();
  const command = META_COMMANDS.find((c) => c.name === (name === '.exit' ? '.quit' : name));
  return command ? { command, args: m[2] as string } : undefined;
}

/**
 * Why no capabilities are known, and the command that asks for them: none announced yet; a login
 * whose reply announced none (RFC 3501 §6.2.3: they may differ once logged in), or an UNAUTHENTICATE
 * (RFC 8437 §3: as before a login); or a TLS handshake, after which those learnt in clear are void
 * (RFC 3501 §6.2.1, RFC 2595 §4).
 */
function unknownCapabilities(w: Words, protocol: Protocol, voidedBy: string | null): string {
  const command = protocol === 'imap' ? 'CAPABILITY' : 'CAPA';
  if (voidedBy === 'STARTTLS' || voidedBy === 'STLS') return w.text('shell.state.capabilities-void-tls', { command, rfc: protocol === 'imap' ? 'RFC 3501 §6.2.1' : 'RFC 2595 §4' });
  if (voidedBy === 'UNAUTHENTICATE') return w.text('shell.state.capabilities-void-unauthenticate', { command });
  if (voidedBy !== null) return w.text('shell.state.capabilities-void-login', { command, login: voidedBy });
  return w.text('shell.state.capabilities-unknown', { command });
}
