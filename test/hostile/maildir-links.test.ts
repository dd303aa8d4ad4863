/**
 * `mailwire sandbox --maildir DIR` reads a folder the user gives, which may hold symbolic links: a
 * loop of them (before, three links made start-up walk the loop for ever, memory growing) and links
 * out of the folder. No link to a folder is followed, and a link to a file only when the file is
 * inside DIR; the sandbox starts with the folder's own mailboxes.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMailFolder } from '../../src/sandbox/seed-files.js';
import { startMeasuredServer } from '../support/measured-server.js';

const message = (subject: string) => `From: a@example.org\r\nSubject: ${subject}\r\n\r\nbody\r\n`;

function folderWithLinks(): string {
  const root = mkdtempSync(join(tmpdir(), 'mailwire-maildir-links-'));
  const outside = mkdtempSync(join(tmpdir(), 'mailwire-outside-'));
  writeFileSync(join(outside, 'secret.eml'), message('outside'));
  mkdirSync(join(root, 'a'));
  mkdirSync(join(root, 'b'));
  writeFileSync(join(root, 'one.eml'), message('one'));
  writeFileSync(join(root, 'a', 'two.eml'), message('two'));
  // A loop of three links, a link out of the folder, a link to a file inside it, a dangling one.
  symlinkSync('..', join(root, 'a', 'up'));
  symlinkSync(join(root, 'a'), join(root, 'b', 'to-a'));
  symlinkSync(join(root, 'b'), join(root, 'a', 'to-b'));
  symlinkSync(outside, join(root, 'away'));
  symlinkSync(join(outside, 'secret.eml'), join(root, 'b', 'leak.eml'));
  symlinkSync(join(root, 'one.eml'), join(root, 'b', 'again.eml'));
  symlinkSync(join(root, 'nowhere.eml'), join(root, 'b', 'dangling.eml'));
  return root;
}

describe('--maildir with symbolic links', () => {
  it('reads the folder once: no link to a folder, no file outside it', () => {
    const boxes = readMailFolder(folderWithLinks());
    const summary = boxes.map((b) => [b.name, b.messages.map((m) => /Subject: (\w+)/.exec(m.raw.toString())?.[1])]);
    expect(summary).toEqual([
      ['a', ['two']],
      ['b', ['one']],
      ['INBOX', ['one']],
    ]);
  });

  it('mailwire sandbox --maildir starts and lists the mailboxes', async () => {
    const server = await startMeasuredServer(['sandbox', '--no-tls', '--listen', 'imap://127.0.0.1:0', '--maildir', folderWithLinks()]);
    try {
      const socket = connect(server.ports.get('imap') as number, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.write('a LOGIN joe password\r\nb LIST "" *\r\nc LOGOUT\r\n');
      await new Promise<void>((resolve) => socket.on('close', () => resolve()));
      expect(text.split('\r\n').filter((l) => l.startsWith('* LIST'))).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', '* LIST (\\HasNoChildren) "/" a', '* LIST (\\HasNoChildren) "/" b']);
    } finally {
      await server.stop();
    }
  });
});
