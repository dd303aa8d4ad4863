/**
 * Subcommands beside the session command (`mailwire <target>`), each in its own module loaded only
 * when it runs. A module exports `run(argv, env)`: argv after the subcommand's name; it returns the
 * exit code or throws a MailwireError, which main() reports.
 */
import type { Env } from '../env.js';

export interface SubcommandModule {
  run(argv: readonly string[], env: Env): Promise<number>;
}

export interface Subcommand {
  name: string;
  /** One line for `mailwire --help`. */
  summary: string;
  load: () => Promise<SubcommandModule>;
}

/** The registry. A target that happens to equal a name here needs a URL (imap://replay). */
export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'replay',
    summary: 'play transcripts against a server and compare its replies (regression tests)',
    load: () => import('./replay-command.js'),
  },
  {
    name: 'lint',
    summary: 'check transcripts offline against the protocols\' formal syntax and rules',
    load: () => import('./lint-command.js'),
  },
  {
    name: 'learn',
    summary: 'find the values a server changes between two runs of a session, and make them patterns',
    load: () => import('./learn-command.js'),
  },
  {
    name: 'serve',
    summary: 'play the server side of a transcript to a client, checking what it sends',
    load: () => import('./serve-command.js'),
  },
  {
    name: 'proxy',
    summary: 'stand between a mail client and its server: show and record what both say',
    load: () => import('./proxy-command.js'),
  },
  {
    name: 'step',
    summary: 'walk a transcript one exchange at a time, explained, for a projector',
    load: () => import('./step-command.js'),
  },
  {
    name: 'handout',
    summary: 'make transcripts into one HTML page for a class: colored, explained, with the state diagram',
    load: () => import('./handout-command.js'),
  },
  {
    name: 'demo',
    summary: 'start the built-in sandbox server (POP3 + IMAP4, example messages) and talk to it',
    load: () => import('./demo-command.js'),
  },
  {
    name: 'sandbox',
    summary: 'run the built-in POP3 + IMAP4 sandbox server alone, for other clients and for a class',
    load: () => import('./sandbox-command.js'),
  },
];

/**
 * `mailwire help [COMMAND]`, as git and npm have it: the argv of the same help given the usual way
 * (`mailwire --help`, `mailwire lint --help`), or null when COMMAND is none of ours.
 */
export function helpArgv(argv: readonly string[]): string[] | null {
  const name = argv[1];
  if (argv.length > 2) return null;
  if (name === undefined || name === 'mailwire' || name === 'help' || name === '--help' || name === '-h') return ['--help'];
  return findSubcommand(name) ? [name, '--help'] : null;
}

export function findSubcommand(name: string | undefined): Subcommand | undefined {
  return name === undefined ? undefined : SUBCOMMANDS.find((s) => s.name === name);
}

/** The subcommand list for the session command's --help. */
export function subcommandHelp(): string {
  if (SUBCOMMANDS.length === 0) return '';
  const lines = [...SUBCOMMANDS, { name: 'help', summary: "this help, or a command's: mailwire help lint" }];
  const width = Math.max(...lines.map((s) => s.name.length));
  return `\nOther commands (mailwire help COMMAND for each):\n${lines.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`).join('\n')}\n`;
}
