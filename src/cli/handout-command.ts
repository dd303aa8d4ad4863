/**
 * `mailwire handout FILE... -o handout.html`: transcripts made into one self-contained HTML page to
 * hand out or project: each session colored as the terminal shows it, what each line means beside it,
 * the state diagram with the way the session went, and lint's findings at their lines. The page is
 * built by transcript/handout.ts (pure); this file only reads the transcripts and writes the page.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { languageFromEnvironment, type Language } from '../protocol/explain/language.js';
import { Words } from '../protocol/explain/words.js';
import { decodedMarkingInvalid } from '../protocol/display-form.js';
import type { Protocol } from '../session/events.js';
import { parseTranscript, TranscriptFormatError } from '../transcript/format.js';
import { handoutHtml, type HandoutInput } from '../transcript/handout.js';
import { ExitCode } from './exit-codes.js';
import { parseLanguageOption } from './options.js';
import { parseSubcommand } from './subcommand-options.js';
import { shownPath, transcriptFiles, type FilePath } from './transcript-files.js';
import { fileErrorText } from '../file-errors.js';

interface HandoutOptions {
  output?: string;
  protocol?: Protocol;
  lang?: Language;
}

/** A transcript larger than this is no handout (and is not read into memory to find out). */
export const MAX_HANDOUT_FILE_BYTES = 4 * 1024 * 1024;

function buildProgram(): Command {
  return new Command()
    .name('mailwire handout')
    .description('Make transcripts into one HTML page for a class: each line colored and explained, the state diagram, lint findings at their lines.')
    .argument('<transcript...>', 'transcript files, or folders of them (*.txt, searched recursively); one section each, in this order')
    .option('-o, --output <file>', 'the HTML file to write ("-" for standard output)')
    .addOption(new Option('--protocol <name>', 'protocol of transcripts that do not say it ("# protocol:"); else read from their lines').choices(['imap', 'pop3']))
    .option('--lang <code>', 'language of the page, the explanations and lint\'s findings: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parseLanguageOption)
    .addHelpText(
      'after',
      `
The page needs nothing else: no scripts, no fonts or images to load (its Content-Security-Policy forbids
both), so it opens offline, on a projector, and prints one session per page. A transcript's title is its
"# title:" line, else its file name; its "# source:" and "# note:" lines are shown under the title.
Lint findings are shown, not fatal: a slide with mistakes makes a handout that shows them.

Exit codes: 0 written; 2 usage error (no -o, an unknown option); 9 a transcript cannot be read, is no
transcript or is over ${MAX_HANDOUT_FILE_BYTES / 1024 / 1024} MiB, or the page cannot be written.

Examples:
  mailwire handout transcripts/seed -o lecture.html                      every session of the lecture
  mailwire handout transcripts/seed/imap-*.txt -o imap.html --lang ru    the IMAP sessions, in Russian
  mailwire handout session.txt --protocol pop3 -o - > pop3.html          a pasted session without "# protocol:"`,
    );
}


/** A path named as the user would: relative to the working folder when inside it. */
function relativeToCwd(file: FilePath, cwd: string): FilePath {
  if (typeof file !== 'string') {
    // A name that is not UTF-8 (transcript-files.ts): the working folder's bytes cut off its front.
    const prefix = Buffer.from(cwd.endsWith(sep) ? cwd : `${cwd}${sep}`);
    return file.subarray(0, prefix.length).equals(prefix) ? file.subarray(prefix.length) : file;
  }
  const inside = relative(cwd, file);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
}

function readTranscript(file: FilePath, env: Env, protocol: Protocol | undefined): HandoutInput {
  const full = typeof file === 'string' ? resolve(env.cwd, file) : isAbsolute(shownPath(file)) ? file : Buffer.concat([Buffer.from(`${env.cwd}${sep}`), file]);
  const path = shownPath(file);
  let bytes: Buffer;
  try {
    const size = statSync(full).size;
    if (size > MAX_HANDOUT_FILE_BYTES) throw new MailwireError('input', `${path}: ${size} octets, over the ${MAX_HANDOUT_FILE_BYTES / 1024 / 1024} MiB a handout takes`);
    bytes = readFileSync(full);
  } catch (error) {
    if (error instanceof MailwireError) throw error;
    throw new MailwireError('file', `cannot read ${path}: ${fileErrorText(error)}`);
  }
  // Bytes that are not UTF-8 are kept as \xNN (the display form), not decoded into U+FFFD.
  const source = decodedMarkingInvalid(bytes);
  try {
    const transcript = parseTranscript(source);
    if (transcript.lines.length === 0) throw new MailwireError('input', `${path}: no transcript: not one "C:" or "S:" line`);
    return { file: path, source, transcript, ...(protocol ? { protocol } : {}) };
  } catch (error) {
    if (error instanceof TranscriptFormatError) throw new MailwireError('input', `${path}:${error.lineNo}: ${error.message}`);
    throw error;
  }
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<HandoutOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { args, opts } = parsed;
  if (opts.output === undefined || opts.output === '') throw new MailwireError('usage', 'where should the page go? give -o FILE (or -o - for standard output)');
  const output = opts.output;
  const language = opts.lang ?? languageFromEnvironment(env.vars);
  // Named as the user would: relative to the working folder when inside it.
  const files = transcriptFiles(args.map((a) => resolve(env.cwd, a))).map((f) => relativeToCwd(f, env.cwd));
  if (output !== '-' && files.some((f) => typeof f === 'string' && resolve(env.cwd, f) === resolve(env.cwd, output))) {
    throw new MailwireError('usage', `-o ${output} is one of the transcripts: it would be overwritten`);
  }
  const page = handoutHtml(
    files.map((f) => readTranscript(f, env, opts.protocol)),
    language,
  );
  if (output === '-') {
    env.stdout.write(page);
    return ExitCode.Ok;
  }
  try {
    writeFileSync(resolve(env.cwd, output), page);
  } catch (error) {
    throw new MailwireError('file', `cannot write ${output}: ${fileErrorText(error)}`);
  }
  env.stdout.write(`${new Words(language).text('handout.written', { n: files.length, file: output })}\n`);
  return ExitCode.Ok;
}
