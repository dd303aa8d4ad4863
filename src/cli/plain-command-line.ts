/**
 * Options declared as data, and the common command lines parsed from that data without commander.
 * commander is the parser of record (help, errors, every unusual form); loading and building it costs
 * more than the rest of a one-command session's start-up, so a command line of the plain shape (known
 * options spelled out as `--name value`, `-c value` or `--flag`, and the positional arguments) is
 * parsed here with commander's rules, and everything else is left to commander. Pure.
 */

/** One option, as commander's `.option()` takes it: commander is built from the same objects. */
export interface OptionSpec {
  /** commander's flags: `-c, --command <line>`, `--starttls`, `--no-color`. */
  flags: string;
  description: string;
  /** Turns a value into the option's value, given the value so far; throws OptionValueError for a bad one. */
  parse?: (value: string, previous: never) => unknown;
  /** The value when the option is not given (commander's default: shown in --help). */
  default?: unknown;
  /** The only values allowed (commander's choices). */
  choices?: readonly string[];
}

/** A bad option value: commander words the error around this message (`option '...' argument '...' is invalid.`). */
export class OptionValueError extends Error {}

/** A repeatable option's values, in the order given (`-c A -c B`). */
export function collectValues(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Seconds, 0 for none. 0 stays 0 here and becomes null in limitOf(), when the options are put
 * together: commander stores a value parser's null as an empty string, which made `--timeout 0`
 * time out at once.
 */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new OptionValueError('expected a number of seconds (0 for none)');
  if (n > MAX_SECONDS) throw new OptionValueError(`expected at most ${MAX_SECONDS} seconds (about 24 days; 0 for none)`);
  return n;
}

/**
 * The longest time limit: Node.js timers hold at most 2^31 - 1 ms, and a longer one fires at once
 * (with a TimeoutOverflowWarning), so that --timeout 3000000 timed out in a millisecond.
 */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A time limit of parseSeconds() as the commands take it: 0 means no limit (null). */
export function limitOf(seconds: number | null): number | null {
  return seconds === 0 ? null : seconds;
}

/** What a command line holds: the positional arguments and the options by commander's attribute name. */
export interface ParsedCommandLine {
  args: string[];
  opts: Record<string, unknown>;
}

interface PlainOption {
  spec: OptionSpec;
  /** commander's attribute name: `--max-time` -> maxTime, `--no-color` -> color. */
  name: string;
  takesValue: boolean;
  negate: boolean;
}

/** `-c, --command <line>`: a short flag, a long flag and a required value are all the fast path knows. */
const PLAIN_FLAGS = /^(?:(-[A-Za-z]), )?(--[a-z][a-z0-9-]*)( <[^<>]+>)?$/;

function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function plainOption(spec: OptionSpec): PlainOption | null {
  const m = PLAIN_FLAGS.exec(spec.flags);
  if (!m) return null;
  const long = (m[2] as string).slice(2);
  const negate = long.startsWith('no-');
  return { spec, name: camelCase(negate ? long.slice(3) : long), takesValue: m[3] !== undefined, negate };
}

/**
 * Parses argv (without node and script) as commander would, or returns null for anything outside
 * the plain shape: an unknown or combined flag, `--name=value`, `--`, a value that starts with "-", a
 * missing value, fewer or more arguments than `argumentCount` allows, a value its parser or choices
 * refuse. commander then parses the same argv and says what is wrong, or prints help or the version.
 */
export function parsePlainCommandLine(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  argumentCount: { min: number; max: number },
): ParsedCommandLine | null {
  const byFlag = new Map<string, PlainOption>();
  const opts: Record<string, unknown> = {};
  for (const spec of specs) {
    const option = plainOption(spec);
    if (!option) continue;
    const m = PLAIN_FLAGS.exec(spec.flags) as RegExpExecArray;
    if (m[1] !== undefined) byFlag.set(m[1], option);
    byFlag.set(m[2] as string, option);
    // commander: a --no-x option makes x true unless told otherwise; others start at their default.
    if (option.negate) opts[option.name] = spec.default ?? true;
    else if (spec.default !== undefined) opts[option.name] = spec.default;
  }
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith('-')) {
      args.push(word);
      continue;
    }
    const option = byFlag.get(word);
    if (!option) return null;
    if (!option.takesValue) {
      opts[option.name] = !option.negate;
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('-')) return null;
    const { spec } = option;
    if (spec.choices && !spec.choices.includes(value)) return null;
    if (spec.parse) {
      try {
        opts[option.name] = spec.parse(value, opts[option.name] as never);
      } catch (error) {
        if (error instanceof OptionValueError) return null;
        throw error;
      }
    } else {
      opts[option.name] = value;
    }
  }
  return args.length >= argumentCount.min && args.length <= argumentCount.max ? { args, opts } : null;
}
