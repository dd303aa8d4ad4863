/**
 * `mailwire learn FIRST SECOND [--write]`: finds the volatile values of a session from two recordings
 * of it made on the same starting state, and shows, as a diff to review, the patterns FIRST would get;
 * `--write` writes them into FIRST. What the two runs disagree on beyond values is reported, never
 * patterned away.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { escapeDisplayText } from '../render/escape.js';
import { makeStyler } from '../render/theme.js';
import { formatLine, type TranscriptLine } from '../transcript/format.js';
import { learnFromRuns } from '../transcript/learn.js';
import { colorLevelFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { parseSubcommand } from './subcommand-options.js';
import { loadTranscript } from './transcript-files.js';
import { fileErrorText } from '../file-errors.js';

interface LearnOptions {
  write: boolean;
  color: boolean;
}

export const LEARN_HELP_AFTER = `
Run the same session twice on the same starting state (the same mail, a fresh server or the same one
reset), recording each run, then compare the two. A value the server said differently in the two runs
(a number, an atom, a quoted string, a <...> id) becomes a pattern in FIRST; a value that agrees stays
literal, so a real regression is never patterned away. Statuses (OK/NO/BAD, +OK/-ERR), response names,
response-code names, message numbers, counts and sizes (EXISTS, STATUS MESSAGES, [UNSEEN n],
RFC822.SIZE, POP3 LIST), literal data and the text of a message (RETR, TOP) are never patterns: where
the runs differ in those, the difference is shown and not learnt. A response only one run sends is one
difference: the others still pair up as replay matches them (IMAP untagged responses in any order,
POP3 lines in order). Values every
recording gets anyway (SESSIONID, MAILBOXID, MODSEQ, ...) are listed in docs/volatile-values.md.

Examples:
  mailwire imap://mail.example.org --record run1.txt -c 'LOGIN joe' -c 'SELECT INBOX' -c LOGOUT
  mailwire imap://mail.example.org --record run2.txt -c 'LOGIN joe' -c 'SELECT INBOX' -c LOGOUT
  mailwire learn run1.txt run2.txt            # shows the patterns run1.txt would get
  mailwire learn run1.txt run2.txt --write    # and writes them into run1.txt

Exit codes: 0 the runs agree but for values (learnt or not yet written); 1 they differ in something
that is not a value (shown); 2 usage error; 9 a file cannot be read or written. See docs/transcripts.md.`;

function buildProgram(): Command {
  return new Command()
    .name('mailwire learn')
    .description('Find the values a server changes between two runs of the same session, and make them patterns.')
    .argument('<first>', 'a recording of the session: the file that gets the patterns')
    .argument('<second>', 'a recording of the same session run again on the same starting state')
    .option('--write', 'write the patterns into FIRST (without it, only show them)', false)
    .option('--no-color', 'no colors, even on a terminal')
    .addHelpText('after', LEARN_HELP_AFTER);
}

function load(path: string) {
  const loaded = loadTranscript(path);
  if ('error' in loaded) throw loaded.error;
  return loaded.transcript;
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<LearnOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const [firstPath, secondPath] = parsed.args as [string, string];
  const { opts } = parsed;
  const style = makeStyler(colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars }));
  const first = load(firstPath);
  const second = load(secondPath);
  const protocol = first.directives.protocol ?? second.directives.protocol;
  if (protocol === undefined) throw new MailwireError('input', `${firstPath}: no "# protocol:" line: learn compares recordings, which say their protocol`);
  if (second.directives.protocol !== undefined && second.directives.protocol !== protocol) {
    throw new MailwireError('input', `${firstPath} is ${protocol.toUpperCase()} and ${secondPath} is ${second.directives.protocol.toUpperCase()}: not two runs of one session`);
  }

  const { learnt, disagreements } = learnFromRuns(first, second, protocol);
  const out = (spans: Parameters<typeof style>[0]) => env.stdout.write(`${style(spans)}\n`);
  const shown = (line: TranscriptLine | null) => (line === null ? '(nothing)' : escapeDisplayText(formatLine(line)));
  for (const change of learnt) {
    out([{ role: 'text', text: `${escapeDisplayText(firstPath)}:${change.line.lineNo}` }]);
    out([{ role: 'status-no', text: `- ${shown(change.line)}` }]);
    out([{ role: 'status-ok', text: `+ ${escapeDisplayText(formatLine({ ...change.line, text: change.text }))}` }]);
  }
  for (const d of disagreements) {
    const where = d.first ? `${firstPath}:${d.first.lineNo}` : d.second ? `${secondPath}:${d.second.lineNo}` : firstPath;
    out([{ role: 'text', text: `${escapeDisplayText(where)}: ` }, { role: 'status-bad', text: 'not learnt' }, { role: 'text', text: `: ${escapeDisplayText(d.reason)}` }]);
    out([{ role: 'text', text: `  ${shown(d.first)}` }, { role: 'annotation', text: '   (first run)' }]);
    out([{ role: 'text', text: `  ${shown(d.second)}` }, { role: 'annotation', text: '   (second run)' }]);
  }

  const values = learnt.reduce((n, c) => n + c.values, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const nothing = disagreements.length === 0 ? 'nothing to learn: the runs agree on every value' : 'nothing to learn';
  let summary = learnt.length === 0 ? nothing : `${plural(values, 'value')} in ${plural(learnt.length, 'line')} ${values === 1 ? 'becomes a pattern' : 'become patterns'}`;
  if (learnt.length > 0) {
    if (opts.write) {
      const source = readFileSync(firstPath, 'utf8');
      const newline = source.includes('\r\n') ? '\r\n' : '\n';
      const fileLines = source.split(/\r?\n/);
      for (const change of learnt) fileLines[change.line.lineNo - 1] = formatLine({ ...change.line, text: change.text });
      try {
        writeFileSync(firstPath, fileLines.join(newline));
      } catch (error) {
        throw new MailwireError('file', `cannot write ${firstPath}: ${fileErrorText(error)}`);
      }
      summary += `: written to ${firstPath}`;
    } else {
      summary += ` (not written: add --write)`;
    }
  }
  if (disagreements.length > 0) summary += `; ${plural(disagreements.length, 'difference')} not learnt`;
  out([{ role: disagreements.length > 0 ? 'status-no' : 'status-ok', text: escapeDisplayText(summary) }]);
  return disagreements.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}
