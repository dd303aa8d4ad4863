/**
 * The lecture's mailboxes, which every student of a class sandbox starts with: read from
 * `sandbox/class/lecture.json`, a table of message files with the UIDs and flags the lecture's
 * IMAP sessions show (transcripts/seed/), so that `FETCH 2 (UID INTERNALDATE RFC822.SIZE)` answers
 * every student as it answered on the slides. Read once, at startup; the same message bytes are
 * shared by all the accounts (a store copies nothing it seeds).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailwireError } from '../errors.js';
import type { SeedMailbox } from './seed-files.js';
import { SANDBOX_ROOT } from './sandbox-files.js';
import { readSeedMessage } from './seed-files.js';
import { fileErrorText } from '../file-errors.js';

/** The table of the lecture's mailboxes, as sandbox/class/lecture.json writes it. */
interface LectureTable {
  mailboxes: { name: string; uidNext?: number; messages: { file: string; uid: number; flags: string[] }[] }[];
}

/** Where the table is. */
export const LECTURE_TABLE_FILE = join(SANDBOX_ROOT, 'class', 'lecture.json');

function isTable(value: unknown): value is LectureTable {
  const t = value as LectureTable;
  return (
    typeof t === 'object' &&
    t !== null &&
    Array.isArray(t.mailboxes) &&
    t.mailboxes.every(
      (m) =>
        typeof m.name === 'string' &&
        (m.uidNext === undefined || Number.isSafeInteger(m.uidNext)) &&
        Array.isArray(m.messages) &&
        m.messages.every((x) => typeof x.file === 'string' && Number.isSafeInteger(x.uid) && x.uid > 0 && Array.isArray(x.flags) && x.flags.every((f) => typeof f === 'string')),
    )
  );
}

/**
 * The lecture's mailboxes, their messages with the table's UIDs and flags, none of them \Recent
 * (the lecture's EXPUNGE shows "* 0 RECENT").
 * @throws MailwireError('file') when the table or a message cannot be read (a broken installation)
 */
export function readLectureMailboxes(file: string = LECTURE_TABLE_FILE): SeedMailbox[] {
  let table: unknown;
  try {
    table = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MailwireError('file', `cannot read the lecture's mailboxes ${file}: ${fileErrorText(error)}`);
  }
  if (!isTable(table)) throw new MailwireError('file', `${file} is not a table of mailboxes and message files`);
  const root = join(file, '..', '..');
  return table.mailboxes.map((box) => ({
    name: box.name,
    ...(box.uidNext === undefined ? {} : { uidNext: box.uidNext }),
    messages: box.messages.map((m) => ({ ...readSeedMessage(join(root, m.file), m.flags, false), uid: m.uid })),
  }));
}
