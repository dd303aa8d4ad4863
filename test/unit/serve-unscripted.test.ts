/**
 * serve's own answers (serve-unscripted.ts) and what it adds to a transcript so clients can follow
 * it: an APOP timestamp in a greeting that shows none, UIDL ids for `$` holes. Pure: the sans-io
 * TranscriptServer, client bytes in, bytes out.
 */
import { describe, expect, it } from 'vitest';
import { apopDigest, greetingTimestamp } from '../../src/protocol/pop3/apop.js';
import { parseTranscript } from '../../src/transcript/format.js';
import { TranscriptServer, type ServeAction } from '../../src/transcript/serve.js';
import { advertisedCapabilities, listSeparator, unscriptedImapAnswer } from '../../src/transcript/serve-unscripted.js';

const sent = (actions: ServeAction[]) => actions.flatMap((a) => (a.type === 'send' ? [a.bytes.toString('utf8')] : [])).join('');
const clock = () => new Date('2026-12-03T12:00:00Z');

function pop3(lines: string[], secrets?: Map<string, string>): TranscriptServer {
  return new TranscriptServer(parseTranscript(['# protocol: pop3', ...lines, ''].join('\n')), { protocol: 'pop3', clock, ...(secrets ? { secrets } : {}) });
}

describe('serve-unscripted', () => {
  it('reads capabilities, namespaces and separators from server lines', () => {
    expect(advertisedCapabilities('* OK [CAPABILITY IMAP4rev1 IDLE] ready')).toBe('IMAP4rev1 IDLE');
    expect(advertisedCapabilities('* CAPABILITY IMAP4rev1 ACL')).toBe('IMAP4rev1 ACL');
    expect(advertisedCapabilities('* OK ready')).toBeNull();
    expect(listSeparator('* LIST (\\HasNoChildren) "." INBOX')).toBe('.');
    expect(unscriptedImapAnswer('a1', 'NAMESPACE', { capabilities: null, namespace: null, separator: '.', pop3Capa: null })).toEqual(['* NAMESPACE (("" ".")) NIL NIL', 'a1 OK NAMESPACE completed']);
    expect(unscriptedImapAnswer('a1', 'SELECT', { capabilities: null, namespace: null, separator: null, pop3Capa: null })).toBeNull();
  });
});

describe('a POP3 transcript served', () => {
  it('gets an APOP timestamp in a greeting that shows none, and the digest is checked with the declared secret', () => {
    const lines = ['S: +OK POP3 server ready', 'C: APOP mrose c4c9334bac560ecc979e58001b3e22fb', 'S: +OK mrose has 0 messages', 'C: QUIT', 'S: +OK bye'];
    const good = pop3(lines, new Map([['mrose', 'tanstaaf']]));
    const greeting = sent(good.start()).trim();
    const stamp = greetingTimestamp(greeting);
    expect(stamp).toMatch(/^<[^<>@\s]+@mailwire\.serve>$/);
    expect(sent(good.receive(Buffer.from(`APOP mrose ${apopDigest(stamp as string, 'tanstaaf')}\r\n`)))).toBe('+OK mrose has 0 messages\r\n');
    const bad = pop3(lines, new Map([['mrose', 'tanstaaf']]));
    const badStamp = greetingTimestamp(sent(bad.start()).trim()) as string;
    expect(sent(bad.receive(Buffer.from(`APOP mrose ${apopDigest(badStamp, 'wrong')}\r\n`)))).toMatch(/^-ERR /);
    expect(bad.mismatches).toBe(1);
  });

  it('leaves a greeting alone when nobody logs in with APOP', () => {
    expect(sent(pop3(['S: +OK POP3 server ready', 'C: QUIT', 'S: +OK bye']).start())).toBe('+OK POP3 server ready\r\n');
  });

  it('serves UIDL ids for $ holes that are unique, and the same on every connection', () => {
    const lines = ['S: +OK ready', 'C: UIDL', 'S: +OK', 'S: 1 $', 'S: 2 $', 'S: .', 'C: UIDL 2', 'S: +OK 2 $'];
    const one = pop3(lines);
    one.start();
    const listing = sent(one.receive(Buffer.from('UIDL\r\n')));
    const ids = listing.split('\r\n').slice(1, 3).map((l) => l.split(' ')[1]);
    expect(new Set(ids).size).toBe(2);
    expect(sent(one.receive(Buffer.from('UIDL 2\r\n')))).toBe(`+OK 2 ${ids[1]}\r\n`);
    const two = pop3(lines);
    two.start();
    expect(sent(two.receive(Buffer.from('UIDL\r\n')))).toBe(listing);
  });
});
