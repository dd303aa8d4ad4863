/**
 * Hostile clients of the sandbox, on input depth and patterns: nothing a client sends makes the
 * server recurse as deep as the input goes, or run a backtracking matcher. Deep nesting is answered
 * with a BAD and the session goes on; LIST patterns cost work linear in the names they are matched
 * against.
 */
import { describe, expect, it } from 'vitest';
import { imapConnection, imapLoggedIn, sandboxWorld } from '../support/sandbox-harness.js';

describe('nesting a client sends', () => {
  it('LOGIN ((((... 5,000 deep before login: a BAD, and the session goes on', () => {
    const c = imapConnection(sandboxWorld());
    const reply = c.send(`a1 LOGIN ${'('.repeat(5000)}`);
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatch(/^a1 BAD .*nested more than 100 levels deep/);
    expect(c.send('a2 LOGIN joe password')).toEqual(['a2 OK LOGIN completed']);
  });

  it('nesting as deep as allowed still parses', () => {
    const c = imapLoggedIn(sandboxWorld(), 'joe');
    c.send('s SELECT INBOX');
    const reply = c.send(`a SEARCH ${'('.repeat(99)}ALL${')'.repeat(99)}`);
    expect(reply.at(-1)).toBe('a OK SEARCH completed');
    expect(reply[0]).toMatch(/^\* SEARCH 1 2/);
  });

  it('SEARCH NOT NOT NOT ... ALL 15,000 deep, and SEARCH ((((...: BAD, and the session goes on', () => {
    const c = imapLoggedIn(sandboxWorld(), 'joe');
    c.send('s SELECT INBOX');
    expect(c.send(`a1 SEARCH ${'NOT '.repeat(15000)}ALL`)).toEqual([expect.stringMatching(/^a1 BAD .*nested more than 100 levels deep/)]);
    expect(c.send(`a2 SEARCH ${'OR ALL '.repeat(90)}ALL`)).toEqual(['* SEARCH 1 2 3 4 5', 'a2 OK SEARCH completed']);
    expect(c.send(`a2 SEARCH ${'OR ALL '.repeat(8000)}ALL`)).toEqual([expect.stringMatching(/^a2 BAD .*nested more than 100 levels deep/)]);
    // Each key scans the mailbox: the keys of one SEARCH are bounded too.
    expect(c.send(`a2 SEARCH ${'TEXT x '.repeat(9000)}`)).toEqual(['a2 BAD [LIMIT] More than 256 search keys in one SEARCH']);
    expect(c.send(`a3 SEARCH ${'('.repeat(15000)}ALL${')'.repeat(15000)}`)).toEqual([expect.stringMatching(/^a3 BAD .*nested more than 100 levels deep/)]);
    expect(c.send(`a4 UID FETCH 1 ${'BODY['.repeat(5000)}`)).toEqual([expect.stringMatching(/^a4 BAD .*nested more than 100 levels deep/)]);
    expect(c.send('a5 NOOP')).toEqual(['a5 OK NOOP completed']);
  });
});

describe('LIST and LSUB patterns', () => {
  it('"*%*%*%*%*%*%Z" against a 40-character name answers at once, and matches what it should', () => {
    const c = imapLoggedIn(sandboxWorld(), 'joe');
    const long = 'a'.repeat(40);
    expect(c.send(`c1 CREATE ${long}`)).toEqual(['c1 OK CREATE completed']);
    expect(c.send(`c2 CREATE ${long}Z/b`)).toEqual(['c2 OK CREATE completed']);
    expect(c.send(`c3 SUBSCRIBE ${long}Z/b`)).toEqual(['c3 OK SUBSCRIBE completed']);
    for (const pairs of [6, 200, 500]) {
      expect(c.send(`l LIST "" "${'*%'.repeat(pairs)}Z"`)).toEqual([`* LIST (\\HasChildren) "/" ${long}Z`, 'l OK LIST completed']);
      expect(c.send(`l LIST "" "${'*%'.repeat(pairs)}Y"`)).toEqual(['l OK LIST completed']);
      expect(c.send(`l LIST "" "${'%*'.repeat(pairs)}Z/%"`)).toEqual([`* LIST (\\HasNoChildren) "/" ${long}Z/b`, 'l OK LIST completed']);
      expect(c.send(`l LSUB "" "${'*%'.repeat(pairs)}Z"`)).toEqual([`* LSUB (\\Noselect) "/" ${long}Z`, 'l OK LSUB completed']);
    }
    // A pattern longer than a mailbox name may be matches nothing: BAD, before any work.
    expect(c.send(`l LIST "" "${'*%'.repeat(30000)}Z"`)).toEqual(['l BAD Error in IMAP command LIST: Pattern longer than 1024 octets']);
  });
});
