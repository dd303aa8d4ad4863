/**
 * What the sandbox starts with: the shipped example messages (their sizes are the ones the
 * documents print), a user's own Maildir or folder of .eml files for --maildir, and the --listen
 * addresses of `mailwire sandbox`.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../../src/cli/sandbox-command.js';
import { MailwireError } from '../../src/errors.js';
import { formatImapDateTime } from '../../src/sandbox/mail-dates.js';
import { SANDBOX_MESSAGES_DIR } from '../../src/sandbox/sandbox-files.js';
import { readExampleAccounts, readMailFolder } from '../../src/sandbox/seed-files.js';

describe('the shipped examples', () => {
  const accounts = readExampleAccounts(SANDBOX_MESSAGES_DIR);
  const sizes = (user: string, box: string) => accounts.find((a) => a.user === user)?.mailboxes.find((m) => m.name === box)?.messages.map((m) => m.raw.length);

  it('mrose\'s maildrop is RFC 1939 §10\'s: two messages, 120 and 200 octets', () => {
    expect(sizes('mrose', 'INBOX')).toEqual([120, 200]);
  });

  it('joe has the lecture\'s 743-octet "test" message, RFC 3501\'s 310-octet APPEND message, RFC 3501 §8\'s minutes and the MIME examples, and an empty saved-messages', () => {
    expect(sizes('joe', 'INBOX')).toEqual([743, 310, 3370, 714, 1657]);
    expect(sizes('joe', 'saved-messages')).toEqual([]);
  });

  it('every message has CRLF line endings, and the internal date comes from Received, else Date', () => {
    for (const account of accounts) {
      for (const box of account.mailboxes) for (const m of box.messages) expect(m.raw.toString('latin1')).not.toMatch(/[^\r]\n/);
    }
    const inbox = accounts.find((a) => a.user === 'joe')?.mailboxes[0]?.messages ?? [];
    expect(inbox.map((m) => formatImapDateTime(m.internalDate))).toEqual([
      ' 1-Oct-2010 21:21:42 +0400',
      ' 7-Feb-1994 21:52:25 -0800',
      '17-Jul-1996 02:23:25 -0700',
      '21-Mar-1993 23:56:48 -0800',
      '12-Nov-1996 09:00:00 -0500',
    ]);
  });
});

describe('--maildir DIR', () => {
  it('reads a Maildir: new/ messages are recent, cur/ flags come from the file names, .Sub.folders are mailboxes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-maildir-'));
    for (const sub of ['cur', 'new', 'tmp', '.Sent/cur', '.Lists.imap/new']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'new', '1700000000.M1.host'), 'Subject: new one\n\nhello\n');
    writeFileSync(join(dir, 'cur', '1700000001.M2.host:2,FRS'), 'Subject: old one\r\n\r\nhi\r\n');
    writeFileSync(join(dir, 'cur', '1700000002.M3.host:2,T'), 'Subject: trashed\r\n\r\nbye\r\n');
    writeFileSync(join(dir, '.Sent', 'cur', '1700000003.M4.host:2,S'), 'Subject: sent\r\n\r\n.\r\n');
    writeFileSync(join(dir, '.Lists.imap', 'new', '1700000004.M5.host'), 'Subject: list\r\n\r\nx\r\n');
    utimesSync(join(dir, 'new', '1700000000.M1.host'), 1700000000, 1700000000);
    const boxes = readMailFolder(dir);
    expect(boxes.map((b) => b.name)).toEqual(['INBOX', 'Lists/imap', 'Sent']);
    const inbox = boxes[0]?.messages ?? [];
    expect(inbox.map((m) => [m.raw.toString().split('\r\n')[0], m.flags, m.recent])).toEqual([
      ['Subject: new one', [], true],
      ['Subject: old one', ['\\Flagged', '\\Answered', '\\Seen'], false],
      ['Subject: trashed', ['\\Deleted'], false],
    ]);
    expect(inbox[0]?.internalDate.date.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('reads a folder of .eml files: its files are INBOX, its subfolders mailboxes; other files are skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-eml-'));
    mkdirSync(join(dir, 'Archive', '2024'), { recursive: true });
    writeFileSync(join(dir, 'b.eml'), 'Subject: second\n\n');
    writeFileSync(join(dir, 'a.eml'), 'Subject: first\n\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a message');
    writeFileSync(join(dir, 'Archive', '2024', 'c.eml'), 'Subject: archived\n\n');
    const boxes = readMailFolder(dir);
    expect(boxes.map((b) => [b.name, b.messages.map((m) => m.raw.toString().split('\r\n')[0])])).toEqual([
      ['Archive/2024', ['Subject: archived']],
      ['Archive', []],
      ['INBOX', ['Subject: first', 'Subject: second']],
    ]);
  });

  it('a folder that cannot be read is a file error, in one sentence', () => {
    expect(() => readMailFolder('/nonexistent/mail')).toThrow(MailwireError);
    expect(() => readMailFolder('/nonexistent/mail')).toThrow('cannot read /nonexistent/mail: no such file or folder');
  });
});

describe('mailwire sandbox --listen', () => {
  it('a URL gives one listener (no port: a free one); a well-known port says the protocol; a host alone gets all four', () => {
    expect(parseListenAddress('imap://127.0.0.1:1143')).toEqual([{ protocol: 'imap', tls: 'plain', host: '127.0.0.1', port: 1143 }]);
    expect(parseListenAddress('pop3s://[::1]')).toEqual([{ protocol: 'pop3', tls: 'implicit', host: '::1', port: 0 }]);
    expect(parseListenAddress('127.0.0.1:993')).toEqual([{ protocol: 'imap', tls: 'implicit', host: '127.0.0.1', port: 993 }]);
    expect(parseListenAddress('[::1]:110')).toEqual([{ protocol: 'pop3', tls: 'plain', host: '::1', port: 110 }]);
    expect(parseListenAddress('0.0.0.0').map((l) => `${l.protocol}/${l.tls}/${l.host}/${l.port}`)).toEqual([
      'imap/plain/0.0.0.0/0',
      'imap/implicit/0.0.0.0/0',
      'pop3/plain/0.0.0.0/0',
      'pop3/implicit/0.0.0.0/0',
    ]);
    expect(parseListenAddress('::1')).toHaveLength(4);
  });

  it('refuses what it cannot read, saying what was expected', () => {
    expect(() => parseListenAddress('127.0.0.1:1143')).toThrow('--listen 127.0.0.1:1143: port 1143 does not say the protocol: write imap://127.0.0.1:1143, pop3://127.0.0.1:1143, ...');
    expect(() => parseListenAddress('smtp://127.0.0.1:25')).toThrow('unknown scheme "smtp://"');
    expect(() => parseListenAddress('imap://127.0.0.1:70000')).toThrow('port 70000 is out of range');
    expect(() => parseListenAddress('127.0.0.1:abc')).toThrow('"abc" is not a port');
    expect(() => parseListenAddress('')).toThrow('expected [SCHEME://]HOST[:PORT]');
  });
});
