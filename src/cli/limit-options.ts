/**
 * The server limits (transport/server-limits.ts) as command-line options, for `mailwire sandbox`,
 * `mailwire serve` and `mailwire proxy` alike: one option per limit, named and explained by the limits table, read into a
 * partial ServerLimits (what is not given keeps its default).
 */
import { Option, type Command } from 'commander';
import { MailwireError } from '../errors.js';
import { DEFAULT_SERVER_LIMITS, formatLimitValue, LIMIT_DESCRIPTIONS, parseLimitValue, type LimitDescription, type ServerLimits } from '../transport/server-limits.js';

/** commander's attribute name of an option: --max-line -> maxLine. */
function attributeOf(option: string): string {
  return option.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function valueName(d: LimitDescription): string {
  return { octets: '<size>', count: '<n>', 'per second': '<n>', time: '<time>' }[d.unit];
}

/** What a value of this unit looks like, for a usage error. */
const EXAMPLES: Readonly<Record<LimitDescription['unit'], string>> = {
  octets: 'e.g. 65536, 64k or 32M',
  count: 'a whole number above 0',
  'per second': 'a whole number above 0',
  time: 'seconds, or e.g. 90s, 30m, 1h',
};

/**
 * Adds the limit options (those in `keys`, all by default) to a command; sizes are octets, or 64k,
 * 32M, 1G; times are seconds, or 500ms, 90s, 30m, 1h. `defaults`: the command's own, for --help.
 */
export function addLimitOptions(command: Command, keys: ReadonlyArray<keyof ServerLimits> = LIMIT_DESCRIPTIONS.map((d) => d.key), defaults: Readonly<ServerLimits> = DEFAULT_SERVER_LIMITS): Command {
  for (const d of LIMIT_DESCRIPTIONS) {
    if (!keys.includes(d.key)) continue;
    command.addOption(new Option(`${d.option} ${valueName(d)}`, `${d.what}; default ${formatLimitValue(defaults[d.key], d.unit)}`).helpGroup('Limits (what one client may cost):'));
  }
  return command;
}

/**
 * The limits given on the command line.
 * @throws MailwireError('usage') for a value that is not a positive number (with k/M/G for sizes, ms/s/m/h for times)
 */
export function readLimitOptions(opts: Record<string, unknown>): Partial<ServerLimits> {
  const out: Partial<ServerLimits> = {};
  for (const d of LIMIT_DESCRIPTIONS) {
    const text = opts[attributeOf(d.option)];
    if (typeof text !== 'string') continue;
    const value = parseLimitValue(text, d.unit);
    // The command's name comes before the message where it is shown (main.ts): not here again.
    if (value === null && /^\s*0+\s*[a-z]*\s*$/i.test(text)) throw new MailwireError('usage', `${d.option} ${text}: a limit must be more than 0`);
    if (value === null) throw new MailwireError('usage', `${d.option} ${text}: expected ${EXAMPLES[d.unit]}`);
    out[d.key] = value;
  }
  return out;
}
