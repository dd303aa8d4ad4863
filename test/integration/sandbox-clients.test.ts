/**
 * The sandbox against clients that are not mailwire: curl (imap://, imaps://, pop3://, pop3s://,
 * STARTTLS and STLS verified against the sandbox CA) and Python's imaplib and poplib, which drive
 * every command the sandbox offers. Each test gets a fresh sandbox on free loopback ports.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { SANDBOX_CA_FILE } from '../../src/sandbox/sandbox-files.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { exampleSeed } from '../support/sandbox-harness.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLIENTS = fileURLToPath(new URL('../fixtures/sandbox-clients/', import.meta.url));

let running: Sandbox | null = null;

afterEach(async () => {
  await running?.close();
  running = null;
});

/** A fresh sandbox with all four listeners; returns host:port by scheme. */
async function sandbox(): Promise<Record<'imap' | 'imaps' | 'pop3' | 'pop3s', string>> {
  running = await startSandbox({
    listen: (['imap', 'pop3'] as const).flatMap((protocol) => (['plain', 'implicit'] as const).map((tls) => ({ protocol, tls, host: '127.0.0.1', port: 0 }))),
    seed: exampleSeed(),
    version: '0.0.0-test',
  });
  const by = (scheme: string) => (running as Sandbox).listeners.find((l) => l.url.startsWith(`${scheme}://`))?.url.slice(scheme.length + 3) as string;
  return { imap: by('imap'), imaps: by('imaps'), pop3: by('pop3'), pop3s: by('pop3s') };
}

/** curl, verbose, with what it sent and received as "> " and "< " lines. */
async function curl(args: string[]): Promise<{ code: number; body: string; sent: string[]; received: string[] }> {
  const r = await runClient('curl', ['-sS', '-v', '--max-time', '15', ...args]);
  const lines = r.stderr.split(/\r?\n/);
  return { code: r.code, body: r.stdout, sent: lines.filter((l) => l.startsWith('> ')).map((l) => l.slice(2)), received: lines.filter((l) => l.startsWith('< ')).map((l) => l.slice(2)) };
}

describeWithClients('the sandbox and curl', ['curl'], () => {
  it('IMAP: LIST, a message by UID (FETCH BODY[] sets \\Seen), SEARCH, and an upload by APPEND', async () => {
    const { imap } = await sandbox();
    const list = await curl([`imap://${imap}/`, '-u', 'joe:password']);
    expect(list.code).toBe(0);
    expect(list.body).toBe('* LIST (\\HasNoChildren) "/" INBOX\r\n* LIST (\\HasNoChildren) "/" saved-messages\r\n');
    // curl logs in with AUTHENTICATE PLAIN and an initial response (RFC 4959), as the sandbox offers.
    expect(list.sent).toContain(`A002 AUTHENTICATE PLAIN ${Buffer.from('\0joe\0password').toString('base64')}`);

    const message = await curl([`imap://${imap}/INBOX;UID=2`, '-u', 'joe:password']);
    expect(message.body).toBe(
      'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.COM>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n',
    );
    expect(message.received).toContain('* 2 FETCH (UID 2 BODY[] {310}');

    const search = await curl([`imap://${imap}/INBOX?TEXT%20tomorrow`, '-u', 'joe:password']);
    expect(search.body).toBe('* SEARCH 2\r\n');
    const seen = await curl([`imap://${imap}/INBOX?SEEN`, '-u', 'joe:password']);
    expect(seen.body).toBe('* SEARCH 2\r\n');

    const file = join(mkdtempSync(join(tmpdir(), 'mailwire-curl-')), 'upload.eml');
    writeFileSync(file, 'From: curl@example.org\r\nSubject: uploaded\r\n\r\nsent with curl -T\r\n');
    const upload = await curl(['-T', file, `imap://${imap}/saved-messages`, '-u', 'joe:password']);
    expect(upload.code).toBe(0);
    expect(upload.received).toContain('+ Ready for literal data');
    expect(upload.received.some((l) => /^A\d+ OK \[APPENDUID \d+ 1\] APPEND completed$/.test(l))).toBe(true);
    const status = await curl([`imap://${imap}/`, '-u', 'joe:password', '-X', 'STATUS saved-messages (MESSAGES UNSEEN)']);
    expect(status.body).toBe('* STATUS saved-messages (MESSAGES 1 UNSEEN 0)\r\n');
  });

  it('IMAP custom commands with -X: EXAMINE, STORE, COPY, CREATE, GETQUOTAROOT', async () => {
    const { imap } = await sandbox();
    const x = async (command: string, path = '') => (await curl([`imap://${imap}/${path}`, '-u', 'joe:password', '-X', command])).body;
    expect(await x('EXAMINE INBOX')).toMatch(/^\* 5 EXISTS\r\n\* 5 RECENT\r\n/);
    expect(await x('CREATE Projects/mailwire')).toBe('');
    expect(await x('LIST "" Projects*')).toBe('* LIST (\\HasChildren) "/" Projects\r\n* LIST (\\HasNoChildren) "/" Projects/mailwire\r\n');
    expect(await x('GETQUOTAROOT INBOX')).toBe('* QUOTAROOT INBOX ""\r\n* QUOTA "" (STORAGE 7 10240)\r\n');
    // EXAMINE left the messages recent (RFC 3501 §6.3.2 changes nothing): this SELECT takes them.
    expect(await x('STORE 1 +FLAGS (\\Flagged)', 'INBOX')).toBe('* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\n');
    expect(await x('COPY 1:2 Projects/mailwire', 'INBOX')).toBe('');
    expect(await x('STATUS Projects/mailwire (MESSAGES)')).toBe('* STATUS Projects/mailwire (MESSAGES 2)\r\n');
  });

  it('IMAP over STARTTLS (--ssl-reqd) and imaps://, verified against the sandbox CA; refused without it', async () => {
    const { imap, imaps } = await sandbox();
    const starttls = await curl(['--ssl-reqd', '--cacert', SANDBOX_CA_FILE, `imap://${imap}/INBOX?ALL`, '-u', 'mrose:tanstaaf']);
    expect(starttls.code).toBe(0);
    expect(starttls.sent[1]).toBe('A002 STARTTLS');
    expect(starttls.body).toBe('* SEARCH 1 2\r\n');
    const implicit = await curl(['--cacert', SANDBOX_CA_FILE, `imaps://${imaps}/INBOX;UID=1`, '-u', 'mrose:tanstaaf']);
    expect(implicit.body).toContain('Two messages for you (320 octets).');
    const untrusted = await curl([`imaps://${imaps}/`, '-u', 'mrose:tanstaaf']);
    expect(untrusted.code).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
  });

  it('POP3: LIST, RETR, UIDL, TOP, DELE (applied at QUIT), APOP, and pop3s:// and STLS verified against the sandbox CA', async () => {
    const { pop3, pop3s } = await sandbox();
    const list = await curl([`pop3://${pop3}/`, '-u', 'mrose:tanstaaf']);
    expect(list.body).toBe('1 120\r\n2 200\r\n');
    expect(list.sent.slice(1, 3)).toEqual(['AUTH PLAIN', Buffer.from('\0mrose\0tanstaaf').toString('base64')]);
    expect(list.received).toContain('+OK Maildrop locked and ready');
    const apop = await curl([`pop3://${pop3}/1`, '-u', 'mrose:tanstaaf', '--login-options', 'AUTH=+APOP']);
    expect(apop.sent.some((l) => /^APOP mrose [0-9a-f]{32}$/.test(l))).toBe(true);
    expect(apop.received).toContain("+OK mrose's maildrop has 2 messages (320 octets)");
    expect(apop.body).toBe('From: dewey@dbc.mtview.ca.us\r\nTo: mrose@dbc.mtview.ca.us\r\nSubject: your maildrop\r\n\r\nTwo messages for you (320 octets).\r\n');
    const uidl = await curl([`pop3://${pop3}/`, '-u', 'mrose:tanstaaf', '-X', 'UIDL']);
    expect(uidl.body).toMatch(/^1 [\x21-\x7e]+\r\n2 [\x21-\x7e]+\r\n$/);
    const top = await curl([`pop3://${pop3}/`, '-u', 'mrose:tanstaaf', '-X', 'TOP 2 0']);
    expect(top.body).toBe('Date: Mon, 13 May 1996 09:00:00 -0700\r\nFrom: dewey@dbc.mtview.ca.us\r\nTo: mrose@dbc.mtview.ca.us\r\nSubject: APOP\r\n\r\n');
    // DELE has no body: -I tells curl not to wait for one.
    const dele = await curl([`pop3://${pop3}/`, '-u', 'mrose:tanstaaf', '-X', 'DELE 1', '-I']);
    expect(dele.received).toContain('+OK message 1 deleted');
    // curl ends with QUIT (not shown by -v), where the deletion takes effect (RFC 1939 §6): the
    // next session lists one message; a session dropped without QUIT would have changed nothing.
    const stls = await curl(['--ssl-reqd', '--cacert', SANDBOX_CA_FILE, `pop3://${pop3}/`, '-u', 'mrose:tanstaaf']);
    expect(stls.sent).toContain('STLS');
    expect(stls.body).toBe('1 200\r\n');
    const implicit = await curl(['--cacert', SANDBOX_CA_FILE, `pop3s://${pop3s}/1`, '-u', 'joe:password']);
    expect(implicit.body).toMatch(/^Return-Path: <root@phys\.petrus\.ru>\r\n/);
  });
});

describeWithClients('the sandbox and Python\'s imaplib and poplib', ['python3'], () => {
  async function python(script: string, hostPort: string): Promise<Record<string, unknown>> {
    const [host, port] = hostPort.split(':') as [string, string];
    const r = await runClient('python3', [join(CLIENTS, script), host, port, SANDBOX_CA_FILE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it('imaplib: every IMAP4rev1 command and the extensions the sandbox offers, after STARTTLS', async () => {
    const { imap } = await sandbox();
    const r = await python('imaplib_session.py', imap);
    expect(r['greeting_caps']).toEqual(['AUTH=PLAIN', 'ENABLE', 'ID', 'IDLE', 'IMAP4REV1', 'LITERAL+', 'SASL-IR', 'STARTTLS']);
    expect(r['caps_after_tls']).not.toContain('STARTTLS');
    expect(r['authenticate']).toEqual(['OK', ['AUTHENTICATE completed']]);
    expect(r['capability']).toEqual(['OK', ['IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS CHILDREN MOVE QUOTA QUOTA=RES-STORAGE']]);
    expect(r['noop']).toEqual(['OK', ['NOOP completed']]);
    expect(r['id_untagged']).toEqual(['("name" "mailwire sandbox" "version" "0.0.0-test" "vendor" "mailwire")']);
    expect(r['enable']).toEqual(['OK', ['ENABLE completed']]);
    expect(r['namespace']).toEqual(['OK', ['(("" "/")) NIL NIL']]);
    expect(r['getquotaroot']).toEqual(['OK', [['INBOX ""'], ['"" (STORAGE 7 10240)']]]);
    expect(r['getquota']).toEqual(['OK', ['"" (STORAGE 7 10240)']]);
    expect(r['list_all']).toEqual(['OK', ['(\\HasNoChildren) "/" INBOX', '(\\HasNoChildren) "/" saved-messages']]);
    expect(r['create']).toEqual(['OK', ['CREATE completed']]);
    expect(r['create_again']).toEqual(['NO', ['[ALREADYEXISTS] Mailbox already exists']]);
    expect(r['list_children']).toEqual(['OK', ['(\\HasNoChildren) "/" INBOX', '(\\HasChildren) "/" Archive', '(\\HasNoChildren) "/" saved-messages']]);
    expect(r['rename']).toEqual(['OK', ['RENAME completed']]);
    expect(r['lsub']).toEqual(['OK', ['() "/" Old/2024']]);
    expect(r['unsubscribe']).toEqual(['OK', ['UNSUBSCRIBE completed']]);
    expect(r['delete_child']).toEqual(['OK', ['DELETE completed']]);
    expect(r['delete']).toEqual(['OK', ['DELETE completed']]);
    expect(r['status']).toEqual(['OK', ['INBOX (MESSAGES 5 RECENT 5 UIDNEXT 6 UNSEEN 5)']]);
    expect(r['append']).toEqual(['OK', [expect.stringMatching(/^\[APPENDUID \d+ 1\] APPEND completed$/)]]);
    expect(r['examine']).toEqual(['OK', ['1']]);
    expect(r['store_readonly']).toEqual(['NO', ['Mailbox is read-only']]);
    expect(r['select']).toEqual(['OK', ['5']]);
    expect(r['search_text']).toEqual(['OK', ['2']]);
    expect(r['search_subject']).toEqual(['OK', ['1']]);
    expect(r['search_mix']).toEqual(['OK', ['1 5']]);
    expect(r['search_unseen']).toEqual(['OK', ['1 2 3 4 5']]);
    // ALL, TO, BODY (message 5 quotes "3:30" in its attached reply), HEADER, BEFORE, ON, SEEN, DELETED, FLAGGED, a sequence set, a UID set, NOT, OR.
    expect(r['search_keys']).toEqual([null, ['1 2 3 4 5', '2', '2 5', '3', '2 4', '3', '', '', '', '2 3 4', '4 5', '2 3 4 5', '3 4']]);
    expect(r['fetch_fast']).toEqual(['OK', ['1 (FLAGS (\\Recent) INTERNALDATE " 1-Oct-2010 21:21:42 +0400" RFC822.SIZE 743)', '2 (FLAGS (\\Recent) INTERNALDATE " 7-Feb-1994 21:52:25 -0800" RFC822.SIZE 310)']]);
    expect(JSON.stringify(r['fetch_envelope'])).toContain('((NIL NIL \\"minutes\\" \\"CNRI.Reston.VA.US\\")(\\"John Klensin\\" NIL \\"KLENSIN\\" \\"MIT.EDU\\"))');
    expect(JSON.stringify(r['fetch_bodystructure'])).toContain('\\"mixed\\" (\\"boundary\\" \\"simple boundary\\")');
    expect(r['fetch_header']).toEqual(['OK', [['2 (BODY[HEADER.FIELDS (SUBJECT FROM)] {74}', 'From: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\n\r\n'], ')']]);
    expect(r['fetch_partial']).toEqual(['OK', [['2 (BODY[TEXT]<0> {10}', 'Hello Joe,'], ')']]);
    expect(r['fetch_body_header']).toEqual(['OK', [['2 (BODY[HEADER] {255}', expect.stringMatching(/^Date: Mon, 7 Feb 1994 .*\r\n\r\n$/s)], ' FLAGS (\\Seen \\Recent))']]);
    expect(r['fetch_rfc822_parts']).toEqual(['OK', [['3 (RFC822.HEADER {342}', expect.stringMatching(/^Date: Wed, 17 Jul 1996/)], [' RFC822.TEXT {3028}', expect.stringMatching(/^Minutes of the IMAP4rev1 working group meeting\r\n/)], ' FLAGS (\\Seen \\Recent))']]);
    expect(r['fetch_rfc822']).toEqual(['OK', [['2 (RFC822 {310}', expect.stringContaining('3:30 tomorrow?')], ')']]);
    expect(r['fetch_flags_after']).toEqual(['OK', ['2 (FLAGS (\\Seen \\Recent))']]);
    expect(r['store']).toEqual(['OK', ['1 (FLAGS (\\Flagged \\Deleted \\Recent))']]);
    expect(r['store_silent']).toEqual(['OK', [null]]);
    expect(r['copyuid']).toEqual([expect.stringMatching(/^\d+ 3:4 2:3$/)]);
    expect(r['uid_fetch']).toEqual(['OK', ['1 (UID 1 FLAGS (\\Flagged \\Deleted \\Recent))', '2 (UID 2 FLAGS (\\Recent))', '3 (UID 3 FLAGS (\\Seen \\Recent))', '4 (UID 4 FLAGS (\\Recent))', '5 (UID 5 FLAGS (\\Recent))']]);
    expect(r['uid_search']).toEqual(['OK', ['1']]);
    expect(r['uid_store']).toEqual(['OK', ['5 (UID 5 FLAGS (\\Answered \\Recent))']]);
    expect(r['check']).toEqual(['OK', ['CHECK completed']]);
    expect(r['expunge']).toEqual(['OK', ['1']]);
    // UID EXPUNGE 2 removes UID 2 (now message 1), not UID 3, though both are \Deleted (RFC 4315 §2.1).
    expect(r['uid_expunge']).toEqual(['OK', [null]]);
    expect(r['uid_expunge_untagged']).toEqual(['1']);
    expect(r['move']).toEqual(['OK', ['MOVE completed']]);
    expect(r['move_untagged']).toEqual(['1']);
    expect(r['close']).toEqual(['OK', ['CLOSE completed']]);
    // saved-messages: the APPEND, two COPY, one UID COPY, one MOVE.
    expect(r['status_saved']).toEqual(['OK', ['saved-messages (MESSAGES 5)']]);
    expect(r['logout']).toEqual(['BYE', ['IMAP4rev1 Server logging out']]);
  });

  it('poplib: RFC 1939\'s commands, CAPA, STLS, APOP, USER/PASS, AUTH PLAIN, and -ERR [IN-USE] for a second session', async () => {
    const { pop3 } = await sandbox();
    const r = await python('poplib_session.py', pop3);
    expect(r['welcome']).toMatch(/^\+OK POP3 server ready <[^<>@\s]+@mailwire-sandbox>$/);
    expect(r['capa']).toEqual(['AUTH-RESP-CODE', 'EXPIRE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'SASL', 'STLS', 'TOP', 'UIDL', 'USER']);
    expect(r['stls']).toBe('+OK Begin TLS negotiation');
    expect(r['capa_tls']).not.toContain('STLS');
    expect(r['apop']).toBe("+OK mrose's maildrop has 2 messages (320 octets)");
    expect(r['stat']).toEqual([2, 320]);
    expect(r['list']).toEqual(['+OK 2 messages (320 octets)', ['1 120', '2 200']]);
    expect(r['list_one']).toBe('+OK 2 200');
    expect(r['uidl']).toEqual([expect.stringMatching(/^1 \S+$/), expect.stringMatching(/^2 \S+$/)]);
    expect(r['retr']).toEqual(['+OK 120 octets', ['From: dewey@dbc.mtview.ca.us', 'To: mrose@dbc.mtview.ca.us', 'Subject: your maildrop', '', 'Two messages for you (320 octets).'], 120]);
    expect(r['top']).toEqual(['+OK', ['Date: Mon, 13 May 1996 09:00:00 -0700', 'From: dewey@dbc.mtview.ca.us', 'To: mrose@dbc.mtview.ca.us', 'Subject: APOP', '']]);
    expect(r['noop']).toBe('+OK');
    expect(r['dele']).toBe('+OK message 1 deleted');
    expect(r['retr_deleted']).toBe('-ERR message 1 already deleted');
    expect(r['second_session']).toBe('-ERR [IN-USE] maildrop already locked');
    expect(r['rset']).toBe('+OK maildrop has 2 messages (320 octets)');
    expect(r['dele_again']).toBe('+OK message 2 deleted');
    expect(r['quit']).toBe('+OK mailwire sandbox POP3 server signing off (1 message left)');
    expect(r['user']).toBe('+OK mrose is a real hoopy frood');
    expect(r['pass']).toBe("+OK mrose's maildrop has 1 message (120 octets)");
    expect(r['stat_after_update']).toEqual([1, 120]);
    expect(r['auth_plain']).toBe('+OK Maildrop locked and ready');
    expect(r['joe_stat']).toEqual([5, 6794]);
  });
});
