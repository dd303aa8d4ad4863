/**
 * The sandbox next to a real server: the same sessions, on the same example messages, against
 * Dovecot and against the sandbox, compared for structure: the same responses with the same
 * response codes for every command, whatever the numbers and texts. And the data that should not
 * differ at all between two correct servers, ENVELOPE and BODYSTRUCTURE, compared as values.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImapFramer } from '../../src/protocol/imap/framer.js';
import { parseImapValues, valueText, type ImapValue } from '../../src/protocol/imap/values.js';
import { SANDBOX_MESSAGES_DIR } from '../../src/sandbox/sandbox-files.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { describeDovecot } from '../support/dovecot.js';
import { imapShapes, pop3Shapes, type ExchangeShape } from '../support/response-shapes.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';

const NEW_MESSAGE = 'From: compare@example.org\r\nSubject: appended\r\n\r\nsame on both\r\n';

/**
 * Every command of the comparison, in an order both servers can follow; `/` stands for the
 * server's hierarchy separator (Dovecot's Maildir++ layout uses ".", the sandbox "/").
 */
const IMAP_SESSION = (sep: string) => [
  'CAPABILITY',
  'LOGIN joe password',
  'NOOP',
  'ID NIL',
  'NAMESPACE',
  'ENABLE X-NOTHING',
  'CREATE Archive',
  'CREATE Archive/2024',
  'CREATE Archive/2024',
  'LIST "" *',
  'LIST "" %',
  'LIST "" ""',
  'RENAME Archive/2024 Archive/Old',
  'SUBSCRIBE Archive/Old',
  'LSUB "" Archive*',
  'UNSUBSCRIBE Archive/Old',
  'STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)',
  `APPEND Archive {${NEW_MESSAGE.length}+}\r\n${NEW_MESSAGE}`,
  `APPEND Nowhere {${NEW_MESSAGE.length}+}\r\n${NEW_MESSAGE}`,
  'SELECT Nowhere',
  'EXAMINE INBOX',
  'STORE 1 +FLAGS (\\Seen)',
  'SELECT INBOX',
  'FETCH 1:* (FLAGS UID RFC822.SIZE)',
  'FETCH 2 (ENVELOPE BODYSTRUCTURE)',
  'FETCH 2 BODY.PEEK[HEADER]',
  'FETCH 2 BODY.PEEK[TEXT]<0.5>',
  'FETCH 2 BODY[]',
  'FETCH 3 RFC822.HEADER',
  'FETCH 4 (BODY BODY.PEEK[1] BODY.PEEK[2.MIME])',
  'FETCH 5 BODY.PEEK[2.HEADER]',
  'FETCH 1 FULL',
  'UID FETCH 1:* FLAGS',
  'SEARCH TEXT "tomorrow"',
  'SEARCH SUBJECT "test"',
  'SEARCH OR FROM "Terry" SINCE 1-Jan-1996 NOT SEEN',
  'SEARCH HEADER Message-Id "Blurdybloop" SENTBEFORE 1-Jan-1995',
  'UID SEARCH ALL',
  'SEARCH CHARSET NO-SUCH-CHARSET ALL',
  'STORE 1:2 +FLAGS (\\Flagged)',
  'STORE 2 -FLAGS.SILENT (\\Flagged)',
  'UID STORE 3 FLAGS (\\Deleted)',
  'COPY 1:2 Archive',
  'UID COPY 4 Archive',
  'COPY 1 Nowhere',
  'MOVE 4 Archive',
  'CHECK',
  'EXPUNGE',
  'UID EXPUNGE 1',
  'CLOSE',
  'DELETE Archive/Old',
  'DELETE Nowhere',
  'FETCH 1 FLAGS',
  'LOGOUT',
].map((c) => c.replace(/Archive\/(2024|Old)/g, `Archive${sep}$1`));

const POP3_SESSION = ['CAPA', 'USER joe', 'PASS password', 'STAT', 'LIST', 'LIST 2', 'LIST 9', 'UIDL', 'UIDL 1', 'TOP 1 0', 'RETR 2', 'DELE 1', 'DELE 1', 'RETR 1', 'RSET', 'NOOP', 'XYZZY', 'QUIT'];

/**
 * Where the two servers may differ, and why; everything else must be the same.
 * - Dovecot tells its capabilities after LOGIN unasked (RFC 3501 §6.2.3 allows it); the sandbox
 *   answers LOGIN as the RFC's examples do, and is asked with CAPABILITY.
 * - ENABLE of nothing it knows: the sandbox still sends ENABLED, which "may contain no
 *   capabilities" (RFC 5161 §3.2); Dovecot sends none.
 * - SELECT of a missing mailbox: the sandbox says why with RFC 5530's [NONEXISTENT].
 * - STORE in a mailbox opened with EXAMINE: Dovecot answers OK and changes nothing; the sandbox
 *   answers NO, since nothing can be stored (RFC 3501 §6.3.2: no changes to the mailbox).
 */
const ALLOWED: Record<string, { dovecot: string; sandbox: string }> = {
  'LOGIN joe password': { dovecot: '[["CAPABILITY"],"OK"]', sandbox: '[[],"OK"]' },
  'ENABLE X-NOTHING': { dovecot: '[[],"OK"]', sandbox: '[["ENABLED"],"OK"]' },
  'SELECT Nowhere': { dovecot: '[[],"NO"]', sandbox: '[[],"NO [NONEXISTENT]"]' },
  'STORE 1 +FLAGS (\\Seen)': { dovecot: '[[],"OK"]', sandbox: '[[],"NO"]' },
};

/** The differences between two runs of one session, other than the allowed ones. */
function differences(dovecot: ExchangeShape[], sandbox: ExchangeShape[]): string[] {
  expect(sandbox).toHaveLength(dovecot.length);
  return dovecot.flatMap((d, i) => {
    const s = sandbox[i] as ExchangeShape;
    // The capability lists themselves differ (CAPA's lines, CAPABILITY's words): only the status counts.
    const capa = d.command === 'CAPA';
    const dShape = JSON.stringify([capa ? [] : d.untagged, d.completion.replace('OK [CAPABILITY]', 'OK')]);
    const sShape = JSON.stringify([capa ? [] : s.untagged, s.completion]);
    if (dShape === sShape) return [];
    const allowed = ALLOWED[d.command];
    if (allowed && allowed.dovecot === dShape && allowed.sandbox === sShape) return [];
    return [`${d.command}\n  dovecot: ${dShape}\n  sandbox: ${sShape}`];
  });
}

/**
 * The ENVELOPE and BODYSTRUCTURE of every message as IMAP values, read with mailwire's framer and
 * value parser. Strings are compared unfolded: Dovecot sends a folded Subject as it stands in the
 * message (CRLF included, so as a literal), the sandbox unfolds it (RFC 5322 §2.2.3); and the
 * default transfer encoding is "7bit" to Dovecot, "7BIT" to the sandbox as to RFC 3501's example.
 */
async function structures(port: number): Promise<string[]> {
  const socket = connect({ host: '127.0.0.1', port });
  const framer = new ImapFramer();
  const responses: { segments: Buffer[]; literals: Buffer[] }[] = [];
  let literal: Buffer[] = [];
  let wake: () => void = () => undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const f of framer.push(chunk)) {
      if (f.type === 'segment') {
        if (f.first) responses.push({ segments: [], literals: [] });
        responses.at(-1)?.segments.push(Buffer.from(f.bytes));
      } else if (f.type === 'literal-data') literal.push(Buffer.from(f.bytes));
      else if (f.type === 'literal-end') {
        responses.at(-1)?.literals.push(Buffer.concat(literal));
        literal = [];
      }
    }
    wake();
  });
  const until = async (tag: string) => {
    while (!responses.some((r) => r.segments[0]?.toString().startsWith(tag))) await new Promise<void>((r) => (wake = r));
  };
  await until('* OK [');
  socket.write('s1 LOGIN joe password\r\ns2 EXAMINE INBOX\r\ns3 FETCH 1:* (ENVELOPE BODYSTRUCTURE)\r\n');
  await until('s3 ');
  socket.destroy();
  const normal = (v: ImapValue): unknown => {
    if (v.type === 'list') return v.items.map(normal);
    if (v.type === 'string') {
      const text = v.value.toString('utf8').replace(/\r\n/g, '');
      return /^7bit$/i.test(text) ? '7BIT' : text;
    }
    return v.type === 'nil' ? null : valueText(v);
  };
  return responses
    .filter((r) => /^\* \d+ FETCH /.test(r.segments[0]?.toString() ?? ''))
    .map((r) => JSON.stringify(parseImapValues(r.segments, r.literals, { start: (r.segments[0] as Buffer).indexOf('FETCH ') + 6 }).map(normal)));
}

describeDovecot('the sandbox compared with Dovecot', (dovecot) => {
  let sandbox: Sandbox;
  const examples = readdirSync(join(SANDBOX_MESSAGES_DIR, 'joe', 'INBOX')).sort().map((f) => readFileSync(join(SANDBOX_MESSAGES_DIR, 'joe', 'INBOX', f)).toString('latin1').replace(/\r?\n/g, '\r\n'));

  beforeAll(async () => {
    for (const m of examples) dovecot().deliver('joe', m);
    sandbox = await startSandbox({
      listen: plainLoopbackListeners(),
      // joe's INBOX alone, as Dovecot's joe has it.
      seed: exampleSeed().filter((a) => a.user === 'joe').map((a) => ({ ...a, mailboxes: a.mailboxes.filter((m) => m.name === 'INBOX') })),
      version: '0.0.0-test',
    });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const port = (protocol: 'imap' | 'pop3') => (sandbox.listeners.find((l) => l.spec.protocol === protocol) as { port: number }).port;

  it('ENVELOPE and BODYSTRUCTURE of the example messages: the same values from both (before the session below changes them)', async () => {
    const [fromDovecot, fromSandbox] = await Promise.all([structures(dovecot().imapPort), structures(port('imap'))]);
    expect(fromSandbox).toHaveLength(5);
    expect(fromSandbox).toEqual(fromDovecot);
  });

  it('IMAP: every command gets the same responses and response codes from both', async () => {
    const [fromDovecot, fromSandbox] = await Promise.all([imapShapes(dovecot().imapPort, IMAP_SESSION('.')), imapShapes(port('imap'), IMAP_SESSION('/'))]);
    expect(differences(fromDovecot, fromSandbox).join('\n')).toBe('');
  });

  it('POP3: every command gets the same status, and multi-line replies the same number of lines', async () => {
    const [fromDovecot, fromSandbox] = await Promise.all([pop3Shapes(dovecot().pop3Port, POP3_SESSION), pop3Shapes(port('pop3'), POP3_SESSION)]);
    expect(differences(fromDovecot, fromSandbox).join('\n')).toBe('');
  });

});
