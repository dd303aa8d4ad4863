/**
 * Parsing a subcommand's command line with commander, the way the session command does: help goes to
 * standard output, errors become MailwireError('usage'), nothing exits the process.
 */
import { CommanderError, type Command } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';

/** The arguments and options, or null when help was printed. @throws MailwireError('usage') */
export function parseSubcommand<O>(program: Command, argv: readonly string[], env: Env): { args: string[]; opts: O } | null {
  program
    .exitOverride()
    .configureOutput({ writeOut: (s) => env.stdout.write(s), writeErr: (s) => env.stderr.write(s), outputError: () => undefined })
    .showHelpAfterError(false)
    .allowExcessArguments(false);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return null;
      throw new MailwireError('usage', error.message.replace(/^error: /, ''));
    }
    throw error;
  }
  return { args: program.args, opts: program.opts<O & Record<string, unknown>>() };
}
