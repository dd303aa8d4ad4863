/**
 * What a session says of itself, why a certificate was not trusted and why a replayed step failed,
 * in Russian when the run is in Russian: every key of the small catalogues (notices, TLS problems,
 * replay) in both languages with the same placeholders and the plural forms each language needs;
 * the sessions' notices carrying their sentence as data; the display wording it, escaping server
 * bytes exactly as the English line does; English unchanged, word for word, where no words are given.
 */
import { describe, expect, it } from 'vitest';
import { NOTICES_EN } from '../../src/protocol/explain/catalogues/notices-en.js';
import { NOTICES_RU } from '../../src/protocol/explain/catalogues/notices-ru.js';
import { REPLAY_EN } from '../../src/protocol/explain/catalogues/replay-en.js';
import { REPLAY_RU } from '../../src/protocol/explain/catalogues/replay-ru.js';
import { TLS_EN } from '../../src/protocol/explain/catalogues/tls-en.js';
import { TLS_RU } from '../../src/protocol/explain/catalogues/tls-ru.js';
import { englishNotice, noticeText } from '../../src/protocol/explain/notices.js';
import { formatMessage } from '../../src/protocol/explain/message-format.js';
import { Words } from '../../src/protocol/explain/words.js';
import { loginFailureText } from '../../src/protocol/sasl/failure.js';
import { certificateProblems, certificateProblemTexts } from '../../src/protocol/tls/certificates.js';
import type { TlsSummary } from '../../src/protocol/tls/summary.js';
import { RUSSIAN_WORDS } from '../../src/render/session-words-ru.js';
import type { SessionWords } from '../../src/render/session-words.js';
import { formatTlsDetails } from '../../src/render/tls-details.js';
import { TranscriptRenderer } from '../../src/render/transcript-renderer.js';
import type { SessionEvent } from '../../src/session/events.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { Pop3Session } from '../../src/session/pop3-session.js';
import { promptSpans, type PromptState } from '../../src/shell/prompt.js';
import { strayWordAdvice } from '../../src/shell/stray-words.js';
import { StepMatcher, type Mismatch } from '../../src/transcript/match.js';
import { mismatchSpans } from '../../src/transcript/report.js';
import { RUSSIAN_REPLAY_WORDS } from '../../src/transcript/replay-words-ru.js';
import { differenceLines } from '../../src/transcript/live-step-view.js';
import { buildScript, type Step } from '../../src/transcript/script.js';
import { parseTranscript } from '../../src/transcript/format.js';
import { placeholders } from '../support/catalogue-placeholders.js';
import { playImap, playPop3, steppingClock, transcriptLines } from '../support/playbook.js';
import { cert, details } from '../support/tls-facts.js';

/** Keys whose message holds no words, only values and the protocol's own tokens, in both languages. */
const NO_WORDS = new Set(['notice.connected.via', 'notice.connected.tls', 'notice.tls.head', 'login.imap.code', 'replay.wanted.text']);

/** Words of an English sentence that no Russian one should keep (terms such as TLS, CRLF, OK stay). */
const ENGLISH = /(?<![\w$-])(the|is|not|no|of|and|an?|in|by|for|to|its|was|line|lines|expected|received|server|command|connection|sent|octets?|warning|error|certificate|days?|ago|transcript|characters)(?![\w-])/i;

const CATALOGUES = [
  { name: 'notices', en: NOTICES_EN as Readonly<Record<string, string>>, ru: NOTICES_RU as Readonly<Record<string, string>> },
  { name: 'replay', en: REPLAY_EN as Readonly<Record<string, string>>, ru: REPLAY_RU as Readonly<Record<string, string>> },
  { name: 'tls', en: TLS_EN as Readonly<Record<string, string>>, ru: TLS_RU as Readonly<Record<string, string>> },
];

describe.each(CATALOGUES)('the $name catalogue', ({ en, ru }) => {
  it('Russian has exactly the English keys', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s: both languages have it, fill the same values, and Russian says it in Russian', (key) => {
    const english = en[key] as string;
    const russian = ru[key] as string;
    expect(russian, key).toBeDefined();
    for (const message of [english, russian]) {
      expect(message.trim(), key).toBe(message);
      expect(message, key).not.toBe('');
    }
    const plain = (p: Map<string, number[]>) => [...p.keys()].filter((n) => (p.get(n) ?? []).includes(0)).sort();
    expect(plain(placeholders(russian)), key).toEqual(plain(placeholders(english)));
    for (const forms of placeholders(english).values()) for (const f of forms) if (f > 0) expect(f, key).toBe(2);
    for (const forms of placeholders(russian).values()) for (const f of forms) if (f > 0) expect(f, key).toBe(3);
    // Filled with values, nothing is left unfilled, and no English sentence is left in the Russian.
    const values = Object.fromEntries([...placeholders(english).keys()].map((name) => [name, name === 'n' || name === 'left' || name === 'size' ? 5 : 'X']));
    const filled = formatMessage('ru', russian, values);
    expect(filled, key).not.toContain('?');
    if (NO_WORDS.has(key)) expect(russian, key).toBe(english);
    else {
      expect(filled, key).toMatch(/[а-яё]/i);
      expect(filled.replace(/RFC \d+ §[\d.]+|--\w+|[A-Z][A-Z0-9-]+|'[^']*'|\{[^}]*\}/g, ''), key).not.toMatch(ENGLISH);
    }
  });
});

describe('the shell\'s new words are in both full catalogues', () => {
  const keys = ['prompt.literal', 'prompt.after-literal', 'prompt.idle', 'prompt.continues', 'prompt.waiting', 'shell.unknown-shell-command', 'shell.server-closed', 'shell.history.not-kept', 'shell.history.not-kept-from-now', 'shell.stray.not-sent', 'shell.stray.help', 'shell.stray.end', 'shell.stray.clear', 'shell.literal.type', 'shell.literal.abandoned', 'shell.ctrl-c', 'shell.waiting-for', 'shell.blocker.handshake', 'shell.blocker.literal', 'shell.blocker.barrier', 'shell.blocker.reply'];
  it.each(keys)('%s', (key) => {
    const en = new Words('en');
    const ru = new Words('ru');
    expect(en.has(key) && ru.has(key), key).toBe(true);
    expect(ru.text(key, { size: 5, left: 3, n: 2, command: 'APPEND', word: '.foo', error: 'E', line: 'help', protocol: 'IMAP', advice: 'A', blocker: 'B', tag: 'A001' })).toMatch(/[а-яё]/i);
  });
});

/** The Russian words of a notice event, as the display shows it. */
const russian = (e: SessionEvent) => (e.kind === 'notice' && e.said ? RUSSIAN_WORDS.notice(e.said) : null);
const notices = (events: SessionEvent[]) => events.filter((e): e is Extract<SessionEvent, { kind: 'notice' }> => e.kind === 'notice');

describe('the sessions\' notices carry their sentence as data, and its English words as before', () => {
  it('IMAP: a refused STARTTLS, a tag in use, a reply without status, an unknown tag, a state, a capability', () => {
    const r = playImap(new ImapSession(steppingClock()), transcriptLines(`
      S: * OK [CAPABILITY IMAP4rev1 STARTTLS] ready
      C: a1 STARTTLS
      S: a1 NO not now
      C: a2 FETCH 1 FLAGS
      S: a2 BAD not in this state
      C: a3 GETQUOTAROOT INBOX
      S: zz9 OK who asked
      S: a3 Completed
    `));
    const said = notices(r.events);
    expect(said.map((e) => e.text)).toEqual([
      'STARTTLS refused: the connection stays plain TCP, and what is sent next goes in clear (RFC 3501 §6.2.1)',
      'FETCH is not valid in the not-authenticated state (RFC 3501 §6.4.5); sent anyway',
      'GETQUOTAROOT is not valid in the not-authenticated state (RFC 9208 §4.1.2); sent anyway',
      'GETQUOTAROOT needs the QUOTA capability (RFC 9208 §4.1.2), which this server did not announce; sent anyway',
      'tagged reply for "zz9", a tag no command in progress has',
      'a tagged reply needs OK, NO or BAD right after the tag (RFC 3501 §7.1, §9 response-tagged); "a3 Completed" has none: taken as a failure',
    ]);
    for (const e of said) expect(englishNotice(e.said ?? { key: 'notice.cut-line' })).toBe(e.text);
    expect(said.map(russian)).toEqual([
      'сервер отклонил STARTTLS: соединение остаётся на обычном TCP, и всё, что будет отправлено дальше, пойдёт открытым текстом (RFC 3501 §6.2.1)',
      'команда FETCH недопустима в состоянии not-authenticated (RFC 3501 §6.4.5); всё равно отправлена',
      'команда GETQUOTAROOT недопустима в состоянии not-authenticated (RFC 9208 §4.1.2); всё равно отправлена',
      'для GETQUOTAROOT нужна возможность QUOTA (RFC 9208 §4.1.2), а этот сервер её не объявил; команда всё равно отправлена',
      'отклик с тегом "zz9", но такого тега нет ни у одной выполняемой команды',
      'в отклике с тегом сразу за тегом должен стоять статус OK, NO или BAD (RFC 3501 §7.1, §9 response-tagged); в "a3 Completed" его нет: команда считается неудавшейся',
    ]);
  });

  it('IMAP: octets after the STARTTLS OK, counted as Russian counts them', () => {
    const session = new ImapSession(steppingClock());
    session.receive(Buffer.from('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n'));
    session.submit({ segments: [Buffer.from('a1 STARTTLS')], literals: [] });
    const events = session.receive(Buffer.from('a1 OK go\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n')).flatMap((a) => (a.type === 'show' ? [a.event] : []));
    const [dropped] = notices(events);
    expect(dropped?.text).toBe('dropped 49 octets that came after the STARTTLS OK and before TLS (possible command injection)');
    expect(russian(dropped as SessionEvent)).toBe('отброшено 49 октетов, пришедших вслед за OK на STARTTLS, до начала TLS (возможно внедрение команд)');
    const one = notices(session.receive(Buffer.from('x')).flatMap((a) => (a.type === 'show' ? [a.event] : [])))[0] as SessionEvent;
    expect(russian(one)).toBe('отброшен 1 октет, пришедший после OK на STARTTLS, до начала TLS (возможно внедрение команд)');
  });

  it('POP3: a refused STLS, a password in clear, a login refused with [AUTH], an APOP digest refused', () => {
    const r = playPop3(new Pop3Session(steppingClock()), transcriptLines(`
      S: +OK POP3 ready <1896.697270952@dbc.ca.us>
      C: STLS
      S: -ERR not here
      C: USER joe
      S: +OK
      C: PASS secret
      S: -ERR [AUTH] Authentication failed
      C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
      S: -ERR permission denied
    `));
    expect(notices(r.events).map(russian)).toEqual([
      'сервер отклонил STLS: соединение остаётся на обычном TCP, и всё, что будет отправлено дальше, пойдёт открытым текстом (RFC 2595 §4)',
      'пароль ушёл открытым текстом по обычному TCP (PASS): его может прочитать любой на пути по сети (защитили бы --starttls или pop3s://)',
      'вход не удался: неверное имя пользователя или пароль, либо сервер отказывает во входе как таковом (RFC 3206 [AUTH])',
      'вход не удался: кода отклика сервер не дал; всё, что он сообщает, — его текст выше; дайджест APOP вычислен из метки времени приветствия <1896.697270952@dbc.ca.us> и данного секрета, значит, либо секрет неверен, либо у сервера нет секрета APOP для этого пользователя',
    ]);
  });
});

describe('why a login failed, in Russian', () => {
  it.each([
    ['imap', { code: 'AUTHENTICATIONFAILED', text: 'Authentication failed.' }, 'неверное имя пользователя или пароль, либо этой учётной записи нельзя входить таким способом ([AUTHENTICATIONFAILED], RFC 5530)'],
    ['imap', { code: 'PRIVACYREQUIRED', text: 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections.' }, 'до TLS сервер пароль не принимает: используйте --starttls (или сначала наберите STARTTLS) либо подключайтесь по imaps://'],
    ['imap', { code: null, text: 'Unsupported authentication mechanism.', mechanism: 'GSSAPI', offered: ['PLAIN', 'LOGIN'] }, 'сервер не поддерживает GSSAPI: он предлагает PLAIN LOGIN'],
    ['pop3', { code: 'IN-USE', text: 'locked' }, 'почтовый ящик заблокирован другим сеансом (RFC 2449 [IN-USE])'],
    ['pop3', { code: null, text: 'Go away' }, 'кода отклика сервер не дал; всё, что он сообщает, — его текст выше'],
  ] as const)('%s %j', (protocol, failure, text) => {
    expect(RUSSIAN_WORDS.notice(loginFailureText(protocol, failure))).toBe(text);
  });
});

const SUMMARY: TlsSummary = { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', subject: 'CN=localhost', issuer: 'CN=mailwire test CA', validTo: '2027-01-01T00:00:00.000Z', verified: true, verifyError: '', insecure: false };

/** What a renderer shows of `events`, in `words` (null: none, English). */
function shown(events: SessionEvent[], words: SessionWords | null = RUSSIAN_WORDS, annotate = false): string {
  const r = new TranscriptRenderer({ colorLevel: 0, annotate, ...(words ? { words } : {}), decodedViews: new Set(['mailbox', 'bodystructure']) });
  return events.map((e) => r.render(e)).join('') + r.finish();
}

describe('the display words mailwire\'s own lines in its language', () => {
  const connected: SessionEvent = { kind: 'connected', protocol: 'imap', host: 'localhost', port: 143, address: '127.0.0.1', tls: 'starttls' };

  it('the connection, the TLS summary, a warning and a closed connection', () => {
    const refused = { ...SUMMARY, verified: false, insecure: true, verifyError: 'x', verifyProblems: [{ key: 'tls.problem.self-signed', values: { subject: 'CN=localhost' } }] } as TlsSummary;
    const events: SessionEvent[] = [connected, { kind: 'tls', summary: SUMMARY }, { kind: 'tls', summary: refused }, { kind: 'notice', level: 'warning', text: 'tag A1 ...', said: noticeText('notice.tag-in-use', { tag: 'A1' }) }, { kind: 'closed', reason: '' }];
    expect(shown(events)).toBe(
      [
        '# установлено соединение с imap://localhost:143 (127.0.0.1), обычный TCP, затем STARTTLS',
        '# TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, владелец CN=localhost, издатель CN=mailwire test CA, действует до 2027-01-01, сертификат проверен',
        '# TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, владелец CN=localhost, издатель CN=mailwire test CA, действует до 2027-01-01, сертификат НЕ проверен (самоподписанный: CN=localhost подписан сам собой, и ни один УЦ за него не ручается), но принят из-за --insecure',
        '# предупреждение: тег A1 уже занят командой, которая ещё выполняется',
        '# соединение закрыто',
        '',
      ].join('\n'),
    );
    // Without words, English, as before.
    expect(shown(events, null)).toBe(
      [
        '# connected to imap://localhost:143 (127.0.0.1), plain TCP, STARTTLS to follow',
        '# TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, subject CN=localhost, issuer CN=mailwire test CA, expires 2027-01-01, certificate verified',
        '# TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, subject CN=localhost, issuer CN=mailwire test CA, expires 2027-01-01, certificate NOT verified (x), accepted with --insecure',
        '# warning: tag A1 ...',
        '# connection closed',
        '',
      ].join('\n'),
    );
  });

  it('escapes server bytes inside the sentences exactly as the English line does', () => {
    const tag = 'zz\x1b[2J\u202e';
    const event: SessionEvent = { kind: 'notice', level: 'warning', text: englishNotice(noticeText('notice.unknown-tag', { tag })), said: noticeText('notice.unknown-tag', { tag }) };
    const en = shown([event], null);
    const ru = shown([event]);
    const escaped = /"(zz[^"]*)"/.exec(en)?.[1] ?? '';
    expect(escaped).toMatch(/^zz\\x1b\[2J\S+$/);
    expect(ru).toContain(`"${escaped}"`);
    expect(ru).not.toContain('\x1b');
    const subject = 'CN=evil\x1b[31m';
    const tls: SessionEvent = { kind: 'tls', summary: { ...SUMMARY, subject, verified: false, verifyError: `self-signed: ${subject}`, verifyProblems: [{ key: 'tls.problem.self-signed', values: { subject } }] } };
    expect(shown([tls])).toContain('владелец CN=evil\\x1b[31m,');
    expect(shown([tls])).toContain('(самоподписанный: CN=evil\\x1b[31m подписан');
    expect(shown([tls], null)).toContain('subject CN=evil\\x1b[31m,');
  });

  it('the annotations of a terminal and the headings of decoded views', () => {
    const events: SessionEvent[] = [
      { kind: 'imap-segment', bytes: Buffer.from('* 1 FETCH (BODY[] {3}'), first: true, literalSize: 3 },
      { kind: 'imap-literal-data', bytes: Buffer.from('abc') },
      { kind: 'imap-literal-end', size: 3 },
      { kind: 'imap-segment', bytes: Buffer.from(')'), first: false, literalSize: null },
      { kind: 'imap-segment', bytes: Buffer.from('a1 OK done'), first: true, literalSize: null, latencyMs: 12 },
      { kind: 'pop3-end', latencyMs: 21 },
      { kind: 'decoded', view: 'bodystructure', lines: ['BODYSTRUCTURE of message 3:', '  [1] text/plain'], heading: noticeText('notice.decoded.tree', { item: 'BODYSTRUCTURE', n: 3 }) },
      { kind: 'decoded', view: 'mailbox', lines: ['mailbox: Entwürfe'], heading: noticeText('notice.decoded.mailbox', { name: 'Entwürfe' }) },
    ];
    const ru = shown(events, RUSSIAN_WORDS, true);
    expect(ru).toContain('S: * 1 FETCH (BODY[] {3}  ‹3 октета›\n');
    expect(ru).toContain('S: a1 OK done (12 мс)\n');
    expect(ru).toContain('# 21 мс на весь отклик\n');
    expect(ru).toContain('#   BODYSTRUCTURE сообщения 3:\n#     [1] text/plain\n');
    expect(ru).toContain('#   почтовый ящик: Entwürfe\n');
    const en = shown(events, null, true);
    expect(en).toContain('S: * 1 FETCH (BODY[] {3}  ‹3 octets›\n');
    expect(en).toContain('S: a1 OK done (12 ms)\n');
    expect(en).toContain('# 21 ms for the whole reply\n');
    expect(en).toContain('#   BODYSTRUCTURE of message 3:\n');
  });
});

describe('why a certificate was not trusted, in Russian', () => {
  const root = cert({ subject: 'CN=Corp Root', issuer: 'CN=Corp Root', selfSigned: true, ca: true });
  it.each([
    [details({ chainError: 'CERT_HAS_EXPIRED', chain: [cert({ validTo: '2026-05-20T00:00:00.000Z' })] }), 'срок действия истёк: сертификат CN=mail.example.org действовал до 2026-05-20 (12 дней назад)'],
    [details({ chainError: 'CERT_NOT_YET_VALID', chain: [cert({}), cert({ subject: 'CN=Example Intermediate', validFrom: '2026-06-04T00:00:00.000Z' })] }), 'ещё не действует: сертификат цепочки CN=Example Intermediate действует с 2026-06-04 (через 3 дня); проверьте часы на обеих машинах'],
    [details({ chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'самоподписанный: CN=mail.example.org подписан сам собой, и ни один УЦ за него не ручается'],
    [details({ chainError: 'SELF_SIGNED_CERT_IN_CHAIN', chain: [cert({}), root] }), 'неизвестный корень: цепочка кончается на CN=Corp Root — самоподписанном УЦ, которому здесь не доверяют'],
    [details({ chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'неизвестный издатель: CN=Example Intermediate, подписавший сертификат, — не доверенный УЦ (частный УЦ, или сервер не присылает промежуточный сертификат)'],
    [details({ chainError: 'CERT_REVOKED' }), 'отозван: УЦ отозвал этот сертификат'],
    [details({ nameMatches: false, checkedName: 'imap.example.org' }), 'не тот узел: сертификат выдан для mail.example.org, а не для imap.example.org'],
    [details({ nameMatches: false, checkedName: '10.0.0.1', chain: [cert({ subject: 'CN=10.0.0.1', altNames: [] })] }), 'не тот узел: 10.0.0.1 есть только в CN сертификата, а IP-адрес должен стоять в subjectAltName типа IP Address'],
    [details({ chainError: 'SOMETHING_NEW' }), 'код проверки OpenSSL SOMETHING_NEW'],
  ])('%#', (d, text) => {
    const lines = formatTlsDetails(d, new Date(d.at), RUSSIAN_WORDS.tls);
    expect(lines).toContain(`  ${text}`);
    // The English of the same facts is as it was, and it is what errors and the recording say.
    expect(formatTlsDetails(d, new Date(d.at))).toContain(`  ${certificateProblems(d)[0]}`);
    expect(certificateProblemTexts(d)).toHaveLength(certificateProblems(d).length);
  });

  it('the shell\'s .tls (Words of ru.ts) words them too, a subject from the server escaped', () => {
    const lines = formatTlsDetails(details({ chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT', chain: [cert({ subject: 'CN=evil\x1b[31m' })] }), undefined, new Words('ru'));
    expect(lines).toContain('  самоподписанный: CN=evil\\x1b[31m подписан сам собой, и ни один УЦ за него не ручается');
  });
});

describe('why a replayed step failed, in Russian', () => {
  const step = () => {
    const t = parseTranscript('# protocol: imap\nS: * OK ready\nC: A1 SELECT INBOX\nS: * 172 EXISTS\nS: A1 OK [READ-WRITE] SELECT completed\n');
    return buildScript(t.lines, 'imap')[1] as Step;
  };
  const differs = (): Mismatch => {
    const m = new StepMatcher(step(), 'imap', new Map());
    m.offer({ kind: 'untagged', tag: null, lines: ['* 172 EXISTS'] });
    const v = m.offer({ kind: 'tagged', tag: 'A1', lines: ['A1 NO [NONEXISTENT] no such mailbox'] });
    if (v.type !== 'failed') throw new Error('no mismatch');
    return v.mismatch;
  };

  it('the report: the reason, the labels; the English reason stays for JUnit and other readers', () => {
    const m = differs();
    expect(m.reason).toBe('the completion differs at line 5: expected "OK [READ-WRITE] SELECT completed"');
    const text = mismatchSpans('t.txt', m, 'server', RUSSIAN_REPLAY_WORDS).map((spans) => spans.map((s) => s.text).join(''));
    expect(text).toEqual([
      '    t.txt:5: завершающий отклик отличается в строке 5; ожидалось: "OK [READ-WRITE] SELECT completed"',
      '    - S: A1 OK [READ-WRITE] SELECT completed   (запись, строка 5)',
      '    + S: A1 NO [NONEXISTENT] no such mailbox   (сервер)',
      '            ^',
    ]);
    expect(mismatchSpans('t.txt', m).map((spans) => spans.map((s) => s.text).join(''))[1]).toBe('    - S: A1 OK [READ-WRITE] SELECT completed   (transcript line 5)');
  });

  it('the missing line, the time limit, and step\'s difference in the words of ru.ts', () => {
    const m = new StepMatcher(step(), 'imap', new Map());
    const timedOut = m.missing({ key: 'replay.timed-out', values: { what: { key: 'replay.line', values: { line: 4 } }, seconds: 5 } });
    expect(RUSSIAN_REPLAY_WORDS.text(timedOut.said)).toBe('строка 4 не пришла за 5 с');
    const lines = differenceLines(new Words('ru'), differs()).map((spans) => spans.map((s) => s.text).join(''));
    expect(lines[0]).toBe('≠ ответ сервера отличается от записанного (завершающий отклик отличается в строке 5; ожидалось: "OK [READ-WRITE] SELECT completed")');
  });
});

describe('the shell\'s prompt and remarks in Russian', () => {
  const prompt = (over: Partial<PromptState>) =>
    promptSpans({ protocol: 'imap', hostPort: '127.0.0.1:143', user: null, tls: null, state: 'authenticated', mailbox: null, nextTag: 'A001', waiting: 0, mode: { kind: 'command' }, unicode: true, words: new Words('ru'), stateName: 'аутентифицирован', ...over })
      .map((s) => s.text)
      .join('');

  it('a literal, IDLE, a continuation, commands waiting', () => {
    expect(prompt({ mode: { kind: 'literal', size: 310, left: 21 } })).toBe('литерал {310}, остался 21 октет> ');
    expect(prompt({ mode: { kind: 'literal', size: 310, left: 3 } })).toBe('литерал {310}, осталось 3 октета> ');
    expect(prompt({ mode: { kind: 'after-literal' } })).toBe('литерал набран; Enter завершает команду, или наберите её продолжение> ');
    expect(prompt({ mode: { kind: 'idle' } })).toBe('imap 127.0.0.1:143 аутентифицирован IDLE, завершает DONE> ');
    expect(prompt({ mode: { kind: 'continuation', command: 'AUTHENTICATE' } })).toBe('imap 127.0.0.1:143 аутентифицирован AUTHENTICATE продолжается> ');
    expect(prompt({ waiting: 2 })).toBe('imap 127.0.0.1:143 аутентифицирован (ждут: 2) A001> ');
    // English without words, as before.
    expect(prompt({ words: undefined, stateName: undefined, mode: { kind: 'literal', size: 310, left: 1 } })).toBe('literal {310}, 1 octet left> ');
  });

  it('a word typed out of habit', () => {
    expect(strayWordAdvice('imap', 'quit', new Words('ru'))).toBe('не отправлено: «quit» — не команда IMAP (сервер её отверг бы); сеанс завершает LOGOUT (Ctrl-D или .quit отправят её за вас)');
    expect(strayWordAdvice('imap', 'quit')).toBe('not sent: "quit" is no IMAP command (the server would refuse it); LOGOUT ends the session (Ctrl-D or .quit sends it for you)');
  });
});
