/**
 * `mailwire explain FILE`, `mailwire repaly x.txt`: a first word that is no command, followed by
 * another argument where a target stands alone (or before its options). Said as a usage error that
 * names the commands, the one the word is near, or what does the job the word asks for; without
 * this, the word was taken for a host name and the error spoke of too many arguments.
 */
import { editDistance } from '../protocol/edit-distance.js';

/** Words people try for jobs that have another name here. */
const DONE_BY: Readonly<Record<string, string>> = {
  explain: 'a session explains itself with --explain, a transcript with mailwire step FILE or mailwire handout FILE',
  record: 'a session is recorded with --record FILE',
  test: 'mailwire replay FILE plays a transcript against a server as a test',
  check: 'mailwire lint FILE checks a transcript',
  server: 'mailwire sandbox runs a server of its own; mailwire serve FILE plays the server side of a transcript',
};

/** The usage error for argv, or null when its first word may be a target (or is a command). */
export function unknownCommandMessage(argv: readonly string[], commands: readonly string[]): string | null {
  const [first, second] = argv;
  if (first === undefined) return null;
  // Alone, a word of the table is a job asked for: as a host it would need a URL or --protocol anyway.
  if (argv.length === 1 && Object.hasOwn(DONE_BY, first.toLowerCase())) return `no command "${first}": ${DONE_BY[first.toLowerCase()] as string} (commands: ${commands.join(', ')})`;
  if (second === undefined || second.startsWith('-')) return null;
  // A target has a dot, a colon or a slash, or is one word standing alone: only a bare word is taken.
  if (!/^[a-z][a-z0-9-]*$/i.test(first) || commands.includes(first)) return null;
  const word = first.toLowerCase();
  const near = commands.find((name) => editDistance(word, name, name.length >= 6 ? 2 : 1) <= (name.length >= 6 ? 2 : 1));
  const why = DONE_BY[word] ?? (near ? `did you mean mailwire ${near}?` : null);
  if (why !== null) return `no command "${first}": ${why} (commands: ${commands.join(', ')})`;
  // Perhaps a host after all: the second word is then what is wrong.
  return `"${second}" is one argument too many: commands for the server go with -c, and "${first}" is no command of mailwire's (${commands.join(', ')})`;
}
