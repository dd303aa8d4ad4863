/**
 * A bounded fuzzing pass over mailwire's servers: the sandbox's IMAP and POP3 server sessions and
 * serve's transcript server, fed random and mutated client input (real commands cut, spliced and
 * repeated; nesting thousands deep; huge counts and literal sizes; bytes of every value), split at
 * random chunk boundaries. Seeded, with a fixed number of runs. Whatever comes, a session never
 * throws, its output stays bounded, the store stays within its bound, and another client of the same
 * server is still served afterwards.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { TranscriptServer } from '../../src/transcript/serve.js';
import { imapConnection, imapLoggedIn, pop3Connection, sandboxWorld, splitLines, type Connection } from '../support/sandbox-harness.js';

const IMAP_COMMANDS = [
  'a LOGIN joe password',
  'a LOGIN {3}\r\njoe {8+}\r\npassword',
  'b SELECT INBOX',
  'c FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODYSTRUCTURE ENVELOPE)',
  'c UID FETCH 1:* (RFC822.SIZE BODY[]<0.100>)',
  'd SEARCH OR (FROM joe NOT SEEN) TEXT "meeting" UID 1:4',
  'e LIST "" "*%*%Z"',
  'e LSUB "" %',
  'f CREATE a/b/c',
  'f RENAME a x/y',
  'g APPEND INBOX (\\Seen) {30+}\r\nSubject: x\r\n\r\nhello world!!\r\n',
  'h STORE 1:* +FLAGS (\\Deleted k1 k2)',
  'i COPY 1:* INBOX',
  'j EXPUNGE',
  'k SETQUOTA "" (STORAGE 99999999)',
  'l STATUS INBOX (MESSAGES UIDNEXT UNSEEN)',
  'm IDLE\r\nDONE',
  'n AUTHENTICATE PLAIN\r\nAGpvZQBwYXNzd29yZA==',
  'o ID ("name" "fuzz")',
  'p NOOP',
  'q STARTTLS',
  'r LOGOUT',
];

const POP3_COMMANDS = ['USER joe', 'PASS password', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb', 'STAT', 'LIST', 'LIST 1', 'UIDL', 'RETR 1', 'TOP 1 3', 'DELE 1', 'RSET', 'NOOP', 'CAPA', 'AUTH PLAIN AGpvZQBwYXNzd29yZA==', 'STLS', 'QUIT'];

/** Hostile pieces: nesting, counts, sizes and bytes no client should send. */
const HOSTILE = fc.oneof(
  fc.integer({ min: 1, max: 6000 }).map((n) => '('.repeat(n)),
  fc.integer({ min: 1, max: 6000 }).map((n) => `x SEARCH ${'NOT '.repeat(n)}ALL`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `x SEARCH ${'OR ALL '.repeat(n)}ALL`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `x FETCH 1:* (${'BODY['.repeat(n)}`),
  fc.integer({ min: 1, max: 500 }).map((n) => `x LIST "" "${'*%'.repeat(n)}Z"`),
  fc.constantFrom('{99999999999999999}', '{4294967296}', '{999999999+}', '~{5}', '{-1}', '{1}', '{0}', '4294967295:*', '0', '*:*', '1,2,3,1:4294967295'),
  fc.integer({ min: 1, max: 200 }).map((n) => `x FETCH 1 (${Array.from({ length: n }, (_, i) => `BODY.PEEK[]<${i}>`).join(' ')})`),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('\r\n', '\n', '\r', '\0', '"', '\\', ')', ']', '*', '+', ' '),
);

/** A client's input: commands cut, spliced, repeated and mixed with hostile pieces, as one byte string. */
function clientInput(commands: readonly string[]) {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...commands).map((c) => `${c}\r\n`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...commands), fc.nat(), fc.nat()).map(([c, a, b]) => c.slice(Math.min(a, b) % (c.length + 1), Math.max(a, b) % (c.length + 1))) },
    { weight: 2, arbitrary: HOSTILE },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...commands), fc.integer({ min: 2, max: 200 })).map(([c, n]) => `${c}\r\n`.repeat(n)) },
  );
  return fc.array(piece, { minLength: 1, maxLength: 24 }).map((pieces) => Buffer.from(pieces.join(''), 'latin1'));
}

/** The input cut at random places: chunk boundaries must not matter to a server either. */
function chunked(input: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, input.length]) {
    if (c > from) out.push(input.subarray(from, c));
    from = Math.max(from, c);
  }
  return out;
}

function feed(conn: Connection, chunks: Buffer[]): number {
  let octets = 0;
  for (const chunk of chunks) octets += Buffer.byteLength(conn.sendRaw(chunk), 'latin1');
  return octets;
}

const STORE_BOUND = 2 * 1024 * 1024;
/** Each command's output is bounded (FETCH by --max-pending-output, 1 MiB here); commands by the input. */
const OUTPUT_PER_INPUT_LINE = 1024 * 1024 + 4096;

describe('fuzzing the servers (seeded, bounded)', () => {
  it('found by this pass: a POP3 line starting with a CR or a tab is refused, not a TypeError that ended the process', () => {
    const conn = pop3Connection(sandboxWorld());
    expect(conn.sendRaw('\rUSER joe\r\n\tNOOP\r\nNOOP\r\n')).toBe('-ERR Invalid command line\r\n-ERR Invalid command line\r\n-ERR Unknown command in AUTHORIZATION state (log in first)\r\n');
  });

  it('the IMAP server session: never throws, bounded output and store, and another client is still served', () => {
    fc.assert(
      fc.property(clientInput(IMAP_COMMANDS), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (input, cuts, loggedIn) => {
        const world = sandboxWorld(undefined, 10 * 1024, STORE_BOUND);
        const limits = { maxPendingOutputOctets: 1024 * 1024 };
        const conn = loggedIn ? imapLoggedIn(world, 'joe', { limits }) : imapConnection(world, { limits });
        const octets = feed(conn, chunked(input, cuts));
        const lines = input.toString('latin1').split('\n').length + 1;
        expect(octets).toBeLessThanOrEqual(lines * OUTPUT_PER_INPUT_LINE);
        expect(world.store.heldOctets).toBeLessThanOrEqual(STORE_BOUND);
        const other = imapLoggedIn(world, 'joe');
        expect(other.send('o1 SELECT INBOX').at(-1)).toMatch(/^o1 OK /);
        expect(other.send('o2 NOOP').at(-1)).toBe('o2 OK NOOP completed');
        conn.imap.connectionClosed();
      }),
      { numRuns: 250, seed: 20261203 },
    );
  });

  it('the POP3 server session: never throws, bounded output, and another client is still served', () => {
    fc.assert(
      fc.property(clientInput(POP3_COMMANDS), fc.array(fc.nat(), { maxLength: 8 }), (input, cuts) => {
        const world = sandboxWorld();
        const conn = pop3Connection(world);
        const octets = feed(conn, chunked(input, cuts));
        expect(octets).toBeLessThanOrEqual((input.toString('latin1').split('\n').length + 1) * 64 * 1024);
        conn.pop3.connectionClosed();
        const other = pop3Connection(world);
        expect(other.send('USER mrc', 'PASS secret', 'STAT').at(-1)).toMatch(/^\+OK \d+ \d+$/);
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it('serve: never throws, and each action is a send, a report, a close or a TLS start', () => {
    const transcriptFile = fileURLToPath(new URL('../../transcripts/dovecot/imap-session.txt', import.meta.url));
    const transcript = parseTranscript(readFileSync(transcriptFile, 'utf8'));
    fc.assert(
      fc.property(clientInput(IMAP_COMMANDS), fc.array(fc.nat(), { maxLength: 8 }), (input, cuts) => {
        const server = new TranscriptServer(transcript, { protocol: 'imap', clock: () => new Date('2026-01-01T00:00:00Z'), maxLineOctets: 64 * 1024 });
        let sent = 0;
        for (const action of server.start()) if (action.type === 'send') sent += action.bytes.length;
        for (const chunk of chunked(input, cuts)) {
          for (const action of server.receive(chunk)) {
            expect(['send', 'report', 'close', 'start-tls']).toContain(action.type);
            if (action.type === 'send') sent += action.bytes.length;
          }
        }
        // Replies are the transcript's lines or one BAD a client line: bounded by both.
        expect(sent).toBeLessThanOrEqual(readFileSync(transcriptFile).length * 2 + (input.toString('latin1').split('\n').length + 1) * 70 * 1024);
        server.connectionClosed();
      }),
      { numRuns: 100, seed: 20261205 },
    );
  });

  it('a fuzzed session keeps answering or closes cleanly: after its input, a NOOP on a fresh line is answered, unless it closed or waits for a literal', () => {
    fc.assert(
      fc.property(clientInput(IMAP_COMMANDS), (input) => {
        const world = sandboxWorld(undefined, 10 * 1024, STORE_BOUND);
        const conn = imapLoggedIn(world, 'joe');
        conn.sendRaw(input);
        if (conn.closed || conn.imap.state === 'logout') return;
        // Whatever was left unfinished (a quoted string, a literal announced, an IDLE, an AUTHENTICATE) is ended first.
        const tail = conn.sendRaw('\r\nDONE\r\n*\r\nzz NOOP\r\n');
        const lines = splitLines(tail);
        const awaitingLiteral = /\{\d+\+?\}$/.test(input.toString('latin1').split('\r\n').at(-1) ?? '');
        if (!conn.closed && !awaitingLiteral && !/\{\d{4,}\+?\}/.test(input.toString('latin1'))) expect(lines.some((l) => /^zz (OK|BAD|NO) /.test(l)) || lines.some((l) => l.startsWith('* BYE'))).toBe(true);
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });
});
