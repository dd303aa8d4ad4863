import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lexClientText,
  lexImapCommand,
  lexImapContinuedSegment,
  lexImapResponse,
  lexPop3Command,
  lexPop3Status,
} from '../../src/render/lexers.js';
import type { Span } from '../../src/render/roles.js';

const lexers: Record<string, (text: string) => Span[]> = {
  lexImapResponse,
  lexImapContinuedSegment,
  lexImapCommand,
  lexPop3Status,
  lexPop3Command,
  lexClientText: (t) => lexClientText(t, 'literal'),
};

/** Compact view: "role:text" for every span that is not plain text. */
function roles(spans: Span[]): string[] {
  return spans.filter((s) => s.role !== 'text').map((s) => `${s.role}:${s.text}`);
}

/** Strings made of protocol pieces, to reach every branch more often than random text would. */
const protocolish = fc
  .array(
    fc.oneof(
      fc.constantFrom('*', '+', ' ', 'A001', 'OK', 'no', 'BAD', 'BYE', 'PREAUTH', '[', ']', '[READ-WRITE]', '12'),
      fc.constantFrom('FETCH', 'UID', 'uid', '{342}', '~{8}', '{4+}', '{', '}', '<secret>', '<secret', '+OK', '-ERR'),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));

describe('lexers', () => {
  it('give back their input exactly when the span texts are joined', () => {
    for (const [name, lex] of Object.entries(lexers)) {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), protocolish), (text) => {
          const spans = lex(text);
          expect(spans.map((s) => s.text).join(''), name).toBe(text);
          expect(spans.every((s) => s.text !== ''), name).toBe(true);
        }),
      );
    }
  });

  it('lexImapResponse: untagged status with a response code', () => {
    expect(roles(lexImapResponse('* OK [UIDVALIDITY 3857529045] UIDs valid'))).toEqual([
      'untagged:*',
      'status-ok:OK',
      'response-code:[UIDVALIDITY 3857529045]',
    ]);
    expect(roles(lexImapResponse('* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready'))).toEqual([
      'untagged:*',
      'status-ok:OK',
      'response-code:[CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN]',
    ]);
    expect(roles(lexImapResponse('* BYE IMAP4rev1 server terminating connection'))).toEqual([
      'untagged:*',
      'status-bye:BYE',
    ]);
    expect(roles(lexImapResponse('* PREAUTH IMAP4rev1 server logged in as Smith'))).toEqual([
      'untagged:*',
      'status-preauth:PREAUTH',
    ]);
  });

  it('lexImapResponse: tagged completions, case-insensitive status words', () => {
    expect(roles(lexImapResponse('a002 OK [READ-WRITE] SELECT completed'))).toEqual([
      'tag:a002',
      'status-ok:OK',
      'response-code:[READ-WRITE]',
    ]);
    expect(roles(lexImapResponse('A001 NO [AUTHENTICATIONFAILED] Invalid credentials'))).toEqual([
      'tag:A001',
      'status-no:NO',
      'response-code:[AUTHENTICATIONFAILED]',
    ]);
    expect(roles(lexImapResponse('A044 bad No such command as "BLURDYBLOOP"'))).toEqual([
      'tag:A044',
      'status-bad:bad',
    ]);
    // A bracket that does not close is text, not a code.
    expect(roles(lexImapResponse('A1 OK [oops'))).toEqual(['tag:A1', 'status-ok:OK']);
  });

  it('lexImapResponse: continuation requests', () => {
    expect(roles(lexImapResponse('+ Ready for additional command text'))).toEqual(['continuation:+']);
    expect(roles(lexImapResponse('+'))).toEqual(['continuation:+']);
    expect(roles(lexImapResponse('+ [ALERT] go on'))).toEqual(['continuation:+', 'response-code:[ALERT]']);
  });

  it('lexImapResponse: untagged data, with message numbers and a trailing literal marker', () => {
    expect(roles(lexImapResponse('* 12 FETCH (BODY[HEADER] {342}'))).toEqual([
      'untagged:*',
      'data-name:FETCH',
      'literal-marker:{342}',
    ]);
    expect(roles(lexImapResponse('* 18 EXISTS'))).toEqual(['untagged:*', 'data-name:EXISTS']);
    expect(roles(lexImapResponse('* CAPABILITY IMAP4rev1 STARTTLS'))).toEqual([
      'untagged:*',
      'data-name:CAPABILITY',
    ]);
    expect(roles(lexImapResponse('* FLAGS (\\Answered \\Seen)'))).toEqual(['untagged:*', 'data-name:FLAGS']);
    expect(roles(lexImapResponse('* 1 FETCH (BINARY[1] ~{8}'))).toEqual([
      'untagged:*',
      'data-name:FETCH',
      'literal-marker:~{8}',
    ]);
  });

  it('lexImapContinuedSegment: text after a literal, maybe announcing the next one', () => {
    expect(roles(lexImapContinuedSegment(' BODY[2] {7}'))).toEqual(['literal-marker:{7}']);
    expect(roles(lexImapContinuedSegment(')'))).toEqual([]);
  });

  it('lexImapCommand: tag, command (UID takes its verb along), secrets, literal markers', () => {
    expect(roles(lexImapCommand('a001 login mrc <secret>'))).toEqual([
      'tag:a001',
      'command:login',
      'secret:<secret>',
    ]);
    expect(roles(lexImapCommand('A999 UID FETCH 4827313:4828442 FLAGS'))).toEqual([
      'tag:A999',
      'command:UID FETCH',
    ]);
    expect(roles(lexImapCommand('A003 APPEND saved-messages (\\Seen) {310}'))).toEqual([
      'tag:A003',
      'command:APPEND',
      'literal-marker:{310}',
    ]);
    expect(roles(lexImapCommand('A001 LOGIN {11+}'))).toEqual(['tag:A001', 'command:LOGIN', 'literal-marker:{11+}']);
    expect(roles(lexImapCommand('A1'))).toEqual(['tag:A1']);
  });

  it('lexPop3Status: +OK, -ERR with RFC 2449 codes, SASL "+"', () => {
    expect(roles(lexPop3Status('+OK 2 messages (320 octets)'))).toEqual(['pop3-ok:+OK']);
    expect(roles(lexPop3Status('-ERR [IN-USE] mailbox locked'))).toEqual([
      'pop3-err:-ERR',
      'response-code:[IN-USE]',
    ]);
    expect(roles(lexPop3Status('+ VGVzdA=='))).toEqual(['continuation:+']);
    expect(roles(lexPop3Status('hello'))).toEqual([]);
  });

  it('lexPop3Command and lexClientText pick out secrets', () => {
    expect(roles(lexPop3Command('PASS <secret>'))).toEqual(['command:PASS', 'secret:<secret>']);
    expect(roles(lexPop3Command('APOP mrose c4c9334bac560ecc979e58001b3e22fb'))).toEqual(['command:APOP']);
    expect(roles(lexClientText('<secret>', 'text'))).toEqual(['secret:<secret>']);
    expect(roles(lexClientText('FRED FOOBAR {7}', 'literal'))).toEqual([
      'literal:FRED FOOBAR ',
      'literal-marker:{7}',
    ]);
  });
});
