/**
 * Help that teaches: `mailwire help [COMMAND]`, an Examples section in every command's help whose
 * options are that command's own, and usage errors that name the command once and point at its help.
 */
import { describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../../src/cli/subcommands.js';
import { runMain } from '../support/cli.js';

const COMMANDS = SUBCOMMANDS.map((s) => s.name);

/** The example lines of a help text: from "Examples:" to the first line that is not indented. */
function examples(help: string): string[] {
  const after = help.split('\nExamples:\n')[1];
  if (after === undefined) return [];
  const lines: string[] = [];
  for (const line of after.split('\n')) {
    if (!line.startsWith('  ')) break;
    if (/\bmailwire /.test(line)) lines.push(line.trim());
  }
  return lines;
}

describe('mailwire help', () => {
  it('mailwire help is mailwire --help', async () => {
    const help = await runMain(['help']);
    const dashed = await runMain(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toBe(dashed.stdout);
    expect(help.stdout).toContain('Usage: mailwire');
    expect(help.stdout).toContain('Other commands (mailwire help COMMAND for each):');
  });

  it.each(COMMANDS)('mailwire help %s prints the same as its --help', async (name) => {
    const help = await runMain(['help', name]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runMain([name, '--help'])).stdout);
    expect(help.stdout).toContain(`Usage: mailwire ${name}`);
  });

  it('an unknown command is a usage error that lists the commands', async () => {
    const r = await runMain(['help', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mailwire help: no command "frobnicate" (there are ${COMMANDS.join(', ')}; mailwire help alone tells of the session command) (see mailwire --help)\n`);
  });

  it.each(['', ...COMMANDS])('the help of "mailwire %s" has examples, and their options are its own', async (name) => {
    const help = (await runMain(name === '' ? ['--help'] : [name, '--help'])).stdout;
    const lines = examples(help);
    expect(lines.length, help).toBeGreaterThanOrEqual(3);
    const options = new Set(help.match(/^\s+(?:-\w, )?--[\w-]+/gm)?.flatMap((o) => o.trim().split(', ')) ?? []);
    for (const line of lines) {
      expect(line).toMatch(name === '' ? /^(?:\w+=\S+ )?mailwire (?!mailwire)/ : new RegExp(`(?:^|then.*: |\\w+=\\S+ )mailwire ${name}\\b|mailwire imap://`));
      for (const used of line.match(/(?<=\s)--?[a-z][\w-]*/g) ?? []) {
        if (/^-\w$/.test(used) && used !== '-c' && used !== '-v' && used !== '-u' && used !== '-j' && used !== '-k') continue;
        const known = [...options].some((o) => o === used || o.startsWith(`${used} `));
        if (!line.includes(`mailwire ${name}`) && name !== '') continue; // a line showing another command
        expect(known, `${used} in "${line}" is not an option of mailwire ${name}`).toBe(true);
      }
    }
  });
});

describe('usage errors', () => {
  it.each([
    [['lint'], "mailwire lint: missing required argument 'transcript' (see mailwire lint --help)\n"],
    [['replay'], "mailwire replay: missing required argument 'transcript' (see mailwire replay --help)\n"],
    [['serve'], "mailwire serve: missing required argument 'transcript' (see mailwire serve --help)\n"],
    [['sandbox', '--cert', 'x.pem'], 'mailwire sandbox: --cert and --key go together (see mailwire sandbox --help)\n'],
    [['demo', '--frobnicate'], "mailwire demo: unknown option '--frobnicate' (see mailwire demo --help)\n"],
    [['--frobnicate', 'imap://h'], "mailwire: unknown option '--frobnicate' (see mailwire --help)\n"],
    [['help'.padEnd(5, 'x')], 'mailwire: cannot tell the protocol of "helpx": use a URL (imap://, pop3://, ...) or --protocol imap|pop3 (see mailwire --help)\n'],
  ])('mailwire %j says which command, once, and points at its help', async (argv, message) => {
    const r = await runMain(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
    expect(r.stderr.match(/mailwire/g)?.length).toBe(2);
  });
});

describe('help and usage errors in plain words', () => {
  it('shows no default that says nothing (null, false, an empty list), and a number as a number', async () => {
    for (const argv of [['--help'], ['replay', '--help'], ['proxy', '--help'], ['sandbox', '--help']]) {
      const r = await runMain(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout, argv.join(' ')).not.toMatch(/default: (null|false|\[\]|"\d+")/);
    }
    expect((await runMain(['--help'])).stdout).toMatch(/\(default: 30\)/);
  });

  it('takes "help --help" as "help"', async () => {
    const r = await runMain(['help', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mailwire \[options\] <target>/);
  });

  it('words commander\'s errors for a person: extra arguments, a bad option value, a bad choice', async () => {
    expect((await runMain(['imap://a', 'b'])).stderr).toBe('mailwire: 2 arguments given where 1 is expected (see mailwire --help)\n');
    expect((await runMain(['imap://a', '--timeout', 'soon'])).stderr).toBe('mailwire: --timeout "soon": expected a number of seconds (0 for none) (see mailwire --help)\n');
  });

  it('tells a first word that is no command from a target: the job asked for, a near command, or the extra word', async () => {
    const list = COMMANDS.join(', ');
    const explain = await runMain(['explain', 'session.txt']);
    expect([explain.code, explain.stdout]).toEqual([2, '']);
    expect(explain.stderr).toBe(`mailwire: no command "explain": a session explains itself with --explain, a transcript with mailwire step FILE or mailwire handout FILE (commands: ${list}) (see mailwire --help)\n`);
    expect((await runMain(['repaly', 'a.txt'])).stderr).toContain('no command "repaly": did you mean mailwire replay?');
    expect((await runMain(['LINT', 'a.txt'])).stderr).toContain('did you mean mailwire lint?');
    expect((await runMain(['localhost', 'NOOP'])).stderr).toBe(`mailwire: "NOOP" is one argument too many: commands for the server go with -c, and "localhost" is no command of mailwire's (${list}) (see mailwire --help)\n`);
    // Alone, a word that asks for a job is told so too; another word alone is a host, as before.
    expect((await runMain(['explain'])).stderr).toContain('no command "explain": a session explains itself with --explain');
    expect((await runMain(['mailhost'])).stderr).toContain('cannot tell the protocol of "mailhost"');
    // A word with options after it is a target, as before; so is a host name with a dot.
    expect((await runMain(['mail.example.org', 'NOOP'])).stderr).toContain('2 arguments given where 1 is expected');
  });
});
