/**
 * ESEARCH, ID, NAMESPACE, SORT and THREAD explained from their values, in English and Russian: the
 * RFCs' own examples (RFC 4731 §3.1, RFC 9051 §6.4.4 and §7.3.4, RFC 2971 §3.1-§3.2, RFC 2342 §5,
 * RFC 5256 §3-§4) as a session shows them, and what a hostile peer's values cost.
 */
import { describe, expect, it } from 'vitest';
import { SessionExplainer } from '../../src/protocol/explain/session-explainer.js';
import type { Language } from '../../src/protocol/explain/language.js';

/** Explanations of each line of a session, after a greeting, a login and a SELECT. */
function explained(language: Language, lines: string[]): string[][] {
  const e = new SessionExplainer('imap', language);
  for (const l of ['S: * OK ready', 'C: P1 LOGIN joe secret', 'S: P1 OK done', 'C: P2 SELECT INBOX', 'S: P2 OK [READ-WRITE] done']) {
    if (l.startsWith('C: ')) e.client(l.slice(3));
    else e.server(l.slice(3));
  }
  return lines.map((l) => (l.startsWith('C: ') ? e.client(l.slice(3)) : e.server(l.slice(3))).map((x) => `${x.text} (${x.rfc})`));
}

const first = (language: Language, line: string): string => explained(language, [line])[0]?.[0] ?? '';

describe('ESEARCH (RFC 4731, RFC 9051 §7.3.4)', () => {
  it('says what this result says: how many match, the lowest, the highest, which', () => {
    expect(first('en', 'S: * ESEARCH (TAG "A3") MIN 2 COUNT 5')).toBe('5 messages match; the lowest number is 2 (the response to the command tagged A3) (RFC 9051 §7.3.4)');
    expect(first('ru', 'S: * ESEARCH (TAG "A3") MIN 2 COUNT 5')).toBe('найдено 5 сообщений; наименьший номер — 2 (отклик на команду с тегом A3) (RFC 9051 §7.3.4)');
    expect(first('en', 'S: * ESEARCH (TAG "A285") UID MIN 7 MAX 3800')).toBe('the lowest UID is 7; the highest UID is 3800 (the response to the command tagged A285) (RFC 9051 §7.3.4)');
    expect(first('ru', 'S: * ESEARCH (TAG "A284") ALL 4:6,10')).toBe('их номера: 4:6,10 (отклик на команду с тегом A284) (RFC 9051 §7.3.4)');
    expect(first('en', 'S: * ESEARCH (TAG "A1") COUNT 1')).toMatch(/^1 message matches /);
    expect(first('ru', 'S: * ESEARCH (TAG "A1") COUNT 1')).toMatch(/^найдено 1 сообщение /);
    expect(first('ru', 'S: * ESEARCH (TAG "A1") COUNT 3')).toMatch(/^найдено 3 сообщения /);
    expect(first('en', 'S: * ESEARCH (TAG "A286")')).toBe('no message matches (RFC 9051 §7.3.4)');
    expect(first('ru', 'S: * ESEARCH (TAG "A286")')).toBe('ни одно сообщение не подходит (RFC 9051 §7.3.4)');
  });

  it('explains SEARCH RETURN (...): which parts of the result the client asks for', () => {
    expect(first('en', 'C: A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toBe(
      'searches the selected mailbox for FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"; instead of the whole list, * ESEARCH brings the lowest number and how many match (RFC 4731 §3.1)',
    );
    expect(first('ru', 'C: A283 UID SEARCH RETURN (MIN MAX) 1:5000')).toBe(
      'поиск в выбранном почтовом ящике по критериям 1:5000; вместо полного списка в * ESEARCH придёт: наименьший UID и наибольший UID (RFC 4731 §3.1)',
    );
    expect(first('en', 'C: A284 SEARCH RETURN () UNDELETED')).toMatch(/\* ESEARCH brings all the numbers, as ranges /);
    expect(first('ru', 'C: A1 SEARCH RETURN (SAVE) FLAGGED')).toMatch(/результат не пересылается, а сохраняется как \$ для следующей команды \(SEARCHRES\)/);
    // Without RETURN, SEARCH is the plain one.
    expect(first('en', 'C: A1 SEARCH FLAGGED')).toMatch(/the numbers of the messages found come in \* SEARCH/);
  });

  it('reads the criteria after RETURN (...) and CHARSET, even when they end in a literal (RFC 9051 §6.4.4.4)', () => {
    const line = 'C: B283 SEARCH RETURN (SAVE) CHARSET KOI8-R (OR $ 1,3000:3021) TEXT {4}';
    expect(first('ru', line)).toBe(
      'поиск в выбранном почтовом ящике по критериям (OR $ 1,3000:3021) TEXT {4}; результат не пересылается, а сохраняется как $ для следующей команды (SEARCHRES) (RFC 4731 §3.1)',
    );
    expect(first('en', line)).toBe('searches the selected mailbox for (OR $ 1,3000:3021) TEXT {4} and keeps the result as $ for the next command instead of sending it (SEARCHRES) (RFC 4731 §3.1)');
    expect(first('en', 'C: A2 SEARCH RETURN (MIN) CHARSET UTF-8 TEXT {3}')).toMatch(/^searches the selected mailbox for TEXT \{3\}; instead of the whole list, \* ESEARCH brings the lowest number /);
    expect(first('ru', 'C: A3 SEARCH CHARSET UTF-8 TEXT "x"')).toMatch(/^поиск в выбранном почтовом ящике по критериям TEXT "x"; номера найденных/);
  });
});

describe('UIDPLUS codes (RFC 4315 §3)', () => {
  it('cite the RFC that defines them, which an IMAP4rev1 server that offers UIDPLUS follows', () => {
    const [append, copy, sticky] = explained('en', ['C: A3 APPEND saved {1}', 'S: A3 OK [APPENDUID 38505 3955] APPEND completed', 'C: A4 COPY 2:4 meeting', 'S: A4 OK [COPYUID 38505 304,319:320 3956:3958] Done', 'S: * NO [UIDNOTSTICKY] Non-persistent UIDs']).filter((_, i) => i === 1 || i === 3 || i === 4);
    expect(append).toContain('the message was saved with UID 3955 (UIDVALIDITY 38505) (RFC 4315 §3)');
    expect(copy).toContain('copied: UID 304,319:320 here is UID 3956:3958 in the target mailbox (its UIDVALIDITY 38505) (RFC 4315 §3)');
    expect(sticky?.some((x) => x.endsWith('(RFC 4315 §3)'))).toBe(true);
  });
});

describe('ID (RFC 2971)', () => {
  it('names the fields the client and the server give, or says they give none', () => {
    expect(first('en', 'C: a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")')).toBe(
      'the client introduces itself (name: sodr, version: 19.34, and vendor: Pink Floyd Music Limited) and asks who the server is (RFC 2971 §3.1)',
    );
    expect(first('ru', 'C: a023 ID NIL')).toBe('клиент ничего не сообщает о себе (NIL) и спрашивает, что за сервер перед ним (RFC 2971 §3.1)');
    expect(first('ru', 'S: * ID ("name" "Cyrus" "version" "1.5" "os" "sunos")')).toBe('сервер представляется: name: Cyrus, version: 1.5 и os: sunos (RFC 2971 §3.2)');
    expect(first('en', 'S: * ID NIL')).toBe('the server tells nothing about itself (NIL) (RFC 2971 §3.2)');
  });

  it('names at most six fields of a long list', () => {
    const fields = Array.from({ length: 30 }, (_, i) => `"f${i}" "v${i}"`).join(' ');
    const text = first('en', `S: * ID (${fields})`);
    expect(text).toContain('f5: v5');
    expect(text).not.toContain('f6: v6');
    expect(text).toContain('…');
  });
});

describe('NAMESPACE (RFC 2342, RFC 9051 §7.3.2)', () => {
  it('gives the prefix and delimiter of each kind of mailbox', () => {
    expect(first('en', 'S: * NAMESPACE (("INBOX." ".")) NIL NIL')).toBe('personal mailboxes: prefix "INBOX." (delimiter "."); other users\': none; shared: none (RFC 9051 §7.3.2)');
    expect(first('ru', 'S: * NAMESPACE (("INBOX." ".")) NIL NIL')).toBe(
      'личные почтовые ящики: префикс «INBOX.» (разделитель «.»); ящики других пользователей: нет; общие: нет (RFC 9051 §7.3.2)',
    );
    expect(first('en', 'S: * NAMESPACE (("" "/")) (("~" "/")) (("#shared/" "/")("#public/" "/"))')).toBe(
      'personal mailboxes: no prefix (delimiter "/"); other users\': prefix "~" (delimiter "/"); shared: prefix "#shared/" (delimiter "/") and prefix "#public/" (delimiter "/") (RFC 9051 §7.3.2)',
    );
    expect(first('ru', 'S: * NAMESPACE (("" "/")) (("~" "/")) (("#shared/" "/")("#public/" "/"))')).toBe(
      'личные почтовые ящики: без префикса (разделитель «/»); ящики других пользователей: префикс «~» (разделитель «/»); общие: префикс «#shared/» (разделитель «/») и префикс «#public/» (разделитель «/») (RFC 9051 §7.3.2)',
    );
    expect(first('ru', 'S: * NAMESPACE (("" NIL)) NIL NIL')).toMatch(/^личные почтовые ящики: без префикса и без иерархии;/);
  });
});

describe('SORT and THREAD (RFC 5256)', () => {
  it('SORT: the order asked for, key by key, REVERSE included', () => {
    expect(first('en', 'C: A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994')).toBe(
      'searches the selected mailbox for SINCE 1-Feb-1994; the numbers of the messages found come in * SORT, ordered by subject (without "Re:") (RFC 5256 §3)',
    );
    expect(first('ru', 'C: A283 UID SORT (REVERSE ARRIVAL FROM) UTF-8 ALL')).toBe(
      'поиск в выбранном почтовом ящике по критериям ALL; UID найденных сообщений придут в * SORT, упорядоченные по времени поступления (по убыванию), затем по первому адресу в From (RFC 5256 §3)',
    );
    expect(first('en', 'C: A1 SORT () UTF-8 ALL')).toBe('searches the selected mailbox and returns the messages found in the order asked for (RFC 5256 §3)');
    expect(first('ru', 'S: * SORT 2 84 882')).toBe('3 сообщения в заданном порядке: 2 84 882 (RFC 5256 §4)');
  });

  it('THREAD: the algorithm asked for; the answer counted: threads, messages, the longest', () => {
    expect(first('en', 'C: A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000')).toMatch(/grouped in threads by subject \(ORDEREDSUBJECT: /);
    expect(first('ru', 'C: A284 THREAD REFERENCES US-ASCII TEXT "gewp"')).toMatch(/сгруппированные в цепочки по заголовкам References и In-Reply-To \(REFERENCES\) \(RFC 5256 §3\)$/);
    expect(first('en', 'S: * THREAD (2)(3 6 (4 23)(44 7 96))')).toBe('2 threads, 8 messages in all; the longest thread holds 7 messages (RFC 5256 §4)');
    expect(first('ru', 'S: * THREAD (2)(3 6 (4 23)(44 7 96))')).toBe('2 цепочки, всего 8 сообщений; в самой длинной цепочке 7 сообщений (RFC 5256 §4)');
    expect(first('ru', 'S: * THREAD (1)')).toBe('1 цепочка, всего 1 сообщение; в самой длинной цепочке 1 сообщение (RFC 5256 §4)');
    expect(first('en', 'S: * THREAD')).toBe('no message matches: no threads (RFC 5256 §4)');
  });
});

describe('hostile values', () => {
  it('a THREAD nested past the parser\'s bound, or an unbalanced ESEARCH, gets the general words, no throw', () => {
    const deep = `S: * THREAD ${'('.repeat(50_000)}1${')'.repeat(50_000)}`;
    expect(first('en', deep)).toBe('the messages found, grouped in threads (parentheses nest replies) (RFC 5256 §4)');
    expect(first('ru', 'S: * ESEARCH (TAG "A1" MIN 2')).toMatch(/\(RFC 9051 §7\.3\.4\)$/);
    expect(first('en', 'S: * NAMESPACE ((("x')).toMatch(/\(RFC 9051 §7\.3\.2\)$/);
  });

  it('a THREAD of 100,000 one-message threads is counted in one pass', () => {
    const line = `S: * THREAD ${Array.from({ length: 100_000 }, (_, i) => `(${i + 1})`).join('')}`;
    expect(first('en', line)).toBe('100000 threads, 100000 messages in all; the longest thread holds 1 message (RFC 5256 §4)');
  });
});
