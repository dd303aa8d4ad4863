/**
 * The plain parser of the session command line against commander, the parser of record: whatever
 * command line the plain parser accepts, commander must read the same options from it; what it
 * leaves (help, errors, unusual forms) is commander's. And the common lines must take the plain way,
 * or start-up pays for commander again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { parsePlainCommandLine, OptionValueError } from '../../src/cli/plain-command-line.js';
import { parsePlainSessionLine, SESSION_OPTIONS } from '../../src/cli/session-options.js';

const silent = { out: () => undefined, err: () => undefined };

/** commander's reading of argv: the options, or the usage error's message, or 'exit' for help and version. */
function commanderReads(argv: string[]): unknown {
  try {
    const outcome = parseCommandLine(argv, silent);
    return outcome.kind === 'run' ? outcome.options : 'exit';
  } catch (error) {
    return `usage: ${(error as Error).message}`;
  }
}

const FLAGS = SESSION_OPTIONS.flatMap((o) => o.flags.split(/,? /).filter((w) => w.startsWith('-')));
const VALUES = ['30', '0', '2.5', 'abc', '-1', '1.2', 'tls1.3', 'TLSv1', 'imap', 'pop3', 'IMAP', 'ru', 'de', 'ru_RU.UTF-8', '', 'a, b,,c', 'joe:pw:x', 'NOOP', 'LOGIN joe password'];
const ODD = ['--', '-', '-kv', '--timeout=5', '-cNOOP', '-V', '--version', '--help', '-h', '--no-starttls', '--color', '--decode', '--unknown'];
const TARGETS = ['imap://127.0.0.1:143', 'pop3s://[::1]', 'mail.example.org:110', 'help'];

const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 6, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 3, arbitrary: fc.constantFrom(...TARGETS) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

describe('the plain session command line', () => {
  it('reads what commander reads, whenever it reads anything', () => {
    let plainReads = 0;
    fc.assert(
      fc.property(fc.array(word, { maxLength: 9 }), (argv) => {
        const plain = parsePlainSessionLine(argv);
        if (plain === null) return;
        plainReads++;
        expect(commanderReads(argv)).toEqual(plain);
      }),
      { numRuns: 3000 },
    );
    // The property says nothing if the plain parser refuses everything.
    expect(plainReads).toBeGreaterThan(100);
  });

  it('takes the common command lines without commander', () => {
    const common = [
      ['imap://127.0.0.1:143'],
      ['imap://127.0.0.1:143', '--timeout', '600'],
      ['imaps://mail.example.org', '-c', 'CAPABILITY', '-c', 'LOGOUT'],
      ['pop3://mail.example.org', '--starttls', '-u', 'joe', '-c', 'APOP joe', '--no-color', '-k'],
      ['mail.example.org:143', '--record', 's.txt', '--max-time', '0', '--lang', 'ru', '--no-decode', '-v'],
    ];
    for (const argv of common) {
      const plain = parsePlainSessionLine(argv);
      expect(plain, argv.join(' ')).not.toBeNull();
      expect(commanderReads(argv)).toEqual(plain);
    }
  });

  it('reads --timeout 0 and --max-time 0 as no limit, both ways', () => {
    const argv = ['imap://h', '--timeout', '0', '--max-time', '0'];
    expect(parsePlainSessionLine(argv)).toMatchObject({ timeout: null, maxTime: null });
    expect(commanderReads(argv)).toMatchObject({ timeout: null, maxTime: null });
  });

  it('leaves help, the version, errors and unusual forms to commander', () => {
    const left = [
      ['--help'],
      ['imap://h', '-V'],
      [],
      ['imap://h', 'extra'],
      ['imap://h', '--timeout'],
      ['imap://h', '--timeout', 'soon'],
      ['imap://h', '--timeout=5'],
      ['imap://h', '--protocol', 'smtp'],
      ['imap://h', '-kv'],
      ['imap://h', '-c', '-x'],
      ['imap://h', '--', '-c'],
      ['imap://h', '--tls-min', '2.0'],
      ['imap://h', '--lang', 'de'],
    ];
    for (const argv of left) expect(parsePlainSessionLine(argv), argv.join(' ')).toBeNull();
  });

  it('lets only OptionValueError mean "ask commander": any other failure of a parser is a bug, and shows', () => {
    const specs = [{ flags: '--n <x>', description: '', parse: () => { throw new TypeError('bug'); } }];
    expect(() => parsePlainCommandLine(['--n', '1'], specs, 0)).toThrow(TypeError);
    const refusing = [{ flags: '--n <x>', description: '', parse: () => { throw new OptionValueError('no'); } }];
    expect(parsePlainCommandLine(['--n', '1'], refusing, 0)).toBeNull();
  });
});
