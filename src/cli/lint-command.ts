/**
 * `mailwire lint FILE|DIR...`: checks transcripts offline against the protocols' formal syntax and
 * rules, and reports each finding with its file, line and rule, compiler style.
 */
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { escapeDisplayText } from '../render/escape.js';
import { makeStyler } from '../render/theme.js';
import type { Protocol } from '../session/events.js';
import { IMAP_GRAMMAR_SOURCES } from '../protocol/imap/grammar.js';
import { lintTranscript, type Finding } from '../transcript/lint.js';
import { colorLevelFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { parseSubcommand } from './subcommand-options.js';
import { loadTranscript, transcriptFiles } from './transcript-files.js';
import { parseLanguageOption } from './options.js';
import { languageFromEnvironment, type Language } from '../protocol/explain/language.js';
import { explainTranscriptLines } from '../protocol/explain/session-explainer.js';
import type { Transcript } from '../transcript/format.js';

interface LintOptions {
  protocol?: Protocol;
  notes: boolean;
  explain: boolean;
  lang?: Language;
  color: boolean;
}

function buildProgram(): Command {
  return new Command()
    .name('mailwire lint')
    .description('Check transcripts offline: every line against the protocol\'s formal syntax, and what a grammar cannot see.')
    .argument('<transcript...>', 'transcript files, or folders of them (*.txt, searched recursively)')
    .addOption(new Option('--protocol <name>', 'protocol of transcripts that do not say it ("# protocol:")').choices(['imap', 'pop3']))
    .option('--no-notes', 'leave out notes (elisions, lines not checked), show errors only')
    .option('--explain', 'under each finding, its line and what that line means, with its RFC section', false)
    .option('--lang <code>', 'language of the explanations: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parseLanguageOption)
    .option('--no-color', 'no colors, even on a terminal')
    .addHelpText(
      'after',
      `
Checks: grammar (IMAP: ${IMAP_GRAMMAR_SOURCES}; POP3: RFC 2449 §3 and RFC 1939's commands, SASL challenges), response codes,
tags of completions, literal octet counts, the "+" before a synchronizing literal, POP3 multi-line replies
ended by ".", line lengths (POP3), commands valid in the session state and offered by the announced
capabilities (LOGINDISABLED included), APOP digests against a "# secret: USER SECRET" line, captures used
before they are set.

A session held to IMAP4rev1 or IMAP4rev2 by what it shows (CAPABILITY, ENABLE IMAP4rev2) gets a note for
syntax only the other allows; one that does not show it may use either. A transcript that does not start
with a greeting is a fragment: its state is unknown until a line shows it, and so after an elision ("...",
"[...]"); a "# state: selected" line declares it. Elisions are notes, not errors.

Exit codes: 0 no errors (notes do not count); 1 errors found; 2 usage error; 9 a file cannot be read.

Examples:
  mailwire lint transcripts/rfc                   every transcript under the folder
  mailwire lint session.txt --no-notes            errors only
  mailwire lint --protocol pop3 pasted.txt        a pasted example without "# protocol:"
See docs/transcripts.md.`,
    );
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<LintOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { args, opts } = parsed;
  const style = makeStyler(colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars }));
  let errors = 0;
  let notes = 0;
  const files = transcriptFiles(args);
  const language = opts.lang ?? languageFromEnvironment(env.vars);
  for (const path of files) {
    const loaded = loadTranscript(path);
    let findings: Finding[];
    let explained: (lineNo: number) => string[] = () => [];
    if ('error' in loaded) {
      if (loaded.error.code === 'file') throw loaded.error;
      findings = [{ lineNo: null, severity: 'error', rule: 'format', message: loaded.error.message.replace(`${path}:`, 'line ') }];
    } else {
      findings = lintTranscript(loaded.transcript, opts.protocol ? { protocol: opts.protocol } : {});
      if (opts.explain) explained = explainedLines(loaded.transcript, opts.protocol, language, style);
    }
    for (const f of findings) {
      if (f.severity === 'error') errors++;
      else notes++;
      if (f.severity === 'note' && !opts.notes) continue;
      const where = `${path}${f.lineNo === null ? '' : `:${f.lineNo}`}: `;
      env.stdout.write(
        `${style([
          // Paths and findings quote the file's bytes: a transcript is anyone's.
          { role: 'text', text: escapeDisplayText(where) },
          { role: f.severity === 'error' ? 'status-no' : 'notice-info', text: f.severity },
          { role: 'annotation', text: ` [${f.rule}] ` },
          { role: 'text', text: escapeDisplayText(f.message) },
        ])}\n`,
      );
      if (f.lineNo !== null) for (const line of explained(f.lineNo)) env.stdout.write(`${line}\n`);
    }
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${plural(files.length, 'transcript')}: ${plural(errors, 'error')}, ${plural(notes, 'note')}`;
  env.stdout.write(`${style([{ role: errors > 0 ? 'status-no' : 'status-ok', text: summary }])}\n`);
  return errors > 0 ? ExitCode.Failed : ExitCode.Ok;
}

/**
 * --explain: under a finding, the line it is about and what that line means in its session (the
 * slide's line, and why it is read as it is). Transcript text is escaped before it is shown.
 */
function explainedLines(
  transcript: Transcript,
  protocolOption: Protocol | undefined,
  language: Language,
  style: ReturnType<typeof makeStyler>,
): (lineNo: number) => string[] {
  const protocol = protocolOption ?? transcript.directives.protocol;
  if (!protocol) return () => [];
  const byLine = explainTranscriptLines(protocol, transcript.lines, language);
  const lines = new Map(transcript.lines.map((l) => [l.lineNo, l]));
  return (lineNo) => {
    const line = lines.get(lineNo);
    if (!line) return [];
    const shown = [style([{ role: line.direction === 'C' ? 'prefix-client' : 'prefix-server', text: `    ${line.direction}: ` }, { role: 'text', text: escapeDisplayText(line.text) }])];
    for (const e of byLine.get(lineNo) ?? []) {
      shown.push(style([{ role: 'explanation', text: `    # ${escapeDisplayText(e.text)}` }, { role: 'explanation-rfc', text: ` (${e.rfc})` }]));
    }
    return shown;
  };
}
