/**
 * `mailwire help [COMMAND]`: the help of the session command, or of one subcommand, as git and npm
 * give it. The same text as `mailwire --help` and `mailwire COMMAND --help`.
 */
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import { findSubcommand, SUBCOMMANDS } from './subcommands.js';

export async function run(argv: readonly string[], env: Env): Promise<number> {
  if (argv.length > 1) throw new MailwireError('usage', `one command at a time: mailwire help ${argv[0] ?? ''}`);
  const name = argv[0];
  if (name === undefined || name === 'mailwire' || name === 'session') {
    const { parseCommandLine } = await import('./options.js');
    parseCommandLine(['--help'], { out: (s) => env.stdout.write(s), err: (s) => env.stderr.write(s) });
    return ExitCode.Ok;
  }
  const sub = name === 'help' ? undefined : findSubcommand(name);
  if (!sub) {
    const names = SUBCOMMANDS.filter((s) => s.name !== 'help').map((s) => s.name).join(', ');
    throw new MailwireError('usage', `no command "${name}" (there are ${names}; mailwire help alone tells of the session command)`);
  }
  return (await sub.load()).run(['--help'], env);
}
