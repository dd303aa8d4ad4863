/**
 * The accounts of a class sandbox (`mailwire sandbox --students N`): one per student, student01 ..
 * studentNN, each with a password of its own, and the roster the teacher prints and hands out.
 * Passwords are made to be read aloud and typed from paper: three groups of four characters from
 * an alphabet without look-alikes (no 0/o, 1/l/i), about 59 bits, drawn with node:crypto. Pure but
 * for that randomness, which the caller may replace (tests).
 */
import { randomInt } from 'node:crypto';
import { MailwireError } from '../errors.js';
import type { SandboxUser } from './users.js';

/**
 * At most this many students: three-digit names, and each student may still open a few
 * connections under the sandbox's default of 1000 at once (--max-connections).
 */
export const MAX_STUDENTS = 999;

/** Digits and lower-case letters that cannot be taken for one another on paper or a projector. */
export const PASSWORD_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

const GROUPS = 3;
const GROUP_LENGTH = 4;

/**
 * Reads `--students N`: a whole number from 1 to MAX_STUDENTS.
 * @throws MailwireError('usage') with one sentence otherwise
 */
export function parseStudentCount(text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new MailwireError('usage', `--students ${text}: expected a number of students, 1 to ${MAX_STUDENTS}`);
  const n = Number(text);
  if (n < 1 || n > MAX_STUDENTS) throw new MailwireError('usage', `--students ${text.trim()}: a class sandbox holds 1 to ${MAX_STUDENTS} students`);
  return n;
}

/** student01 .. student30; three digits from 100 students on (student001 .. student150). */
export function studentName(index: number, count: number): string {
  return `student${String(index).padStart(Math.max(2, String(count).length), '0')}`;
}

/** A fresh password: `k7nq-3wx4-hp9c`. `pick(n)` draws a whole number below n. */
export function studentPassword(pick: (n: number) => number = (n) => randomInt(n)): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += PASSWORD_ALPHABET[pick(PASSWORD_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** The class: `count` students, each with a fresh password. */
export function makeClass(count: number, pick?: (n: number) => number): SandboxUser[] {
  return Array.from({ length: count }, (_, i) => ({
    name: studentName(i + 1, count),
    password: studentPassword(pick),
    source: 'a student of this class sandbox (the roster)',
  }));
}

/** What the roster says besides the accounts. */
export interface RosterHeading {
  /** When the sandbox started (the passwords are good until it stops). */
  started: Date;
  /** The listeners' URLs. */
  urls: readonly string[];
}

/**
 * The roster as printed: a heading, then one line per student (name and password). The passwords
 * are new each time the sandbox starts and are never shown anywhere else.
 */
export function rosterText(students: readonly SandboxUser[], heading: RosterHeading): string {
  const when = heading.started.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  const width = Math.max(...students.map((s) => s.name.length));
  return [
    `mailwire class sandbox, started ${when}: ${students.length} student account${students.length === 1 ? '' : 's'}`,
    'Each student logs in with their own name and password (IMAP: LOGIN name password; POP3: USER name, PASS password).',
    'The passwords are good until the sandbox stops; a new start makes new ones.',
    '',
    'Servers:',
    ...heading.urls.map((u) => `  ${u}`),
    '',
    ...students.map((s) => `${s.name.padEnd(width)}  ${s.password}`),
    '',
  ].join('\n');
}
