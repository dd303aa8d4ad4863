/**
 * `mailwire replay`'s command line through commander, built from the option table
 * (replay-options.ts): help, errors and the forms the plain parser leaves.
 */
import { Command } from 'commander';
import type { Env } from '../env.js';
import { commanderOption } from './options.js';
import { REPLAY_HELP_AFTER, REPLAY_OPTIONS, replayOptionsOf, type ReplayOptions } from './replay-options.js';
import { parseSubcommand } from './subcommand-options.js';

function buildProgram(): Command {
  const program = new Command()
    .name('mailwire replay')
    .description('Play transcripts against a server and compare its replies with theirs: regression tests for a mail server.')
    .argument('<transcript...>', 'transcript files, or folders of them (*.txt, searched recursively)');
  for (const spec of REPLAY_OPTIONS) program.addOption(commanderOption(spec));
  return program.addHelpText('after', REPLAY_HELP_AFTER);
}

/** The transcripts and options, or null when help was printed. @throws MailwireError('usage') */
export function parseReplayCommandLine(argv: readonly string[], env: Env): { args: string[]; opts: ReplayOptions } | null {
  const parsed = parseSubcommand<Record<string, unknown>>(buildProgram(), argv, env);
  return parsed ? replayOptionsOf(parsed) : null;
}
