/**
 * Parsing a subcommand's command line with commander, the way the session command does: help goes to
 * standard output, errors become MailwireError('usage'), nothing exits the process.
 */
import { CommanderError, Help, type Command, type Option } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';

/** The arguments and options, or null when help was printed. @throws MailwireError('usage') */
export function parseSubcommand<O>(program: Command, argv: readonly string[], env: Env): { args: string[]; opts: O } | null {
  program
    .exitOverride()
    .configureOutput({ writeOut: (s) => env.stdout.write(s), writeErr: (s) => env.stderr.write(s), outputError: () => undefined })
    .showHelpAfterError(false)
    .allowExcessArguments(false)
    .configureHelp(QUIET_DEFAULTS);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return null;
      throw new MailwireError('usage', usageMessage(error));
    }
    throw error;
  }
  return { args: program.args, opts: program.opts<O & Record<string, unknown>>() };
}

/**
 * Help that leaves out defaults that tell a reader nothing: none (null), off (false), an empty list.
 * commander prints them as "(default: null)", "(default: false)", "(default: [])".
 */
export const QUIET_DEFAULTS: Partial<Help> = {
  optionDescription(this: Help, option: Option): string {
    const value: unknown = option.defaultValue;
    const quiet = value === null || value === false || (Array.isArray(value) && value.length === 0);
    if (!quiet) return Help.prototype.optionDescription.call(this, option);
    const withoutDefault = Object.assign(Object.create(Object.getPrototypeOf(option) as object) as Option, option, { defaultValue: undefined });
    return Help.prototype.optionDescription.call(this, withoutDefault);
  },
};

/** commander's error messages, in mailwire's words where commander's read as a program's. */
export function usageMessage(error: CommanderError): string {
  const message = error.message.replace(/^error: /, '');
  const excess = /^too many arguments(?: for '[^']*')?\. Expected (\d+) arguments? but got (\d+)\.$/.exec(message);
  if (excess) return `${excess[2]} arguments given where ${excess[1]} ${excess[1] === '1' ? 'is' : 'are'} expected`;
  const option = /^option '([^']*)' argument '(.*)' is invalid\. (.*)$/s.exec(message);
  if (option) return `${longFlag(option[1] as string)} "${option[2]}": ${option[3]}`;
  const argument = /^command-argument value '(.*)' is invalid for argument '([^']*)'\. (.*)$/s.exec(message);
  if (argument) return `"${argument[1]}" is no ${argument[2]}: ${(argument[3] as string).replace(/^Allowed choices are /, 'one of ').replace(/\.$/, '')}`;
  return message;
}

/** "--timeout" of "--timeout <seconds>", "-c, --command <line>". */
function longFlag(flags: string): string {
  return /--[a-z0-9-]+/.exec(flags)?.[0] ?? flags;
}
