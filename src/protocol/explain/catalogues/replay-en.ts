/**
 * English words of why a replay (or `mailwire step` against a server) failed at a step: what the
 * server sent that the transcript does not show, or what it did not send, and what the transcript
 * wanted at the point where the two part ways; and the labels of the difference report. Small and
 * apart from en.ts: replay loads these words, not the whole catalogue. replay-ru.ts has the same keys
 * and loads only for a run in Russian.
 */
export const REPLAY_EN = {
  'replay.must-not-appear': 'line {line} must not appear, and the server sent it',
  'replay.differs-at': '{what} at line {line}: expected {wanted}',
  'replay.greeting-differs': 'the greeting differs',
  'replay.completion-differs': 'the completion differs',
  'replay.continuation-differs': 'the continuation request differs',
  'replay.reply-differs': 'the reply differs',
  'replay.multiline-goes-on': 'the multi-line reply goes on where the transcript ends it',
  'replay.not-before-completion': 'line {line} was not received before the command completed',
  'replay.unexpected-completion': 'a completion the transcript does not show here',
  'replay.unexpected-continuation': 'a continuation request the transcript does not show here',
  'replay.no-extra-expected': 'line {line} expected, and the transcript allows no other untagged response (# match: no-extra)',
  'replay.no-extra': 'an untagged response the transcript does not show (# match: no-extra)',
  'replay.unexpected-line': 'a line the transcript does not show here',
  'replay.closest': '{reason}; the closest response the server sent differs at line {line}',
  'replay.completed-with': '{reason}; the command completed with {text}',
  'replay.apop': "{reason}; the transcript's APOP digest, sent as written, is not MD5 of its greeting's timestamp {timestamp} and the declared secret of {user}: that would be {digest} (RFC 1939 §7)",
  'replay.broke': 'the connection broke ({error})',
  'replay.server-closed': 'the server closed the connection',
  'replay.before-greeting': '{why} before greeting',
  'replay.not-received': '{why}; {what} was not received',
  'replay.timed-out': '{what} was not received within {seconds} s',
  'replay.line': 'line {line}',
  'replay.the-greeting': 'the greeting',

  // What the transcript wanted where the server's line parts from it (transcript/pattern.ts, match.ts).
  'replay.wanted.text': '{text}',
  'replay.wanted.captured': '${name} (captured as {value})',
  'replay.wanted.value': 'a value for ${name}',
  'replay.wanted.any-value': 'a value for $',
  'replay.wanted.end-of-line': 'the end of the line',
  'replay.wanted.literal-data': 'the literal data as written',
  'replay.wanted.literal-end': 'the end of the literal line',
  'replay.wanted.no-more-lines': 'no more lines in this response',
  'replay.wanted.this-line': 'this line',

  // The shard a job replays (cli/replay-command.ts).
  'replay.shard': 'shard {index}/{count}: {n} of {total} {total|transcript|transcripts}',

  // The difference report (transcript/report.ts).
  'replay.report.transcript-line': 'transcript line {line}',
  'replay.report.transcript': 'transcript',
  'replay.report.nothing': '(nothing)',
  'replay.report.server': 'server',
  'replay.report.client': 'client',
  'replay.report.before': '({n} characters) …',
  'replay.report.after': '… ({n} more characters)',
} as const;

export type ReplayKey = keyof typeof REPLAY_EN;
