/**
 * The explanations in context: every command and response line of the shipped transcripts (the
 * course slides, the RFC examples, the Dovecot recordings) is explained in both languages, and the
 * explanations say what the line means in its session: the numbers, the mailbox, the literal's size,
 * the APOP digest with the greeting's timestamp, the state it leads to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apopDigest } from '../../src/protocol/pop3/apop.js';
import { LANGUAGES, type Language } from '../../src/protocol/explain/language.js';
import { SessionExplainer, explainTranscriptLines, type Explanation } from '../../src/protocol/explain/session-explainer.js';
import { CATALOGUES } from '../../src/protocol/explain/words.js';
import { parseTranscript } from '../../src/transcript/format.js';
import { stepExchanges } from '../../src/transcript/step.js';

const SHIPPED = fileURLToPath(new URL('../../transcripts/', import.meta.url));

function transcriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? transcriptFiles(path) : name.endsWith('.txt') ? [path] : [];
  });
}

/** Plays a transcript written as in the RFCs ("C: ..." / "S: ...") and returns each line's explanations. */
function play(protocol: 'imap' | 'pop3', language: Language, text: string): Array<{ line: string; explained: string[] }> {
  const explainer = new SessionExplainer(protocol, language);
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .map((l) => {
      const body = l.slice(3);
      const out = l.startsWith('C:') ? explainer.client(body) : explainer.server(body);
      return { line: l, explained: out.map((e) => e.text) };
    });
}

/** The explanations of the line starting with `prefix`. */
function under(played: ReturnType<typeof play>, prefix: string): string[] {
  const found = played.find((p) => p.line.startsWith(prefix));
  if (!found) throw new Error(`no line ${prefix}`);
  return found.explained;
}

describe('every line of the shipped transcripts is explained, in every language', () => {
  const files = transcriptFiles(SHIPPED);

  it('finds the transcripts', () => {
    expect(files.length).toBeGreaterThan(70);
  });

  for (const language of LANGUAGES) {
    it(`${language}: commands, responses, codes and replies`, () => {
      const unexplained: string[] = [];
      const kinds = new Set<string>();
      for (const file of files) {
        const t = parseTranscript(readFileSync(file, 'utf8'));
        if (!t.directives.protocol) continue;
        const explainer = new SessionExplainer(t.directives.protocol, language);
        for (const line of t.lines) {
          const explanations: Explanation[] = line.direction === 'C' ? explainer.client(line.text) : explainer.server(line.text);
          const part = explainer.lastPart;
          // Literal octets, the segment after a literal and the text of a message are data, not protocol.
          const isData = part === 'literal' || part === 'continued' || (part === 'body' && explanations.length === 0);
          if (!isData && explanations.length === 0) unexplained.push(`${relative(SHIPPED, file)}:${line.lineNo} ${line.text}`);
          for (const e of explanations) {
            kinds.add(e.key);
            expect(Object.hasOwn(CATALOGUES[language], e.key), e.key).toBe(true);
            expect(e.rfc, e.key).toMatch(/^RFC \d+ §[\d.]+$/);
            // Every placeholder filled, none left for a value that was not there.
            expect(e.text, e.key).not.toMatch(/\{[A-Za-z]+[|}]/);
          }
        }
      }
      expect(unexplained).toEqual([]);
      // What the examples show, from the greeting to the codes (a sample of what must be among them).
      for (const key of [
        'imap.greeting.OK',
        'imap.response.EXISTS',
        'imap.response.RECENT',
        'imap.code.UIDVALIDITY',
        'imap.code.PERMANENTFLAGS.keywords',
        'imap.continuation.literal',
        'imap.response.FETCH.flags-changed',
        'imap.code.COPYUID',
        'imap.code.CLIENTBUG',
        'pop3.command.APOP',
        'pop3.reply.scan-listing',
        'pop3.capa.SASL',
        'state.now.selected',
      ]) {
        expect(kinds.has(key), key).toBe(true);
      }
    });
  }

  it('explainTranscriptLines gives the lines by number', () => {
    const t = parseTranscript(readFileSync(join(SHIPPED, 'seed/pop3-apop-session.txt'), 'utf8'));
    const byLine = explainTranscriptLines('pop3', t.lines, 'ru');
    const apop = t.lines.find((l) => l.text.startsWith('APOP'));
    expect(byLine.get(apop?.lineNo ?? 0)?.[0]?.text).toContain('MD5("<1896.697270952@dbc.ca.us>" + секрет)');
  });
});

describe('IMAP explanations in context', () => {
  const select = `
    S: * OK IMAP4rev1 Service Ready
    C: a1 LOGIN joe secret
    S: a1 OK LOGIN completed
    C: A142 SELECT INBOX
    S: * 18 EXISTS
    S: * 1 RECENT
    S: * 2 RECENT
    S: * OK [UIDVALIDITY 3857529045] UIDs valid
    S: * OK [UIDNEXT 4392] Predicted next UID
    S: * OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited
    S: A142 OK [READ-WRITE] SELECT completed
    C: A143 FETCH 12 (FLAGS)
    S: * 12 FETCH (FLAGS (\\Seen \\Deleted))
    S: A143 OK FETCH completed
    C: A144 COPY 2:4 Archive
    S: A144 NO [TRYCREATE] No such mailbox
    C: A145 CLOSE
    S: A145 OK CLOSE completed
    C: A146 EXAMINE "Sent Items"
    S: A146 OK [READ-ONLY] EXAMINE completed
    C: A147 STORE 1 +FLAGS (\\Seen)
    S: A147 NO [NOPERM] read-only
  `;

  it('en', () => {
    const p = play('imap', 'en', select);
    expect(under(p, 'S: * OK IMAP4rev1')).toEqual(['greeting: the server is ready; the client logs in next', 'now in the Not Authenticated state']);
    expect(under(p, 'S: a1 OK')).toContain('now in the Authenticated state');
    expect(under(p, 'C: A142 SELECT')[0]).toBe('opens the mailbox INBOX read-write; the server first reports how many messages it holds, its flags and its UID values');
    expect(under(p, 'S: * 18 EXISTS')).toEqual(['the mailbox holds 18 messages']);
    expect(under(p, 'S: * 1 RECENT')).toEqual(['1 message is recent (\\Recent): this session is the first told of it']);
    expect(under(p, 'S: * 2 RECENT')).toEqual(['2 messages are recent (\\Recent): this session is the first told of them']);
    expect(under(p, 'S: * OK [UIDVALIDITY')[0]).toContain('UIDVALIDITY stays 3857529045; if it changes, every UID the client keeps for this mailbox is void');
    expect(under(p, 'S: * OK [UIDNEXT')[0]).toBe('the next message added to this mailbox will get a UID of 4392 or more');
    expect(under(p, 'S: * OK [PERMANENTFLAGS')[0]).toContain('new keywords may be created');
    expect(under(p, 'S: A142 OK')).toEqual(['SELECT (A142) completed successfully', 'now in the Selected state: mailbox INBOX, read-write']);
    expect(under(p, 'S: * 12 FETCH')).toEqual(['message 12 has the flags \\Seen \\Deleted']);
    expect(under(p, 'C: A144 COPY')[0]).toBe('copies messages 2:4 to the mailbox Archive');
    expect(under(p, 'S: A144 NO')).toEqual([
      'COPY (A144) failed: the server understood it but could not do it',
      'the target mailbox does not exist: CREATE it, then try again',
    ]);
    expect(under(p, 'S: A145 OK')).toContain('now in the Authenticated state');
    expect(under(p, 'S: A146 OK')).toContain('now in the Selected state: mailbox Sent Items, read-only');
    expect(under(p, 'S: A147 NO')).toContain('no permission for this (access control lists)');
  });

  it('ru', () => {
    const p = play('imap', 'ru', select);
    expect(under(p, 'S: * OK IMAP4rev1')).toContain('теперь состояние «Не аутентифицирован» (Not Authenticated)');
    expect(under(p, 'S: * 18 EXISTS')).toEqual(['в почтовом ящике 18 сообщений']);
    expect(under(p, 'S: * 2 RECENT')[0]).toBe('новых сообщений (\\Recent): 2; этот сеанс первым получил о них извещение');
    expect(under(p, 'S: * OK [UIDVALIDITY')[0]).toContain('UIDVALIDITY равно 3857529045; если оно изменится, все UID, сохранённые клиентом для этого ящика, теряют силу');
    expect(under(p, 'S: A142 OK')).toEqual(['команда SELECT (A142) выполнена успешно', 'теперь состояние «Выбран» (Selected): почтовый ящик INBOX, чтение и запись']);
    expect(under(p, 'S: * 12 FETCH')).toEqual(['у сообщения 12 флаги \\Seen \\Deleted']);
    expect(under(p, 'C: A144 COPY')[0]).toBe('копирование сообщений 2:4 в почтовый ящик Archive');
    expect(under(p, 'S: A144 NO')[1]).toBe('целевого почтового ящика нет: создайте его (CREATE) и повторите');
    expect(under(p, 'S: A146 OK')).toContain('теперь состояние «Выбран» (Selected): почтовый ящик Sent Items, только чтение');
  });

  it('numbers take the right Russian form: 1, 2, 5, 21 messages', () => {
    const p = play('imap', 'ru', 'C: a SELECT x\nS: * 1 EXISTS\nS: * 2 EXISTS\nS: * 5 EXISTS\nS: * 21 EXISTS\nS: * 0 EXISTS');
    expect(p.slice(1).map((x) => x.explained[0])).toEqual([
      'в почтовом ящике 1 сообщение',
      'в почтовом ящике 2 сообщения',
      'в почтовом ящике 5 сообщений',
      'в почтовом ящике 21 сообщение',
      'в почтовом ящике 0 сообщений',
    ]);
  });

  const append = `
    C: A003 APPEND saved-messages (\\Seen) {310}
    S: + Ready for literal data
    C: Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)
    S: A003 OK APPEND completed
  `;

  it('the literal: announced with its size, waited for, then sent (en)', () => {
    const p = play('imap', 'en', append);
    expect(under(p, 'C: A003 APPEND')).toEqual([
      'adds a message of 310 octets with the flags \\Seen to the mailbox saved-messages',
      'a literal of 310 octets follows; the client waits for the server\'s "+" before sending it',
    ]);
    expect(under(p, 'S: + Ready')).toEqual(['the server is ready: the client now sends the 310 octets of the literal']);
    // The literal's lines are the message: data, not commands.
    expect(under(p, 'C: Date:')).toEqual([]);
  });

  it('the literal (ru): 310 октетов, 1 октет, 21 октета', () => {
    const p = play('imap', 'ru', append);
    expect(under(p, 'S: + Ready')).toEqual(['сервер готов: теперь клиент отправляет 310 октетов литерала']);
    expect(under(p, 'C: A003 APPEND')[1]).toBe('далее литерал из 310 октетов; клиент ждёт «+» от сервера, прежде чем его отправить');
    expect(play('imap', 'ru', 'C: a LOGIN {21}\nS: + go')[1]?.explained).toEqual(['сервер готов: теперь клиент отправляет 21 октет литерала']);
    expect(play('imap', 'ru', 'C: a LOGIN {1}')[0]?.explained[1]).toBe('далее литерал из 1 октета; клиент ждёт «+» от сервера, прежде чем его отправить');
  });

  it('a command out of its state is said to be', () => {
    const p = play('imap', 'en', 'S: * OK ready\nC: a1 FETCH 1 FLAGS');
    expect(under(p, 'C: a1 FETCH')).toContain('FETCH is not valid in the Not Authenticated state');
  });

  it('RFC 5530 codes and an unknown code', () => {
    const p = play('imap', 'ru', 'C: a1 LOGIN u p\nS: a1 NO [AUTHENTICATIONFAILED] Authentication failed.\nS: * OK [XYZZY] what');
    expect(under(p, 'S: a1 NO')[1]).toBe('неверное имя пользователя или пароль (или сбой механизма)');
    expect(under(p, 'S: * OK [XYZZY]')[0]).toContain('[XYZZY]: код отклика, неизвестный mailwire');
  });
});

describe('the state after UNAUTHENTICATE (RFC 8437 §3), as the session and lint have it', () => {
  const SESSION = [
    'S: * OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] ready',
    'C: A001 LOGIN joe <secret>',
    'S: A001 OK in',
    'C: A002 SELECT INBOX',
    'S: A002 OK [READ-WRITE] done',
    'C: A003 UNAUTHENTICATE',
    'S: A003 OK back to not authenticated',
    'C: A004 LOGIN joe <secret>',
    'S: A004 OK in',
  ];

  it('says the move with its section, and takes the next LOGIN as valid there', () => {
    const explainer = new SessionExplainer('imap', 'en', { transcript: true });
    const out = SESSION.map((l) => (l.startsWith('C:') ? explainer.client(l.slice(3)) : explainer.server(l.slice(3))));
    expect(out[6]?.at(-1)).toEqual({ key: 'state.now', rfc: 'RFC 8437 §3', text: 'now in the Not Authenticated state' });
    expect(explainer.context.mailbox).toBeNull();
    expect(out[7]?.map((e) => e.text).join('\n')).not.toMatch(/not valid/);
    expect(out[8]?.at(-1)?.text).toBe('now in the Authenticated state');
  });

  it('step draws the diagram after it, with the command that made the move', () => {
    const exchanges = stepExchanges(parseTranscript(`# protocol: imap\n${SESSION.join('\n')}\n`), 'imap', 'en');
    const unauthenticate = exchanges.find((e) => e.lines.some((l) => l.some((span) => span.text === 'A003 UNAUTHENTICATE')));
    expect(unauthenticate?.state).toBe('not-authenticated');
    expect(unauthenticate?.stateChanged).toBe(true);
    const text = unauthenticate?.lines.map((l) => l.map((span) => span.text).join('')).join('\n') ?? '';
    expect(text).toMatch(/┃ Not Authenticated +┃ ◀ current state, entered by A003 UNAUTHENTICATE$/m);
  });
});

describe('POP3 explanations in context', () => {
  const session = `
    S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
    C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
    S: +OK mrose's maildrop has 2 messages (320 octets)
    C: STAT
    S: +OK 2 320
    C: LIST
    S: +OK 2 messages (320 octets)
    S: 1 120
    S: 2 200
    S: .
    C: DELE 1
    S: +OK message 1 deleted
    C: QUIT
    S: +OK dewey POP3 server signing off (maildrop empty)
  `;

  it('en: the digest is MD5 of the greeting\'s timestamp and the secret', () => {
    const p = play('pop3', 'en', session);
    // RFC 1939 §7's secret: the digest shown is the one the timestamp and "tanstaaf" give.
    expect(apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
    expect(under(p, 'S: +OK POP3')).toEqual([
      'greeting: the server is ready; <1896.697170952@dbc.mtview.ca.us> is the timestamp an APOP digest is computed from',
      'now in the AUTHORIZATION state',
    ]);
    expect(under(p, 'C: APOP')[0]).toBe(
      'logs in as mrose with the digest c4c9334bac560ecc979e58001b3e22fb, which must be MD5("<1896.697170952@dbc.mtview.ca.us>" + secret): the greeting\'s timestamp makes it good for this session only, and the secret never crosses the wire',
    );
    expect(under(p, "S: +OK mrose's")).toEqual([
      'logged in: the maildrop holds 2 messages (320 octets) and is locked for this session',
      'now in the TRANSACTION state',
    ]);
    expect(under(p, 'S: +OK 2 320')).toEqual(['the maildrop holds 2 messages, 320 octets in all']);
    expect(under(p, 'S: 1 120')).toEqual(['message 1: 120 octets']);
    expect(under(p, 'S: .')).toEqual(['end of the multi-line reply']);
    expect(under(p, 'C: QUIT')).toEqual(['ends the session: the server enters UPDATE and removes the 1 message marked deleted']);
    expect(under(p, 'S: +OK dewey')).toContain('now in the UPDATE state');
  });

  it('ru', () => {
    const p = play('pop3', 'ru', session);
    expect(under(p, 'C: APOP')[0]).toBe(
      'вход под именем mrose; дайджест c4c9334bac560ecc979e58001b3e22fb должен быть равен MD5("<1896.697170952@dbc.mtview.ca.us>" + секрет): метка времени из приветствия делает его действительным только для этого сеанса, а сам секрет по сети не передаётся',
    );
    expect(under(p, "S: +OK mrose's")).toEqual([
      'вход выполнен: в почтовом ящике 2 сообщения (320 октетов); ящик закреплён за этим сеансом: другие сеансы его не откроют',
      'теперь состояние «Транзакция» (TRANSACTION)',
    ]);
    expect(under(p, 'S: +OK 2 320')).toEqual(['в почтовом ящике 2 сообщения, всего 320 октетов']);
    expect(under(p, 'S: 2 200')).toEqual(['сообщение 2: 200 октетов']);
    expect(under(p, 'C: QUIT')).toEqual(['завершение сеанса: сервер переходит в состояние «Обновление» (UPDATE) и удаляет 1 помеченное сообщение']);
  });

  it('an -ERR that answers no command says so', () => {
    expect(under(play('pop3', 'ru', 'S: +OK ready\nS: -ERR out of the blue'), 'S: -ERR')).toEqual(['-ERR, который не относится ни к одной команде']);
  });

  it('a greeting without a timestamp: no APOP', () => {
    const p = play('pop3', 'en', 'S: +OK ready\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb');
    expect(under(p, 'C: APOP')[0]).toContain('the greeting had no timestamp: this server does not offer APOP');
  });

  it('a preliminary greeting (Dovecot) is followed by the real one, whose timestamp counts', () => {
    const p = play('pop3', 'en', 'S: +OK Waiting for authentication process to respond..\nS: +OK Dovecot ready. <1.2.3@host>\nC: APOP u 0123456789abcdef0123456789abcdef');
    expect(under(p, 'C: APOP')[0]).toContain('MD5("<1.2.3@host>" + secret)');
    expect(under(p, 'S: +OK Waiting')).toEqual(['not the greeting yet: the server waits for its authentication process (Dovecot does this); the real greeting, with the APOP timestamp if any, follows']);
    const ru = play('imap', 'ru', 'S: * OK Waiting for authentication master process to respond..\nS: * OK [CAPABILITY IMAP4rev1] Dovecot ready.');
    expect(under(ru, 'S: * OK Waiting')).toEqual(['это ещё не приветствие: сервер ждёт свой процесс аутентификации (так делает Dovecot); настоящее приветствие придёт следом']);
    expect(under(ru, 'S: * OK [CAPABILITY').at(-1)).toBe('теперь состояние «Не аутентифицирован» (Not Authenticated)');
  });

  it('an +OK that answers no command after the greeting is no second greeting: the first timestamp counts', () => {
    const p = play('pop3', 'en', 'S: +OK ready <1.2.3@host>\nS: +OK still here\nC: APOP u 0123456789abcdef0123456789abcdef');
    expect(under(p, 'S: +OK still')[0]).not.toMatch(/^greeting/);
    expect(under(p, 'C: APOP')[0]).toContain('MD5("<1.2.3@host>" + secret)');
  });

  it('EXPIRE says what its value lets a client do (RFC 2449 §6.7)', () => {
    const capa = (value: string, language: Language = 'en') => under(play('pop3', language, `S: +OK hi\nC: CAPA\nS: +OK Capability list follows\nS: EXPIRE ${value}\nS: .`), 'S: EXPIRE')[0];
    expect(capa('0')).toBe('mail may not be left on the server: when the session ends (UPDATE), the server may delete every message retrieved with RETR');
    expect(capa('NEVER')).toBe('the server deletes no messages by itself: mail may be left here');
    expect(capa('60')).toBe('messages stay on the server at least 60 days under every policy of this site; a client may leave mail here, for less than that');
    expect(capa('1')).toMatch(/^messages stay on the server at least 1 day under/);
    expect(capa('5 USER')).toBe('messages stay on the server at least 5 days for any user; the value for this user comes with CAPA after login');
    expect(capa('0 USER')).toMatch(/^messages stay on the server at least 0 days for any user/);
    expect(capa('60', 'ru')).toBe('сервер хранит сообщения не меньше 60 дней при любой своей политике; оставлять на нём почту можно, если она нужна не дольше этого срока');
    expect(capa('1', 'ru')).toMatch(/не меньше 1 дня при/);
    expect(capa('2', 'ru')).toMatch(/не меньше 2 дней при/);
    expect(capa('21', 'ru')).toMatch(/не меньше 21 дня при/);
    expect(capa('0', 'ru')).toBe('оставлять почту на сервере нельзя: в конце сеанса (UPDATE) сервер может удалить каждое сообщение, полученное командой RETR');
    expect(capa('soon')).toBe('how long messages stay on the server: soon (days, or NEVER)');
  });

  it('-ERR with an RFC 2449 code', () => {
    const p = play('pop3', 'ru', 'S: +OK hi\nC: USER a\nS: +OK\nC: PASS b\nS: -ERR [IN-USE] Do you have another POP session running?');
    expect(under(p, 'S: -ERR')).toEqual(['вход отклонён; причину называет код ответа', 'почтовый ящик заблокирован другим сеансом']);
    // [AUTH] (RFC 3206 §4) is the wrong secret itself; without a code the reasons are both.
    const en = (reply: string) => under(play('pop3', 'en', `S: +OK hi\nC: USER a\nS: +OK\nC: PASS b\nS: ${reply}`), 'S: -ERR')[0];
    expect(en('-ERR [SYS/TEMP] try later')).toBe('login refused; the response code says why');
    expect(en('-ERR [AUTH] bad password')).toMatch(/^login refused: wrong name or secret/);
    expect(en('-ERR no')).toMatch(/^login refused: wrong name or secret/);
  });

  it('cites what defines it: QUIT before a login (RFC 1939 §4), AUTH without a mechanism (no RFC)', () => {
    const p = play('pop3', 'en', 'S: +OK hi\nC: AUTH\nS: +OK\nS: PLAIN\nS: .\nC: QUIT\nS: +OK bye');
    const rfcs = (prefix: string) => {
      const explainer = new SessionExplainer('pop3', 'en');
      const out: string[] = [];
      for (const l of ['+OK hi', 'C:AUTH', '+OK', 'PLAIN', '.', 'C:QUIT', '+OK bye']) {
        const e = l.startsWith('C:') ? explainer.client(l.slice(2)) : explainer.server(l);
        if ((l.startsWith('C:') ? l.slice(2) : l) === prefix) out.push(...e.map((x) => x.rfc));
      }
      return out;
    };
    expect(under(p, 'C: AUTH')[0]).toContain('RFC 5034 has no AUTH without a mechanism');
    expect(rfcs('AUTH')[0]).toBe('');
    expect(rfcs('QUIT')[0]).toBe('RFC 1939 §4');
    expect(rfcs('+OK bye')[0]).toBe('RFC 1939 §4');
  });

  it('an empty SASL response is said to be empty, and an empty quota list to set no limits', () => {
    const imap = play('imap', 'en', 'S: * OK hi\nC: a1 AUTHENTICATE XOAUTH2 dXNlcj0=\nS: + eyJzdGF0dXMiOiI0MDAifQ==\nC: \nS: a1 NO failed\nS: * QUOTA "user.joe" ()');
    const emptyLine = (played: ReturnType<typeof play>) => played.find((x) => x.line === 'C:')?.explained;
    expect(emptyLine(imap)).toEqual(['an empty SASL response: the client has nothing to send at this step']);
    expect(under(imap, 'S: * QUOTA')).toEqual(['quota root user.joe: no limits set']);
    const pop3 = play('pop3', 'ru', 'S: +OK hi\nC: AUTH XOAUTH2 dXNlcj0=\nS: + eyJ9\nC: \nS: -ERR failed');
    expect(emptyLine(pop3)).toEqual(['пустой ответ SASL: на этом шаге клиенту нечего отправить']);
  });
});

describe('values a recording holds as patterns', () => {
  /** Explanations of a recording's lines, read as transcript text (step, handout, lint --explain). */
  const recorded = (protocol: 'imap' | 'pop3', language: Language, lines: string[]): string[][] => {
    const explainer = new SessionExplainer(protocol, language, { transcript: true });
    return lines.map((l) => (l.startsWith('C: ') ? explainer.client(l.slice(3)) : explainer.server(l.slice(3))).map((e) => e.text));
  };

  it('an APOP timestamp recorded as <$> is a timestamp: APOP is offered (en, ru)', () => {
    const lines = ['S: +OK Dovecot (Debian) ready. <$>', 'C: APOP mrose 6d4c9334bac560ecc979e58001b3e22f', 'S: +OK Logged in.'];
    const [greeting, apop] = recorded('pop3', 'en', lines);
    expect(greeting?.[0]).toBe('greeting: the server is ready; it carries an APOP timestamp, new for every connection, from which an APOP digest is computed');
    expect(apop?.[0]).toBe(
      'logs in as mrose with the digest 6d4c9334bac560ecc979e58001b3e22f, which must be MD5 of the timestamp in this connection\'s greeting and the secret: it is good for this session only, and the secret never crosses the wire',
    );
    const ru = recorded('pop3', 'ru', lines).flat().join('\n');
    expect(ru).toContain('метка времени APOP, своя у каждого соединения');
    expect(ru).not.toMatch(/нет|\$/);
    // Live text means what it says: "<$>" there is no msg-id (RFC 1939 §7), so no APOP.
    const live = new SessionExplainer('pop3', 'en');
    live.server('+OK ready <$>');
    expect(live.client('APOP mrose 6d4c9334bac560ecc979e58001b3e22f')[0]?.text).toContain('this server does not offer APOP');
  });

  it('POP3 unique ids recorded as patterns, and "$$" (one "$" on the wire), read as a person would', () => {
    const pop3 = recorded('pop3', 'en', ['S: +OK ready', 'C: USER a', 'S: +OK', 'C: PASS <secret>', 'S: +OK', 'C: UIDL', 'S: +OK', 'S: 1 $', 'S: .', 'C: UIDL 1', 'S: +OK 1 $']);
    expect(pop3[7]).toEqual(['message 1: its unique id (left open in the transcript: each server chooses its own)']);
    expect(pop3[10]?.[0]).toBe('message 1 has a unique id, the same in every session (RFC 1939 §7); left open in the transcript: each server chooses its own');
    expect(recorded('pop3', 'ru', ['S: +OK ready', 'C: USER a', 'S: +OK', 'C: PASS <secret>', 'S: +OK', 'C: UIDL', 'S: +OK', 'S: 1 $'])[7]).toEqual(['сообщение 1: его уникальный идентификатор (в записи не закреплён: каждый сервер выбирает свой)']);
    const imap = recorded('imap', 'en', ['S: * PREAUTH hi', 'C: a1 SELECT INBOX', 'C: a2 STORE 1 +FLAGS ($$Junk)']);
    expect(imap[2]?.[0]).toBe('adds the flags $Junk to message 1');
  });

  it('a captured UIDVALIDITY or mod-sequence is told as a value that varies, never as "$uidvalidity" (en, ru)', () => {
    const lines = [
      'S: * OK [CAPABILITY IMAP4rev1] ready',
      'C: A000 LOGIN joe <secret>',
      'S: A000 OK Logged in',
      'C: A001 SELECT INBOX',
      'S: * OK [UIDVALIDITY $uidvalidity] UIDs valid',
      'S: * OK [HIGHESTMODSEQ $] Highest',
      'S: A001 OK [READ-WRITE] Select completed $',
      'C: A002 APPEND INBOX {1+}',
      'C: x',
      'S: A002 OK [APPENDUID $uidvalidity 7] Append completed.',
      'C: A003 STATUS INBOX (UIDVALIDITY MESSAGES)',
      'S: * STATUS INBOX (MESSAGES 7 UIDVALIDITY $uidvalidity)',
    ];
    for (const language of LANGUAGES) {
      const text = recorded('imap', language, lines).flat();
      expect(text.join('\n'), language).not.toContain('$');
      expect(text.length, language).toBeGreaterThan(5);
    }
    const en = recorded('imap', 'en', lines);
    expect(en[4]).toEqual(['UIDs hold while UIDVALIDITY stays as it is (its value is left open in the transcript: each server and mailbox has its own); if it changes, every UID the client keeps for this mailbox is void']);
    expect(en[9]?.[1]).toBe('the message was saved with UID 7; the mailbox\'s UIDVALIDITY is left open in the transcript (each server and mailbox has its own)');
    expect(en[11]?.join(' ')).toContain('UID validity (left open in the transcript: each server and mailbox has its own)');
    // STATUS items of extensions: a list value (MAILBOXID, RFC 8474 §4), a limit (APPENDLIMIT, RFC 7889 §3).
    const status = (line: string, language: 'en' | 'ru' = 'en') => recorded('imap', language, ['S: * PREAUTH hi', line])[1]?.[0] ?? '';
    expect(status('S: * STATUS INBOX (MAILBOXID ($) APPENDLIMIT 1000)')).toBe('the mailbox INBOX has mailbox id (left open in the transcript: each server has its own) and APPEND takes messages of up to 1000 octets');
    expect(status('S: * STATUS INBOX (MAILBOXID (F2212ea87))')).toContain('mailbox id F2212ea87');
    expect(status('S: * STATUS INBOX (XFOO $)', 'ru')).toContain('XFOO (значение, не закреплённое в записи');
    // A number is a number, recorded or not.
    expect(recorded('imap', 'en', ['S: * OK ready', 'S: * OK [UIDVALIDITY 3857529045] UIDs valid'])[1]?.[0]).toContain('stays 3857529045;');
  });
});

describe('literals in transcripts', () => {
  it('an empty literal {0} is over at once: the next line goes on with its response or command (RFC 3501 §4.3)', () => {
    const text = [
      'S: * PREAUTH hi',
      'C: A002 LIST "" *',
      'S: * LIST () "/" {0}',
      'S: ',
      'S: * 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {0}',
      'S:  FLAGS (\\Seen))',
      'S: A002 OK done',
      'C: A003 APPEND INBOX {0+}',
      'C: ',
      'S: A003 OK done',
      'C: A004 NOOP',
    ].join('\n');
    for (const language of LANGUAGES) {
      const played = play('imap', language, text);
      // The first line of each response and command is explained, and a FETCH's items after {0}; the
      // rest of the lines after {0} are not.
      expect(played.filter((p) => p.explained.length > 0).map((p) => p.line), language).toEqual([
        'S: * PREAUTH hi', 'C: A002 LIST "" *', 'S: * LIST () "/" {0}', 'S: * 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {0}', 'S:  FLAGS (\\Seen))', 'S: A002 OK done', 'C: A003 APPEND INBOX {0+}', 'S: A003 OK done', 'C: A004 NOOP',
      ]);
    }
    expect(under(play('imap', 'en', text), 'S: A002 OK')[0]).toBe('LIST (A002) completed successfully');
  });

  it('a FETCH response\'s items after a literal are explained as they come, read from a transcript or live (en, ru)', () => {
    const text = 'S: * PREAUTH hi\nS: * 12 FETCH (BODY[HEADER] {5}\nS: abc\nS:  FLAGS (\\Seen) UID 7 BODY[TEXT] {3}\nS: xyz)\nS: * 13 FETCH (FLAGS ())';
    const en = play('imap', 'en', text);
    expect(under(en, 'S:  FLAGS')).toEqual(['message 12 (UID 7): FLAGS, UID, and BODY[TEXT]']);
    // The literal's last octets and the list's end on one line: nothing more to say.
    expect(under(en, 'S: xyz)')).toEqual([]);
    // No FETCH in progress: flags are a change, as on a first line.
    expect(under(en, 'S: * 13 FETCH')).toEqual(['message 13 now has no flags']);
    expect(under(play('imap', 'ru', text), 'S:  FLAGS')).toEqual(['сообщение 12 (UID 7): FLAGS, UID и BODY[TEXT]']);
    // Live, the session says which line goes on after a literal.
    const live = new SessionExplainer('imap', 'en');
    live.server('* PREAUTH hi');
    live.client('a1 FETCH 3 (BODY[] FLAGS)', 'command');
    live.server('* 3 FETCH (BODY[] {2}', 'first');
    expect(live.server(' FLAGS (\\Seen))', 'continued').map((e) => e.text)).toEqual(['message 3 has the flags \\Seen']);
    expect(live.server(')', 'continued')).toEqual([]);
  });

  it('a mailbox name sent as a literal is said to follow, and read with it for the state line (en, ru)', () => {
    const text = 'S: * PREAUTH hi\nC: a1 SELECT {24}\nS: + go\nC: Отправленные\nS: a1 OK done\nS: * LIST () "/" {4}\nS: Test';
    const en = play('imap', 'en', text);
    expect(under(en, 'C: a1 SELECT')[0]).toMatch(/^opens the mailbox \(its name follows as a literal of 24 octets\) read-write/);
    expect(under(en, 'S: a1 OK')).toContain('now in the Selected state: mailbox Отправленные, read-write');
    expect(under(en, 'S: * LIST')[0]).toMatch(/^mailbox \(its name follows as a literal of 4 octets\),/);
    const ru = play('imap', 'ru', text);
    expect(under(ru, 'C: a1 SELECT')[0]).toContain('(имя следует литералом из 24 октетов)');
    expect(under(ru, 'S: a1 OK').join(' ')).toContain('почтовый ящик Отправленные');
  });
});

describe('commands whose wording depends on their arguments', () => {
  it('names mailboxes decoded from modified UTF-7, as a reader knows them (RFC 3501 §5.1.3; en, ru)', () => {
    const text = 'S: * PREAUTH hi\nC: a1 SELECT &BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-\nS: a1 OK [READ-WRITE] done\nS: * 2 EXISTS\nC: a2 COPY 1 "Tom &- Jerry"\nS: * LIST () "/" "Entw&APw-rfe"\nS: * STATUS "a&b" (MESSAGES 1)';
    const en = play('imap', 'en', text);
    expect(under(en, 'C: a1 SELECT')[0]).toMatch(/^opens the mailbox Отправленные read-write/);
    expect(under(en, 'S: * 2 EXISTS')[0]).toContain('Отправленные');
    expect(under(en, 'C: a2 COPY')[0]).toContain('Tom & Jerry');
    expect(under(en, 'S: * LIST')[0]).toMatch(/^mailbox Entwürfe,/);
    // Not valid modified UTF-7: the name as it came.
    expect(under(en, 'S: * STATUS')[0]).toContain('a&b');
    expect(under(play('imap', 'ru', text), 'C: a1 SELECT')[0]).toContain('Отправленные');
  });

  it('LIST with an empty reference name lists from the top; with one, relative to it (en, ru)', () => {
    const en = play('imap', 'en', 'S: * OK ready\nC: a1 LIST "" *\nC: a2 LIST "Archive/" %');
    expect(under(en, 'C: a1 LIST')[0]).toBe('lists the mailboxes matching * from the top of the hierarchy (the reference name is empty): "*" matches any depth, "%" one level');
    expect(under(en, 'C: a2 LIST')[0]).toMatch(/^lists the mailboxes matching % relative to the reference name Archive\/:/);
    const ru = play('imap', 'ru', 'S: * OK ready\nC: a1 LSUB "" *');
    expect(under(ru, 'C: a1 LSUB')[0]).toBe('список почтовых ящиков, на которые есть подписка, по шаблону * от корня иерархии (ссылочное имя пусто)');
  });

  it('SETACL says the +/- remark only for rights with a sign; without one they replace the old ones (RFC 4314 §3.1)', () => {
    const session = 'S: * PREAUTH hi\nC: A1 SETACL INBOX/frob anyone lr\nC: A2 SETACL INBOX/frob fred +w';
    const ru = play('imap', 'ru', session);
    expect(under(ru, 'C: A1 SETACL')[0]).toBe('установка прав для anyone на почтовый ящик INBOX/frob: lr, вместо прежних');
    expect(under(ru, 'C: A2 SETACL')[0]).toBe('изменение прав для fred на почтовый ящик INBOX/frob: +w; «+» добавляет права, «-» отнимает');
    const en = play('imap', 'en', session);
    expect(under(en, 'C: A1 SETACL')[0]).toBe('sets the rights of anyone on the mailbox INBOX/frob to lr, replacing the old ones');
    expect(under(en, 'C: A2 SETACL')[0]).toBe('changes the rights of fred on the mailbox INBOX/frob: +w (+ grants, - revokes)');
  });

  it('STATUS counts read as numbers with their words; LSUB says the subscription apart from the name', () => {
    const ru = play(
      'imap',
      'ru',
      'S: * PREAUTH hi\nS: * STATUS blurdybloop (MESSAGES 231 RECENT 21 UNSEEN 2 DELETED 5)\nS: * LSUB () "." #news.comp.mail.misc\nC: a1 SELECT INBOX\nS: a1 OK [READ-WRITE] done\nS: * 7 EXISTS\nC: a2 UID STORE 4 +FLAGS (\\Seen)\nC: a3 FROB\nS: a3',
    );
    expect(under(ru, 'S: * STATUS')).toEqual(['в почтовом ящике blurdybloop: 231 сообщение, 21 новое (\\Recent), 2 непрочитанных и 5 с флагом \\Deleted']);
    expect(under(ru, 'S: * LSUB')).toEqual(['почтовый ящик #news.comp.mail.misc (есть подписка), разделитель иерархии «.»']);
    expect(under(ru, 'C: a1 SELECT')[0]).toBe('выбор почтового ящика INBOX для чтения и записи; сначала сервер сообщит, сколько в нём сообщений, его флаги, UIDVALIDITY и UIDNEXT');
    expect(under(ru, 'S: * 7 EXISTS')).toEqual(['в почтовом ящике INBOX — 7 сообщений']);
    expect(under(ru, 'C: a2 UID STORE')).toEqual(['добавление флагов \\Seen к флагам сообщения с UID 4', 'числа в команде — UID (постоянные идентификаторы сообщений), а не порядковые номера']);
    expect(under(ru, 'C: a3 FROB')).toEqual(['FROB: такой команды нет ни в RFC 3501, ни в RFC 9051, ни в расширениях, известных mailwire']);
    expect(under(ru, 'S: a3')).toEqual(['завершение команды с тегом a3 без статуса OK, NO или BAD: у каждого отклика с тегом должен быть статус']);
  });

  it('reads past the modifiers and options of extensions: STORE UNCHANGEDSINCE, FETCH CHANGEDSINCE, LIST (SUBSCRIBED)', () => {
    const en = play('imap', 'en', 'S: * PREAUTH hi\nC: a0 SELECT INBOX\nC: a1 STORE 50 (UNCHANGEDSINCE 12) -FLAGS.SILENT (\\Deleted)\nC: a2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)\nC: a3 LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (CHILDREN)');
    // RFC 7162 §3.1.3: a removal, not a replacement of the flags by "-FLAGS.SILENT".
    expect(under(en, 'C: a1 STORE')[0]).toBe('removes the flags \\Deleted from message 50');
    expect(under(en, 'C: a2 UID FETCH')[0]).toBe('asks for FLAGS of the messages with UIDs 1:*');
    // RFC 5258 §3: the selection options come first; the pattern is "%", not the delimiter's "".
    expect(under(en, 'C: a3 LIST')[0]).toMatch(/^lists the mailboxes matching % from the top of the hierarchy/);
  });

  it('LISTRIGHTS: the rights always granted apart from those that may be (RFC 4314 §3.7); none as none', () => {
    const en = play('imap', 'en', 'S: * PREAUTH hi\nS: * LISTRIGHTS ~/Mail/saved smith la r swicdkxte\nS: * LISTRIGHTS ~/Mail/saved anyone "" l r s w i p k x t c d');
    expect(under(en, 'S: * LISTRIGHTS ~/Mail/saved smith')).toEqual(['on the mailbox ~/Mail/saved, smith always has the rights la and may be granted r, swicdkxte']);
    expect(under(en, 'S: * LISTRIGHTS ~/Mail/saved anyone')).toEqual(['on the mailbox ~/Mail/saved, anyone has no right of its own and may be granted l, r, s, w, i, p, k, x, t, c, d']);
  });

  it('no RECENT message is said as none; the word before a SEARCH list counts the list; one quota root is one', () => {
    const session = 'S: * PREAUTH hi\nS: * 0 RECENT\nS: * SEARCH 7\nS: * SEARCH 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21\nS: * QUOTAROOT INBOX ""\nS: * QUOTAROOT Archive "" user';
    const ru = play('imap', 'ru', session);
    expect(under(ru, 'S: * 0 RECENT')).toEqual(['новых сообщений (\\Recent) нет']);
    expect(under(ru, 'S: * SEARCH 7')).toEqual(['найдено одно сообщение: номер 7']);
    expect(under(ru, 'S: * SEARCH 1 2')).toEqual(['найдено 21 сообщение: номера 1 2 3 4 5 6 7 8 9 10 11 12 …']);
    expect(under(ru, 'S: * QUOTAROOT INBOX')).toEqual(['почтовый ящик INBOX учитывается в корне квоты ""']);
    expect(under(ru, 'S: * QUOTAROOT Archive')).toEqual(['почтовый ящик Archive учитывается в корнях квоты "" и user']);
    const en = play('imap', 'en', session);
    expect(under(en, 'S: * 0 RECENT')).toEqual(['no message is recent (\\Recent)']);
    expect(under(en, 'S: * SEARCH 7')).toEqual(['one message matches: number 7']);
    expect(under(en, 'S: * SEARCH 1 2')).toEqual(['21 messages match: numbers 1 2 3 4 5 6 7 8 9 10 11 12 …']);
    expect(under(en, 'S: * QUOTAROOT INBOX')).toEqual(['the mailbox INBOX counts against the quota root ""']);
    expect(under(en, 'S: * QUOTAROOT Archive')).toEqual(['the mailbox Archive counts against the quota roots "" and user']);
  });

  it('MODIFIED names the messages whose flags were not stored: one, or several (RFC 7162 §3.1.3)', () => {
    const session = 'S: * PREAUTH hi\nC: d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)\nS: d105 OK [MODIFIED 7,9] Conditional STORE failed\nC: d106 STORE 7 (UNCHANGEDSINCE 1) +FLAGS.SILENT (\\Deleted)\nS: d106 OK [MODIFIED 7] Conditional STORE failed';
    const ru = play('imap', 'ru', session);
    expect(under(ru, 'S: d105 OK')[1]).toBe('сообщения 7,9 изменились после номера изменения (MODSEQ), указанного в UNCHANGEDSINCE, поэтому их флаги не изменены');
    expect(under(ru, 'S: d106 OK')[1]).toBe('сообщение 7 изменилось после номера изменения (MODSEQ), указанного в UNCHANGEDSINCE, поэтому его флаги не изменены');
    const en = play('imap', 'en', session);
    expect(under(en, 'S: d105 OK')[1]).toBe('messages 7,9 changed after the UNCHANGEDSINCE mod-sequence, so their flags were not stored');
    expect(under(en, 'S: d106 OK')[1]).toBe('message 7 changed after the UNCHANGEDSINCE mod-sequence, so its flags were not stored');
  });

  it('VANISHED of one UID is singular; LIST attributes read as one sentence', () => {
    const en = play('imap', 'en', 'S: * PREAUTH hi\nS: * VANISHED 1\nS: * VANISHED (EARLIER) 3:5\nS: * LIST (\\HasChildren \\Subscribed) "/" INBOX');
    expect(under(en, 'S: * VANISHED 1')).toEqual(['the message with UID 1 was removed']);
    expect(under(en, 'S: * VANISHED (EARLIER)')).toEqual(['the messages with UIDs 3:5 were removed']);
    expect(under(en, 'S: * LIST')[0]).toBe('mailbox INBOX, hierarchy delimiter "/": has mailboxes under it and is subscribed');
  });

  it('special-use attributes say what the mailbox is for, apart from what it is (RFC 6154 §2)', () => {
    const session = 'S: * PREAUTH hi\nS: * LIST (\\HasNoChildren \\Sent) "/" Sent\nS: * LIST (\\NonExistent \\Trash \\Junk) "/" Bin\nS: * LIST (\\Drafts) "/" Drafts';
    const ru = play('imap', 'ru', session);
    expect(under(ru, 'S: * LIST (\\HasNoChildren')).toEqual(['почтовый ящик Sent, разделитель иерархии «/»: вложенных ящиков нет; особое назначение: отправленные']);
    expect(under(ru, 'S: * LIST (\\NonExistent')).toEqual(['почтовый ящик Bin, разделитель иерархии «/»: не существует; особое назначение: корзина и спам']);
    expect(under(ru, 'S: * LIST (\\Drafts')).toEqual(['почтовый ящик Drafts, разделитель иерархии «/»: особое назначение: черновики']);
    const en = play('imap', 'en', session);
    expect(under(en, 'S: * LIST (\\HasNoChildren')).toEqual(['mailbox Sent, hierarchy delimiter "/": has no mailboxes under it; special use: sent messages']);
  });

  it('a password is said to travel in the clear, or protected by TLS once STARTTLS or STLS is accepted', () => {
    const plain = play('imap', 'en', 'S: * OK ready\nC: a1 LOGIN joe secret');
    expect(under(plain, 'C: a1 LOGIN')[0]).toBe('logs in as joe; the password travels in the clear, so only over TLS');
    const imap = play('imap', 'en', 'S: * OK ready\nC: a0 STARTTLS\nS: a0 OK Begin TLS negotiation now\nC: a1 LOGIN joe secret');
    expect(under(imap, 'C: a1 LOGIN')[0]).toBe('logs in as joe; the password goes as typed, protected here by TLS');
    const pop3 = play('pop3', 'ru', 'S: +OK ready\nC: STLS\nS: +OK Begin TLS\nC: USER mrose\nS: +OK\nC: PASS tanstaaf');
    expect(under(pop3, 'C: PASS')[0]).toBe('пароль к почтовому ящику, названному в USER, как есть; здесь его защищает TLS');
    // Implicit TLS, as the renderer tells a live session's explainer.
    const live = new SessionExplainer('pop3', 'en');
    live.tlsStarted();
    live.server('+OK ready');
    live.client('USER mrose');
    live.server('+OK');
    expect(live.client('PASS x')[0]?.text).toBe('the password for the maildrop named by USER, as typed, protected here by TLS');
  });

  it('a fragment that starts with a command valid in every state lets the next command tell the state', () => {
    const imap = play('imap', 'en', 'C: a1 CAPABILITY\nS: * CAPABILITY IMAP4rev1 ENABLE\nS: a1 OK done\nC: a2 ENABLE CONDSTORE');
    expect(under(imap, 'C: a2 ENABLE').join(' ')).not.toMatch(/not valid/);
    const pop3 = play('pop3', 'en', 'C: CAPA\nS: +OK\nS: TOP\nS: .\nC: STAT');
    expect(under(pop3, 'C: STAT').join(' ')).not.toMatch(/not valid/);
    // A command that tells the state still does: SELECT, then a command of the Not Authenticated state.
    const told = play('imap', 'en', 'C: a1 SELECT INBOX\nS: a1 OK done\nC: a2 LOGIN joe x');
    expect(under(told, 'C: a2 LOGIN').join(' ')).toMatch(/not valid in the Selected state/);
  });

  it('POP3 TOP counts the lines in Russian: 1 строка, 3 строки, 10 строк', () => {
    const ru = play('pop3', 'ru', 'S: +OK ready\nC: USER a\nS: +OK\nC: PASS b\nS: +OK\nC: TOP 1 1\nS: -ERR no\nC: TOP 1 3\nS: -ERR no\nC: TOP 2 10');
    expect(under(ru, 'C: TOP 1 1')[0]).toBe('запрос заголовков сообщения 1 и начала его тела: 1 строка');
    expect(under(ru, 'C: TOP 1 3')[0]).toBe('запрос заголовков сообщения 1 и начала его тела: 3 строки');
    expect(under(ru, 'C: TOP 2 10')[0]).toBe('запрос заголовков сообщения 2 и начала его тела: 10 строк');
  });
});

describe('malformed responses', () => {
  it('say they cannot be read, instead of a count of 0 or an empty list (en, ru)', () => {
    const p = play('imap', 'en', 'S: * OK ready\nC: a1 LOGIN joe x\nS: a1 OK done\nC: a2 SELECT INBOX\nS: * EXISTS 1\nS: * RECENT\nS: * FLAGS\nS: * 1 EXPUNGE\nS: a2 OK done');
    expect(under(p, 'S: * EXISTS')).toEqual(['a malformed EXISTS: its number goes before the name ("* 3 EXISTS"), and this line has none']);
    expect(under(p, 'S: * RECENT')).toEqual(['a malformed RECENT: its number goes before the name ("* 3 RECENT"), and this line has none']);
    expect(under(p, 'S: * FLAGS')).toEqual(['a malformed FLAGS: the flags go in parentheses, and this line has none']);
    // A well-formed one next to them is read as ever.
    expect(under(p, 'S: * 1 EXPUNGE')[0]).toMatch(/^message 1 /);
    const ru = play('imap', 'ru', 'S: * OK ready\nS: * FETCH (FLAGS ())');
    expect(under(ru, 'S: * FETCH')).toEqual(['неверно построенный отклик FETCH: число ставится перед его именем («* 3 FETCH»), а в этой строке числа нет']);
  });
});

describe('hostile values', () => {
  it('are cut short, and a stray brace is no placeholder', () => {
    const explainer = new SessionExplainer('imap', 'en');
    explainer.server('* OK hi');
    explainer.client('a1 LOGIN u p');
    explainer.server('a1 OK done');
    const long = `${'x'.repeat(5000)}{n}`;
    const [select] = explainer.client(`a2 SELECT "${long}"`);
    expect(select?.text.length).toBeLessThan(200);
    expect(select?.text).toContain('…');
  });
});
