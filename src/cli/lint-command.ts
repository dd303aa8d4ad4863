/**
 * `mailwire lint FILE|DIR...`: checks transcripts offline against the protocols' formal syntax and
 * rules, and reports each finding with its file, line and rule, compiler style.
 */
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { displayFormOfText, textOfDisplayForm } from '../protocol/display-form.js';
import { escapeDisplayText } from '../render/escape.js';
import { makeStyler } from '../render/theme.js';
import type { Protocol } from '../session/events.js';
import { IMAP_GRAMMAR_SOURCES } from '../protocol/imap/grammar.js';
import { LintPrologue, TranscriptLint, type Finding } from '../transcript/lint.js';
import { lintText, lintWords } from '../transcript/lint-text.js';
import { TranscriptReader } from '../transcript/transcript-reader.js';
import { MailwireError } from '../errors.js';
import { colorLevelFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { parseSubcommand } from './subcommand-options.js';
import { readTranscriptFile, shownPath, transcriptFiles } from './transcript-files.js';
import { parseLanguageOption } from './options.js';
import { languageFromEnvironment, type Language } from '../protocol/explain/language.js';
import { SessionExplainer, type Explanation } from '../protocol/explain/session-explainer.js';
import { TranscriptFormatError, type Directives, type TranscriptItem, type TranscriptLine } from '../transcript/format.js';

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
    .option('--lang <code>', 'language of the findings, the summary and the explanations: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parseLanguageOption)
    .option('--no-color', 'no colors, even on a terminal')
    .addHelpText(
      'after',
      `
Checks: grammar (IMAP: ${IMAP_GRAMMAR_SOURCES}; POP3: RFC 2449 §3 and RFC 1939's commands, SASL challenges), response codes,
tags of completions, literal octet counts, the "+" before a synchronizing literal, POP3 multi-line replies
ended by ".", line lengths (POP3), commands valid in the session state and offered by the announced
capabilities (LOGINDISABLED included), extension syntax the server announced, EXPUNGE only where
RFC 3501 §7.4.1 allows it, APOP digests against a "# secret: USER SECRET" line, captures used before they
are set.

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
    const name = shownPath(path);
    const write = (f: Pick<Finding, 'lineNo' | 'severity' | 'rule' | 'message'>, explained: (lineNo: number) => string[]): void => {
      if (f.severity === 'error') errors++;
      else notes++;
      if (f.severity === 'note' && !opts.notes) return;
      const where = `${name}${f.lineNo === null ? '' : `:${f.lineNo}`}: `;
      env.stdout.write(
        `${style([
          // Paths and findings quote the file's bytes: a transcript is anyone's.
          { role: 'text', text: escapeDisplayText(where) },
          { role: f.severity === 'error' ? 'status-no' : 'notice-info', text: lintWords(lintText(`lint.severity.${f.severity}`), language) },
          { role: 'annotation', text: ` [${f.rule}] ` },
          { role: 'text', text: escapeDisplayText(f.message) },
        ])}\n`,
      );
      if (f.lineNo !== null) for (const line of explained(f.lineNo)) env.stdout.write(`${line}\n`);
    };
    // First pass: what the whole file says of itself (a format error anywhere is the one finding).
    const prologue = readTranscriptFile(path, (chunks): { formatError: TranscriptFormatError } | { directives: Directives; guess: LintPrologue } => {
      const reader = new TranscriptReader();
      const guess = new LintPrologue();
      try {
        for (const chunk of chunks) for (const item of reader.push(chunk)) guess.item(item);
        for (const item of reader.end()) guess.item(item);
      } catch (error) {
        // Not a transcript this mailwire reads: that is the one finding, in the reader's language.
        if (error instanceof TranscriptFormatError) return { formatError: error };
        throw error;
      }
      return { directives: reader.parser.directives, guess };
    });
    if ('error' in prologue) {
      if (prologue.error.code === 'file') throw prologue.error;
      const message = prologue.error.message.replace(`${name}:`, 'line ');
      write({ lineNo: null, severity: 'error', rule: 'format', message }, () => []);
      continue;
    }
    if ('formatError' in prologue.value) {
      const { formatError } = prologue.value;
      const text = lintText('lint.at-line', { line: formatError.lineNo, message: formatError.text });
      write({ lineNo: null, severity: 'error', rule: 'format', message: escapeDisplayText(lintWords(text, language)) }, () => []);
      continue;
    }
    // Second pass: the lines, linted as they are read; findings written as they are settled.
    const { directives, guess } = prologue.value;
    const explainProtocol = opts.protocol ?? directives.protocol;
    const explainer = opts.explain && explainProtocol ? new LineExplanations(explainProtocol, language, style) : null;
    const lint = new TranscriptLint(directives, guess, { ...(opts.protocol ? { protocol: opts.protocol } : {}), language }, (f) => write(f, (lineNo) => explainer?.shown(lineNo) ?? []));
    const second = readTranscriptFile(path, (chunks) => {
      const reader = new TranscriptReader();
      const take = (items: TranscriptItem[]): void => {
        for (const item of items) {
          if (item.kind === 'line') explainer?.line(item.line);
          lint.item(item);
          explainer?.forgetBefore(lint.settledBefore);
        }
      };
      for (const chunk of chunks) take(reader.push(chunk));
      take(reader.end());
      lint.end();
    });
    // The file was read whole a moment ago: failing now means it changed or went away meanwhile.
    if ('error' in second) throw second.error.code === 'file' ? second.error : new MailwireError('file', `${name} changed while it was read: ${second.error.message}`);
  }
  const summary = lintWords(lintText('lint.summary', { files: files.length, errors, notes }), language);
  env.stdout.write(`${style([{ role: errors > 0 ? 'status-no' : 'status-ok', text: summary }])}\n`);
  return errors > 0 ? ExitCode.Failed : ExitCode.Ok;
}

/**
 * --explain: under a finding, the line it is about and what that line means in its session (the
 * slide's line, and why it is read as it is). Lines are explained as they are read; what is kept of
 * them is only what a finding still to be written may be about. Transcript text is escaped before it
 * is shown.
 */
class LineExplanations {
  private readonly explainer: SessionExplainer;
  private readonly kept = new Map<number, { line: TranscriptLine; explanations: Explanation[] }>();

  constructor(
    protocol: Protocol,
    language: Language,
    private readonly style: ReturnType<typeof makeStyler>,
  ) {
    this.explainer = new SessionExplainer(protocol, language, { transcript: true });
  }

  line(line: TranscriptLine): void {
    // The explainer reads the text the line stands for (its escapes undone); what it says is shown in
    // display form, as the line is.
    const text = textOfDisplayForm(line.text);
    const explanations = line.direction === 'C' ? this.explainer.client(text) : this.explainer.server(text);
    this.kept.set(line.lineNo, { line, explanations });
  }

  /** Lines before this one will not be asked for again (the map is in line order). */
  forgetBefore(lineNo: number): void {
    for (const key of this.kept.keys()) {
      if (key >= lineNo) break;
      this.kept.delete(key);
    }
  }

  shown(lineNo: number): string[] {
    const kept = this.kept.get(lineNo);
    if (!kept) return [];
    const { line, explanations } = kept;
    const shown = [this.style([{ role: line.direction === 'C' ? 'prefix-client' : 'prefix-server', text: `    ${line.direction}: ` }, { role: 'text', text: escapeDisplayText(line.text) }])];
    for (const e of explanations) {
      shown.push(this.style([{ role: 'explanation', text: `    # ${displayFormOfText(e.text)}` }, { role: 'explanation-rfc', text: ` (${e.rfc})` }]));
    }
    return shown;
  }
}
