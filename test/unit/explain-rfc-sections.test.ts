/**
 * The RFC sections the explanations cite, pinned. Each row of the response, response-code and POP3
 * reply tables names the section that defines it; the sections and their titles below are copied
 * from the tables of contents of the RFCs themselves (RFC 3501, 9051, 7162, 4314, 9208, 2449, 6856,
 * 2971, 5256, 5161, 5464, 6154; RFC 3206 §4 and §5 from its text), so that an edit that moves a
 * citation to a wrong section fails here, and a title that does not name the thing shows why.
 */
import { describe, expect, it } from 'vitest';
import { SessionExplainer } from '../../src/protocol/explain/session-explainer.js';
import { IMAP_DATA_RESPONSES, IMAP_RESPONSE_CODES, IMAP_STATUS_RESPONSES } from '../../src/protocol/imap/response-kinds.js';
import { STATUS_ITEMS } from '../../src/protocol/imap/vocabulary.js';
import { POP3_CAPABILITIES, POP3_RESPONSE_CODES } from '../../src/protocol/pop3/replies.js';

/** Section titles as each RFC's table of contents prints them. */
const TOC: Record<string, Record<string, string>> = {
  'RFC 3501': {
    '7.1': 'Server Responses - Status Responses',
    '7.1.1': 'OK Response', '7.1.2': 'NO Response', '7.1.3': 'BAD Response', '7.1.4': 'PREAUTH Response', '7.1.5': 'BYE Response',
    '7.2.1': 'CAPABILITY Response', '7.2.2': 'LIST Response', '7.2.3': 'LSUB Response', '7.2.4': 'STATUS Response',
    '7.2.5': 'SEARCH Response', '7.2.6': 'FLAGS Response', '7.3.1': 'EXISTS Response', '7.3.2': 'RECENT Response',
    '7.4.1': 'EXPUNGE Response', '7.4.2': 'FETCH Response', '7.5': 'Server Responses - Command Continuation Request',
  },
  'RFC 9051': {
    '7.2.1': 'ENABLED Response', '7.2.2': 'CAPABILITY Response', '7.3.1': 'LIST Response', '7.3.2': 'NAMESPACE Response',
    '7.3.3': 'STATUS Response', '7.3.4': 'ESEARCH Response', '7.3.5': 'FLAGS Response',
  },
  'RFC 7162': {
    '3.1.2.1': 'HIGHESTMODSEQ Response Code', '3.1.2.2': 'NOMODSEQ Response Code', '3.1.3': 'STORE and UID STORE Commands',
    '3.1.6': 'Modified SEARCH Untagged Response', '3.1.7': 'HIGHESTMODSEQ Status Data Items', '3.2.10': 'VANISHED Response',
    '3.2.11': 'CLOSED Response Code',
  },
  'RFC 4314': { '3.6': 'ACL Response', '3.7': 'LISTRIGHTS Response', '3.8': 'MYRIGHTS Response' },
  'RFC 9208': { '4.2.1': 'QUOTA', '4.2.2': 'QUOTAROOT', '4.3.1': 'OVERQUOTA', '5.1': 'STORAGE', '5.2': 'MESSAGE' },
  'RFC 2971': { '3.1': 'ID Command', '3.2': 'ID Response' },
  'RFC 5256': { '3': 'Additional Commands', '4': 'Additional Responses' },
  'RFC 5464': { '4.4': 'METADATA Response' },
  'RFC 6154': { '2': 'New Mailbox Attributes Identifying Special-Use Mailboxes', '5': 'Examples' },
  'RFC 2449': {
    '6.1': 'TOP capability', '6.2': 'USER capability', '6.3': 'SASL capability', '6.4': 'RESP-CODES capability',
    '6.5': 'LOGIN-DELAY capability', '6.6': 'PIPELINING capability', '6.7': 'EXPIRE capability', '6.8': 'UIDL capability',
    '6.9': 'IMPLEMENTATION capability', '8.1.1': 'The LOGIN-DELAY response code', '8.1.2': 'The IN-USE response code',
  },
  'RFC 3206': { '4': 'The SYS Response Code', '5': 'The AUTH Response Code' },
  'RFC 6856': { '2': '"UTF8" Capability', '2.1': 'The "UTF8" Command', '3': '"LANG" Capability', '5': '"UTF8" Response Code' },
};

/** Row -> the section that defines it; the word its TOC title must name (the row's name unless given). */
const PINNED: Array<[table: string, name: string, rfc: string, word?: string]> = [
  ['status', 'OK', 'RFC 3501 §7.1.1'],
  ['status', 'NO', 'RFC 3501 §7.1.2'],
  ['status', 'BAD', 'RFC 3501 §7.1.3'],
  ['status', 'PREAUTH', 'RFC 3501 §7.1.4'],
  ['status', 'BYE', 'RFC 3501 §7.1.5'],
  ['data', 'CAPABILITY', 'RFC 3501 §7.2.1'],
  ['data', 'LIST', 'RFC 3501 §7.2.2'],
  ['data', 'LSUB', 'RFC 3501 §7.2.3'],
  ['data', 'STATUS', 'RFC 3501 §7.2.4'],
  ['data', 'SEARCH', 'RFC 3501 §7.2.5'],
  ['data', 'FLAGS', 'RFC 3501 §7.2.6'],
  ['data', 'EXISTS', 'RFC 3501 §7.3.1'],
  ['data', 'RECENT', 'RFC 3501 §7.3.2'],
  ['data', 'EXPUNGE', 'RFC 3501 §7.4.1'],
  ['data', 'FETCH', 'RFC 3501 §7.4.2'],
  ['data', 'ENABLED', 'RFC 9051 §7.2.1'],
  ['data', 'NAMESPACE', 'RFC 9051 §7.3.2'],
  ['data', 'ESEARCH', 'RFC 9051 §7.3.4'],
  ['data', 'QUOTA', 'RFC 9208 §4.2.1'],
  ['data', 'QUOTAROOT', 'RFC 9208 §4.2.2'],
  ['data', 'ID', 'RFC 2971 §3.2'],
  ['data', 'METADATA', 'RFC 5464 §4.4'],
  ['data', 'SORT', 'RFC 5256 §4', 'Responses'],
  ['data', 'THREAD', 'RFC 5256 §4', 'Responses'],
  ['data', 'VANISHED', 'RFC 7162 §3.2.10'],
  ['data', 'ACL', 'RFC 4314 §3.6'],
  ['data', 'LISTRIGHTS', 'RFC 4314 §3.7'],
  ['data', 'MYRIGHTS', 'RFC 4314 §3.8'],
  // XLIST is in no RFC: RFC 6154 §2 defines the special-use attributes that replace its marks.
  ['data', 'XLIST', 'RFC 6154 §2', 'Special-Use'],
  ['code', 'ALERT', 'RFC 3501 §7.1', 'Status Responses'],
  ['code', 'TRYCREATE', 'RFC 3501 §7.1', 'Status Responses'],
  ['code', 'UIDVALIDITY', 'RFC 3501 §7.1', 'Status Responses'],
  ['code', 'HIGHESTMODSEQ', 'RFC 7162 §3.1.2.1'],
  ['code', 'NOMODSEQ', 'RFC 7162 §3.1.2.2'],
  ['code', 'MODIFIED', 'RFC 7162 §3.1.3', 'STORE'],
  ['status-item', 'HIGHESTMODSEQ', 'RFC 7162 §3.1.7'],
  ['pop3-code', 'LOGIN-DELAY', 'RFC 2449 §8.1.1'],
  ['pop3-code', 'IN-USE', 'RFC 2449 §8.1.2'],
  ['pop3-code', 'SYS/TEMP', 'RFC 3206 §4', 'SYS'],
  ['pop3-code', 'SYS/PERM', 'RFC 3206 §4', 'SYS'],
  ['pop3-code', 'AUTH', 'RFC 3206 §5'],
  ['pop3-code', 'UTF8', 'RFC 6856 §5', 'Response Code'],
  ['capa', 'TOP', 'RFC 2449 §6.1'],
  ['capa', 'USER', 'RFC 2449 §6.2'],
  ['capa', 'SASL', 'RFC 2449 §6.3'],
  ['capa', 'RESP-CODES', 'RFC 2449 §6.4'],
  ['capa', 'LOGIN-DELAY', 'RFC 2449 §6.5'],
  ['capa', 'PIPELINING', 'RFC 2449 §6.6'],
  ['capa', 'EXPIRE', 'RFC 2449 §6.7'],
  ['capa', 'UIDL', 'RFC 2449 §6.8'],
  ['capa', 'IMPLEMENTATION', 'RFC 2449 §6.9'],
  ['capa', 'UTF8', 'RFC 6856 §2'],
  ['capa', 'LANG', 'RFC 6856 §3'],
];

const TABLES: Record<string, ReadonlyArray<{ name?: string; word?: string; rfc: string }>> = {
  status: IMAP_STATUS_RESPONSES,
  data: IMAP_DATA_RESPONSES,
  code: IMAP_RESPONSE_CODES,
  'status-item': STATUS_ITEMS.map((w) => ({ name: w.word, rfc: w.rfc })),
  'pop3-code': POP3_RESPONSE_CODES,
  capa: POP3_CAPABILITIES,
};

describe('the RFC sections the explanations cite', () => {
  it.each(PINNED)('%s %s: %s, whose title names it', (table, name, rfc, word) => {
    const row = TABLES[table]?.find((r) => r.name === name);
    expect(row?.rfc, `${table} ${name}`).toBe(rfc);
    const [, number, section] = /^(RFC \d+) §([\d.]+)$/.exec(rfc) ?? [];
    const title = TOC[number ?? '']?.[section ?? ''];
    expect(title, `${rfc} is in the table of contents`).toBeDefined();
    expect(title?.toLowerCase()).toContain((word ?? name).toLowerCase());
  });

  it('every table row cites a section of the form "RFC n §x.y"', () => {
    for (const rows of Object.values(TABLES)) for (const r of rows) expect(r.rfc, r.name).toMatch(/^RFC \d{3,4} §\d+(?:\.\d+)*$/);
  });

  it.each([
    ['* ENABLED CONDSTORE', 'RFC 9051 §7.2.1'],
    ['* NAMESPACE (("" "/")) NIL NIL', 'RFC 9051 §7.3.2'],
    ['* ESEARCH (TAG "A1") MIN 2 COUNT 5', 'RFC 9051 §7.3.4'],
    ['* QUOTA "" (STORAGE 10 512)', 'RFC 9208 §4.2.1'],
    ['* QUOTAROOT INBOX ""', 'RFC 9208 §4.2.2'],
    ['* MYRIGHTS INBOX rwiptsldaex', 'RFC 4314 §3.8'],
    ['* VANISHED (EARLIER) 300:310', 'RFC 7162 §3.2.10'],
  ])('the explanation of %s cites %s', (line, rfc) => {
    const explainer = new SessionExplainer('imap', 'en');
    explainer.server('* OK ready');
    expect(explainer.server(line).map((e) => e.rfc)).toContain(rfc);
  });

  it('a POP3 -ERR [UTF8] cites RFC 6856 §5, where the code is defined', () => {
    const explainer = new SessionExplainer('pop3', 'en');
    explainer.server('+OK ready');
    explainer.client('LIST');
    expect(explainer.server('-ERR [UTF8] the maildrop holds non-ASCII names').map((e) => e.rfc)).toContain('RFC 6856 §5');
  });
});
