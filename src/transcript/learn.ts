/**
 * Learning volatile values from two runs of the same session on the same starting state (two
 * recordings): a value the server said differently in the two runs (a number, an atom, a quoted
 * string, a `<...>` id) becomes a pattern in the first; a value that agrees stays literal, so a real
 * regression (`* 18 EXISTS` becoming `* 17 EXISTS` against the same mail) is never patterned away.
 * Statuses (OK/NO/BAD, +OK/-ERR), response names, response-code names and the number that opens an
 * untagged response (`* 3 EXISTS`, `* 2 FETCH`) are never patterns: where the runs differ in one of
 * those, or in literal data, or in the shape of a line, the difference is reported, not learnt. The table of known values (volatile-values.ts) is the curated form of this;
 * learning is the way out for values nobody listed. Pure: two parsed transcripts in, changes out.
 */
import type { Protocol } from '../session/events.js';
import type { Transcript, TranscriptLine } from './format.js';
import { pairResponses, type RunResponse } from './learn-pairing.js';
import { buildScript, type Step } from './script.js';
import { holdsHole, rewriteRecordedSteps } from './volatile-rewrite.js';

/** A server line of the first run that gets patterns. */
export interface LearntLine {
  line: TranscriptLine;
  /** The line's new text (after the prefix). */
  text: string;
  /** How many values became patterns. */
  values: number;
}

/** Where the runs differ in something that is not a value. */
export interface Disagreement {
  /** The first run's line (null when it has no line there). */
  first: TranscriptLine | null;
  /** The second run's line (null when it has no line there). */
  second: TranscriptLine | null;
  reason: string;
}

export interface LearnResult {
  learnt: LearntLine[];
  disagreements: Disagreement[];
}

type TokenKind = 'space' | 'punct' | 'quoted' | 'id' | 'atom';
interface Token {
  kind: TokenKind;
  text: string;
}

const PUNCT = '()[]{}';

/** Splits display text into tokens, linearly; quoted strings and `<...>` ids are one token each. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    let end = i + 1;
    let kind: TokenKind;
    if (c === ' ') {
      kind = 'space';
      while (text[end] === ' ') end++;
    } else if (PUNCT.includes(c)) {
      kind = 'punct';
    } else if (c === '"') {
      kind = 'quoted';
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end = Math.min(end + 1, text.length);
    } else if (c === '<' && text.indexOf('>', i) > i && !text.slice(i, text.indexOf('>', i)).includes(' ')) {
      kind = 'id';
      end = text.indexOf('>', i) + 1;
    } else {
      kind = 'atom';
      while (end < text.length && !' ()[]{}"<'.includes(text[end] as string)) end++;
    }
    tokens.push({ kind, text: text.slice(i, end) });
    i = end;
  }
  return tokens;
}

const STATUS_WORDS = new Set(['OK', 'NO', 'BAD', 'BYE', 'PREAUTH', '+OK', '-ERR']);

/** Names whose value is a count, a message number or a size (RFC 3501 §6.3.10, §7.1, §7.4.2). */
const COUNT_NAMES = new Set(['MESSAGES', 'RECENT', 'UNSEEN', 'RFC822.SIZE']);

/**
 * Tokens that name rather than carry a value: the line's first word (tag, `*`, `+`, `+OK`), a status
 * word and the response name after it (`* 3 EXISTS`, `* OK`, `A1 NO`), the name that opens a
 * response code (`[UIDVALIDITY`), and any word of letters alone that the runs spell differently.
 */
function namePositions(tokens: readonly Token[], startsResponse: boolean, leadingNumbers: number): Set<number> {
  const names = new Set<number>();
  const words = tokens.map((t, i) => [t, i] as const).filter(([t]) => t.kind !== 'space');
  // A POP3 listing's message number (and, for LIST, its size): what the line is about.
  for (const [, i] of words.slice(0, leadingNumbers)) names.add(i);
  // The value after a count's or a message number's name: STATUS (MESSAGES 3 RECENT 0 UNSEEN 1),
  // [UNSEEN 12], RFC822.SIZE 743. A size that differs is a message that differs.
  words.forEach(([t], k) => {
    const next = words[k + 1];
    if (next && t.kind === 'atom' && COUNT_NAMES.has(t.text.toUpperCase())) names.add(next[1]);
  });
  if (startsResponse) {
    // The first word, the second (status, number or name), and the third when the second is a number.
    const [first, second, third] = words;
    if (first) names.add(first[1]);
    if (second) names.add(second[1]);
    if (second && third && /^\d+$/.test(second[0].text)) names.add(third[1]);
  }
  tokens.forEach((t, i) => {
    if (t.kind === 'atom' && tokens[i - 1]?.text === '[') names.add(i);
    if (t.kind === 'atom' && STATUS_WORDS.has(t.text.toUpperCase())) names.add(i);
  });
  return names;
}

/** The pattern a differing value becomes. */
function holeFor(token: Token): string {
  return token.kind === 'id' ? '<$>' : '$';
}

type Comparison = { same: true } | { same: false; text: string; values: number } | { same: false; reason: string };

/** Compares the non-literal part of two server lines token by token. */
function compareText(first: string, second: string, startsResponse: boolean, leadingNumbers = 0): Comparison {
  if (first === second) return { same: true };
  const a = tokenize(first);
  const b = tokenize(second);
  if (a.length !== b.length) return { same: false, reason: 'the lines differ in shape, not only in values' };
  const names = namePositions(a, startsResponse, leadingNumbers);
  let values = 0;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Token;
    const y = b[i] as Token;
    if (x.text === y.text) {
      out.push(x.text);
      continue;
    }
    const xHole = holdsHole(x.text);
    const yHole = holdsHole(y.text);
    if (x.kind === 'space' || x.kind === 'punct' || y.kind === 'space' || y.kind === 'punct') {
      return { same: false, reason: 'the lines differ in shape, not only in values' };
    }
    if (xHole) {
      // Already a pattern in the first run.
      out.push(x.text);
      continue;
    }
    if (names.has(i) || (/^[A-Za-z-]+$/.test(x.text) && /^[A-Za-z-]+$/.test(y.text) && !yHole)) {
      const what = /^\d+$/.test(x.text) ? 'a message number, count or size' : 'a name or status';
      return { same: false, reason: `the runs differ in ${what} ("${x.text}" / "${y.text}"), which is never a pattern` };
    }
    out.push(yHole && y.kind === x.kind ? y.text : holeFor(x));
    values++;
  }
  return values === 0 ? { same: true } : { same: false, text: out.join(''), values };
}

/** A step of one run, each response with its lines as replay reads them. */
interface RunStep {
  step: Step;
  responses: RunResponse[];
}

/**
 * Each step of a run, its server lines as replay would read them. Both runs go through today's table
 * first, so a run recorded by an older mailwire lines up with one recorded now, and what the table
 * knows is not learnt again.
 */
function runSteps(t: Transcript, protocol: Protocol): RunStep[] {
  const built = buildScript(t.lines, protocol);
  const read = t.directives.recorded === undefined ? built : rewriteRecordedSteps(built, protocol);
  return built.map((step, s) => ({
    step,
    responses: step.server.map((response, r) => ({
      response,
      texts: response.lines.map((line, i) => read[s]?.server[r]?.lines[i]?.text ?? line.text),
    })),
  }));
}

/** The step's first line, for a difference that concerns the whole step. */
function stepLine(step: Step): TranscriptLine | null {
  return step.client[0]?.line ?? step.lines[0] ?? null;
}

/**
 * Compares two runs of one session; `protocol` as the first run says. The runs are walked step by
 * step (a step per client command, script.ts): the client sends the same commands in both, while the
 * server may say one thing more or less in a step, so the responses of a step are paired first
 * (learn-pairing.ts) and only paired responses are compared, value by value.
 */
export function learnFromRuns(first: Transcript, second: Transcript, protocol: Protocol): LearnResult {
  const result: LearnResult = { learnt: [], disagreements: [] };
  const stepsA = runSteps(first, protocol);
  const stepsB = runSteps(second, protocol);
  const count = Math.max(stepsA.length, stepsB.length);
  for (let s = 0; s < count; s++) {
    const a = stepsA[s];
    const b = stepsB[s];
    if (!a || !b) {
      const first = a ? stepLine(a.step) : null;
      const second = b ? stepLine(b.step) : null;
      result.disagreements.push({ first, second, reason: a ? 'the second run ends here' : 'the second run goes on here' });
      break;
    }
    if (a.step.kind !== b.step.kind || a.step.command !== b.step.command || a.step.client.length !== b.step.client.length) {
      result.disagreements.push({ first: stepLine(a.step), second: stepLine(b.step), reason: 'the runs part ways here (the client sends something else)' });
      break;
    }
    // Client lines are what is sent: the first run's stay as they are (secrets and APOP digests included).
    compareStep(a, b, protocol, result);
  }
  return result;
}

/** Pairs the responses of one step of the two runs, and compares each pair. */
function compareStep(a: RunStep, b: RunStep, protocol: Protocol, result: LearnResult): void {
  // As replay matches them (match.ts): POP3 lines in order, IMAP untagged responses in any order unless `# match: ordered`.
  const ordered = protocol === 'pop3' || a.step.server[0]?.lines[0]?.rules?.ordered === true;
  const { partners, unpaired } = pairResponses(a.responses, b.responses, protocol, ordered);
  a.responses.forEach((ra, i) => {
    const rb = b.responses[partners[i] as number];
    if (rb === undefined) result.disagreements.push({ first: ra.response.lines[0] ?? null, second: null, reason: 'only the first run sends this' });
    else compareResponse(ra, rb, a.step.command, result);
  });
  for (const j of unpaired) {
    result.disagreements.push({ first: null, second: b.responses[j]?.response.lines[0] ?? null, reason: 'only the second run sends this' });
  }
}

/**
 * How a POP3 multi-line reply's lines read (RFC 1939 §5, §7): RETR's and TOP's are the message itself,
 * data as a literal's is; a LIST line is a message number and a size, a UIDL line a message number and
 * a unique-id (which may change: a value).
 */
function pop3BodyRole(command: string | null): { data: boolean; leadingNumbers: number } {
  if (command === 'RETR' || command === 'TOP') return { data: true, leadingNumbers: 0 };
  if (command === 'LIST') return { data: false, leadingNumbers: 2 };
  if (command === 'UIDL') return { data: false, leadingNumbers: 1 };
  return { data: false, leadingNumbers: 0 };
}

/** Compares two paired responses line by line: literal data exactly, the rest value by value. */
function compareResponse(ra: RunResponse, rb: RunResponse, command: string | null, result: LearnResult): void {
  const response = ra.response;
  const body = response.kind === 'body' ? pop3BodyRole(command) : { data: false, leadingNumbers: 0 };
  if (ra.texts.length !== rb.texts.length) {
    result.disagreements.push({ first: response.lines[0] ?? null, second: rb.response.lines[0] ?? null, reason: 'the responses differ in their number of lines' });
    return;
  }
  response.lines.forEach((a, i) => {
    const b = rb.response.lines[i] as TranscriptLine;
    const textA = ra.texts[i] as string;
    const textB = rb.texts[i] as string;
    if (a.text === b.text || textA === textB) return;
    if (body.data) {
      result.disagreements.push({ first: a, second: b, reason: "the message's text differs (message data is never a pattern)" });
      return;
    }
    const literalChars = response.literalChars[i] ?? 0;
    const literal = textA.slice(0, literalChars);
    if (literal !== textB.slice(0, literalChars)) {
      result.disagreements.push({ first: a, second: b, reason: 'the literal data differs (literal data is never a pattern)' });
      return;
    }
    const startsResponse = i === 0 && response.kind !== 'body' && literalChars === 0;
    const compared = compareText(textA.slice(literalChars), textB.slice(literalChars), startsResponse, body.leadingNumbers);
    if (compared.same) return;
    if ('reason' in compared) result.disagreements.push({ first: a, second: b, reason: compared.reason });
    else result.learnt.push({ line: a, text: literal + compared.text, values: compared.values });
  });
}
