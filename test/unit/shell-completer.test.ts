import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeImapLine } from '../../src/protocol/imap/request.js';
import { complete, mailboxArgument, type CompletionContext } from '../../src/shell/completer.js';
import { hintFor } from '../../src/shell/hints.js';
import { META_COMMANDS } from '../../src/shell/meta-commands.js';
import { readTypedLine } from '../../src/shell/typed-line.js';

const DOVECOT_CAPS = 'IMAP4REV1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS CONDSTORE QRESYNC ESEARCH MOVE STATUS=SIZE LITERAL+ AUTH=PLAIN AUTH=CRAM-MD5'.split(' ');

const imap = (over: Partial<CompletionContext> = {}): CompletionContext => ({
  protocol: 'imap',
  state: 'selected',
  capabilities: new Set(DOVECOT_CAPS),
  mailboxes: ['INBOX', 'Sent', 'saved-messages', 'My Box', 'Entw&APw-rfe', 'Archive/2024'],
  flags: ['\\Answered', '\\Seen', '$Forwarded'],
  messageNumbers: [],
  saslMechanisms: [],
  metaCommands: META_COMMANDS.map((m) => ({ name: m.name, ...(m.args ? { args: m.args } : {}) })),
  ...over,
});
const pop3 = (over: Partial<CompletionContext> = {}): CompletionContext => ({ ...imap(), protocol: 'pop3', state: 'transaction', capabilities: new Set(), ...over });
const hits = (line: string, ctx: CompletionContext) => complete(line, ctx)[0];

describe('completion of IMAP command names', () => {
  it('offers the commands valid in the current state (RFC 3501 §6), the word they replace, and a blank after', () => {
    expect(complete('SEL', imap({ state: 'authenticated' }))).toEqual([['SELECT '], 'SEL']);
    expect(hits('SEL', imap({ state: 'not-authenticated' }))).toEqual([]);
    expect(hits('LOG', imap({ state: 'not-authenticated' }))).toEqual(['LOGIN ', 'LOGOUT ']);
    expect(hits('LOG', imap({ state: 'authenticated' }))).toEqual(['LOGOUT ']);
    expect(hits('EX', imap())).toEqual(['EXAMINE ', 'EXPUNGE ']);
  });

  it('leaves out what the server does not offer, once its capabilities are known', () => {
    expect(hits('ID', imap({ state: 'authenticated' }))).toEqual(['ID ', 'IDLE ']);
    expect(hits('GETQ', imap({ state: 'authenticated' }))).toEqual([]);
    expect(hits('GETQ', imap({ state: 'authenticated', capabilities: new Set() }))).toEqual(['GETQUOTA ', 'GETQUOTAROOT ']);
  });

  it('keeps the case the user types in, and completes after a tag of their own', () => {
    expect(hits('sel', imap())).toEqual(['select ']);
    expect(complete('a1 FET', imap())).toEqual([['FETCH '], 'FET']);
    expect(hits('UID ', imap())).toEqual(['COPY ', 'EXPUNGE ', 'FETCH ', 'MOVE ', 'REPLACE ', 'SEARCH ', 'SORT ', 'STORE ', 'THREAD ']);
  });
});

describe('completion of IMAP arguments', () => {
  it('completes mailbox names learnt from LIST, quoted when they need it (RFC 3501 §4.3)', () => {
    expect(hits('SELECT ', imap())).toEqual(['"My Box" ', 'Archive/2024 ', 'Entw&APw-rfe ', 'INBOX ', 'Sent ', 'saved-messages ']);
    expect(complete('SELECT sa', imap())).toEqual([['saved-messages '], 'sa']);
    expect(complete('select in', imap())).toEqual([['INBOX '], 'in']);
    expect(hits('SELECT "My', imap())).toEqual(['"My Box" ']);
    expect(hits('COPY 1:3 S', imap())).toEqual(['Sent ']);
    expect(hits('UID MOVE 7 Ar', imap())).toEqual(['Archive/2024 ']);
    expect(hits('RENAME Sent Se', imap())).toEqual(['Sent ']);
    expect(hits('LIST "" ', imap())).toContain('* ');
    expect(mailboxArgument('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(mailboxArgument('[Gmail]/All')).toBe('[Gmail]/All');
  });

  it('completes FETCH items and BODY[ sections, inside a list or alone', () => {
    expect(hits('FETCH 1 (FLAGS ENV', imap())).toEqual(['ENVELOPE ']);
    expect(hits('FETCH 1 BODYS', imap())).toEqual(['BODYSTRUCTURE ']);
    expect(hits('UID FETCH 1:* (MOD', imap())).toEqual(['MODSEQ ']);
    expect(hits('FETCH 1 BODY.PEEK[HEADER.F', imap())).toEqual(['BODY.PEEK[HEADER.FIELDS ', 'BODY.PEEK[HEADER.FIELDS.NOT ']);
    expect(hits('FETCH 1 (BODY', imap())).toEqual(['BODY ', 'BODY.PEEK[', 'BODYSTRUCTURE ', 'BODY[']);
  });

  it('completes STORE actions and flags, system flags and the keywords the mailbox allows', () => {
    expect(hits('STORE 1 +F', imap())).toEqual(['+FLAGS ', '+FLAGS.SILENT ']);
    expect(hits('STORE 1 +FLAGS (\\S', imap())).toEqual(['\\Seen ']);
    expect(hits('STORE 1 FLAGS $F', imap())).toEqual(['$Forwarded ']);
    expect(hits('STORE 1 +FLAGS (\\se', imap())).toEqual(['\\Seen ']);
  });

  it('completes SEARCH keys, STATUS items, SASL mechanisms from AUTH= capabilities', () => {
    expect(hits('SEARCH UNS', imap())).toEqual(['UNSEEN ']);
    expect(hits('search unde', imap())).toEqual(['undeleted ']);
    expect(hits('STATUS INBOX (MESSAGES U', imap())).toEqual(['UIDNEXT ', 'UIDVALIDITY ', 'UNSEEN ']);
    expect(hits('STATUS INBOX (S', imap())).toEqual(['SIZE ']);
    expect(hits('AUTHENTICATE ', imap({ state: 'not-authenticated' }))).toEqual(['CRAM-MD5 ', 'PLAIN ']);
  });
});

describe('completion for POP3, the shell\'s commands and files', () => {
  it('offers POP3 commands by state, message numbers from the last LIST, SASL mechanisms from CAPA', () => {
    expect(hits('RE', pop3())).toEqual(['RETR ']);
    expect(hits('US', pop3({ state: 'authorization' }))).toEqual(['USER ']);
    expect(hits('RETR ', pop3({ messageNumbers: [1, 2, 12] }))).toEqual(['1 ', '12 ', '2 ']);
    expect(hits('DELE 1', pop3({ messageNumbers: [1, 2, 12] }))).toEqual(['1 ', '12 ']);
    expect(hits('AUTH ', pop3({ state: 'authorization', saslMechanisms: ['PLAIN', 'LOGIN'] }))).toEqual(['LOGIN ', 'PLAIN ']);
    expect(hits('TO', pop3({ capabilities: new Set(['UIDL', 'USER']) }))).toEqual([]);
  });

  it('completes dot-commands and their arguments', () => {
    expect(hits('.h', imap())).toEqual(['.help ', '.hex ']);
    expect(hits('.hex o', imap())).toEqual(['off ', 'on ']);
    expect(hits('.record s', imap())).toEqual(['stop ']);
  });

  it('completes file names after {file:', () => {
    const listFiles = (dir: string) => (dir === '' ? ['msg.eml', 'mail/', '.hidden'] : dir === 'mail/' ? ['a.eml'] : []);
    expect(complete('APPEND INBOX {file:m', imap({ listFiles }))).toEqual([['mail/', 'msg.eml}'], 'm']);
    expect(complete('APPEND INBOX {file:mail/', imap({ listFiles }))).toEqual([['mail/a.eml}'], 'mail/']);
  });
});

describe('hints: the syntax of the command being typed, from the command tables', () => {
  const ctx = { protocol: 'imap' as const, metaCommands: META_COMMANDS };
  it('shows the arguments still to come', () => {
    expect(hintFor('SELECT', ctx)).toBe(' mailbox');
    expect(hintFor('SELECT ', ctx)).toBe('mailbox');
    expect(hintFor('SELECT INB', ctx)).toBe('');
    expect(hintFor('FETCH ', ctx)).toBe('sequence-set (items)');
    expect(hintFor('FETCH 1:4 ', ctx)).toBe('(items)');
    expect(hintFor('a1 STORE 1 ', ctx)).toBe('[+|-]FLAGS[.SILENT] (flags)');
    expect(hintFor('APPEND INBOX ', ctx)).toBe('[(flags)] [date-time] {size}|{file:PATH}');
    expect(hintFor('UID FETCH ', ctx)).toBe('sequence-set (items)');
    expect(hintFor('UID ', ctx)).toBe('COPY|FETCH|SEARCH|STORE|MOVE|EXPUNGE|SORT|THREAD|REPLACE arguments');
  });

  it('shows nothing inside a list or a quoted string, for unknown commands, or past the last argument', () => {
    expect(hintFor('FETCH 1 (FLA', ctx)).toBe('');
    expect(hintFor('SELECT "My B', ctx)).toBe('');
    expect(hintFor('FROB ', ctx)).toBe('');
    expect(hintFor('NOOP', ctx)).toBe('');
    expect(hintFor('', ctx)).toBe('');
  });

  it('knows POP3 and the shell\'s own commands', () => {
    expect(hintFor('RETR ', { ...ctx, protocol: 'pop3' })).toBe('msg');
    expect(hintFor('TOP 1 ', { ...ctx, protocol: 'pop3' })).toBe('n');
    expect(hintFor('.record', ctx)).toBe(' [FILE|stop]');
    expect(hintFor('.raw ', ctx)).toBe('TEXT');
  });
});

describe('reading a typed line', () => {
  it('finds the tag, the command, the argument under the cursor and its depth in lists', () => {
    expect(readTypedLine('a1 UID fetch 1:* (FLAGS BO', { imap: true })).toMatchObject({
      tag: 'a1',
      command: 'UID FETCH',
      argsBefore: ['1:*'],
      argIndex: 1,
      word: 'BO',
      depth: 1,
    });
    expect(readTypedLine('SEARCH SUBJECT "a b" FR', { imap: true })).toMatchObject({ command: 'SEARCH', argsBefore: ['SUBJECT', '"a b"'], word: 'FR' });
    expect(readTypedLine('X1 NOOP ', { imap: true })).toMatchObject({ tag: 'X1', command: 'NOOP', argIndex: 0 });
    expect(readTypedLine('XLIST ', { imap: true })).toMatchObject({ tag: null, command: 'XLIST' });
  });
});

describe('completion reads the tag by the rule that sends the line (docs/auto-tags.md)', () => {
  it('agrees with the send path on every line of two words or more (fast-check); after one word and a blank, a tag-shaped word waits for its command', () => {
    const word = fc.constantFrom('a1', 'A001', 'x.1', 'abc', 'X1', 'SELCT', 'fetc', 'MYRIGHTS', 'NOOP', 'select', 'UID', 'FETCH', 'XLIST', 'XAPPLEPUSHSERVICE', 'SCAN', 'INBOX', '1:*');
    const caps = fc.subarray(['IMAP4REV1', 'SCAN', 'XAPPLEPUSHSERVICE']);
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 4 }), caps, (words, capabilities) => {
        const line = `${words.join(' ')} `;
        const sent = analyzeImapLine(line, capabilities);
        const read = readTypedLine(line, { imap: true, capabilities });
        expect(read.tag).toBe(sent.tag);
        if (sent.command !== '' && !sent.command.startsWith('UID')) expect(read.command).toBe(sent.command);
      }),
      { numRuns: 500 },
    );
  });

  it('a typo is the command it will be sent as, not a tag; a word shaped like a tag is one', () => {
    // Before, any unknown first word was read as a tag: SELCT's INBOX was taken for the command.
    expect(readTypedLine('SELCT INBOX ', { imap: true })).toMatchObject({ tag: null, command: 'SELCT', argsBefore: ['INBOX'] });
    expect(readTypedLine('a1 FOO ', { imap: true })).toMatchObject({ tag: 'a1', command: 'FOO' });
    expect(readTypedLine('SCAN ', { imap: true, capabilities: ['SCAN'] })).toMatchObject({ tag: null, command: 'SCAN' });
    expect(hits('SELCT ', imap())).toEqual([]);
    expect(hits('a1 ', imap()).length).toBeGreaterThan(10);
  });

  it('a second word being typed counts as the command it begins: `abc SEL` completes to SELECT', () => {
    expect(complete('abc SEL', imap())).toEqual([['SELECT '], 'SEL']);
    expect(hintFor('abc SELECT', { protocol: 'imap', metaCommands: META_COMMANDS })).toBe(' mailbox');
  });
});

