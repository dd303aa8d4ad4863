/**
 * Dates in the forms IMAP and mail use: INTERNALDATE's date-time `"17-Jul-1996 02:44:25 -0700"`
 * (RFC 3501 §9), SEARCH's date `1-Feb-1994`, and RFC 5322 §3.3 Date: fields
 * `Wed, 17 Jul 1996 02:23:25 -0700 (PDT)`. A date keeps its zone offset, because SINCE, BEFORE and
 * ON compare calendar days "disregarding time and timezone" (RFC 3501 §6.4.4). Pure.
 */

/** An instant with the zone offset it was written in (minutes east of UTC). */
export interface ZonedDate {
  date: Date;
  offsetMinutes: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.toLowerCase() === name.toLowerCase());
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The wall-clock fields of a zoned date. */
function wallClock(z: ZonedDate): { year: number; month: number; day: number; hours: number; minutes: number; seconds: number } {
  const shifted = new Date(z.date.getTime() + z.offsetMinutes * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth(),
    day: shifted.getUTCDate(),
    hours: shifted.getUTCHours(),
    minutes: shifted.getUTCMinutes(),
    seconds: shifted.getUTCSeconds(),
  };
}

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
}

/** RFC 3501 §9 date-time, without the quotes: ` 1-Oct-2010 21:21:42 +0400` (date-day-fixed pads with a space). */
export function formatImapDateTime(z: ZonedDate): string {
  const w = wallClock(z);
  const day = w.day < 10 ? ` ${w.day}` : String(w.day);
  return `${day}-${MONTHS[w.month]}-${w.year} ${pad2(w.hours)}:${pad2(w.minutes)}:${pad2(w.seconds)} ${formatOffset(z.offsetMinutes)}`;
}

function build(year: number, month: number, day: number, h: number, m: number, s: number, offsetMinutes: number): ZonedDate | null {
  if (month < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return null;
  const utc = Date.UTC(year, month, day, h, m, Math.min(s, 59)) - offsetMinutes * 60_000;
  const date = new Date(utc);
  if (Number.isNaN(date.getTime())) return null;
  // 31-Feb is no date: the day must survive the round trip.
  if (new Date(utc + offsetMinutes * 60_000).getUTCDate() !== day) return null;
  return { date, offsetMinutes };
}

function parseOffset(text: string): number | null {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Parses RFC 3501 §9 date-time (`17-Jul-1996 02:44:25 -0700`, day possibly space-padded); null when malformed. */
export function parseImapDateTime(text: string): ZonedDate | null {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-]\d{4})$/.exec(text);
  if (!m) return null;
  const offset = parseOffset(m[7] as string);
  if (offset === null) return null;
  return build(Number(m[3]), monthIndex(m[2] as string), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), offset);
}

/** A calendar day as a comparable number (yyyymmdd). */
export type DayNumber = number;

/** Parses SEARCH's date (`1-Feb-1994`, RFC 3501 §9 date-text, optionally quoted by the caller); null when malformed. */
export function parseSearchDate(text: string): DayNumber | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return null;
  const month = monthIndex(m[2] as string);
  const day = Number(m[1]);
  if (month < 0 || day < 1 || day > 31) return null;
  return Number(m[3]) * 10000 + (month + 1) * 100 + day;
}

/** The calendar day of a zoned date, in its own zone. */
export function dayNumber(z: ZonedDate): DayNumber {
  const w = wallClock(z);
  return w.year * 10000 + (w.month + 1) * 100 + w.day;
}

/** Obsolete zone names of RFC 5322 §4.3. */
const ZONES: Record<string, number> = {
  UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

/**
 * Parses an RFC 5322 §3.3 date-time, obsolete forms included (two-digit years, zone names, no
 * seconds): `Wed, 17 Jul 1996 02:23:25 -0700 (PDT)`. Null when it is not a date.
 */
export function parseMessageDate(text: string): ZonedDate | null {
  const cleaned = text.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  const m = /^(?:[A-Za-z]{3},?\s*)?(\d{1,2}) ([A-Za-z]{3}) (\d{2,4}) (\d{1,2}):(\d\d)(?::(\d\d))?(?: ([+-]\d{4}|[A-Za-z]{1,5}))?/.exec(cleaned);
  if (!m) return null;
  let year = Number(m[3]);
  // RFC 5322 §4.3: two-digit years are 19xx from 50 on, 20xx below; three digits add 1900.
  if ((m[3] as string).length === 2) year += year < 50 ? 2000 : 1900;
  else if ((m[3] as string).length === 3) year += 1900;
  const zone = m[7];
  let offset = 0;
  if (zone !== undefined) {
    const numeric = parseOffset(zone);
    offset = numeric ?? ZONES[zone.toUpperCase()] ?? 0;
  }
  return build(year, monthIndex(m[2] as string), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), offset);
}

/** A zoned date for "now" in UTC: what APPEND without a date-time records. */
export function zonedNow(now: Date): ZonedDate {
  return { date: new Date(Math.floor(now.getTime() / 1000) * 1000), offsetMinutes: 0 };
}
