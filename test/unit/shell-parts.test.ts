/**
 * The shell's pure parts: prompt, history (masking, file mode), raw-send escapes, hex view, what the
 * shell learns from the session, and its dot-commands against a stand-in context.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MailwireError } from '../../src/errors.js';
import { hexDumpLines } from '../../src/render/hexdump.js';
import type { SessionEvent } from '../../src/session/events.js';
import type { TlsSummary } from '../../src/protocol/tls/summary.js';
import { HistoryFile, historyEntry, historyPath, withoutSecretPlaceholder } from '../../src/shell/history.js';
import { SessionKnowledge } from '../../src/shell/knowledge.js';
import { META_COMMANDS, findMetaCommand, type MetaContext } from '../../src/shell/meta-commands.js';
import { promptSpans, type PromptState } from '../../src/shell/prompt.js';
import { parseRawEscapes } from '../../src/session/raw-escapes.js';

const TLS: TlsSummary = {
  version: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  subject: 'CN=localhost',
  issuer: 'CN=mailwire test CA',
  validTo: '2026-12-27',
  verified: true,
  verifyError: '',
  insecure: false,
};

const prompt = (over: Partial<PromptState>) =>
  promptSpans({
    protocol: 'imap',
    hostPort: '127.0.0.1:143',
    user: null,
    tls: null,
    state: 'not-authenticated',
    mailbox: null,
    nextTag: 'A001',
    waiting: 0,
    mode: { kind: 'command' },
    unicode: true,
    ...over,
  })
    .map((s) => s.text)
    .join('');

describe('the prompt', () => {
  it('shows protocol, user once logged in, host, TLS, state and the next tag', () => {
    expect(prompt({})).toBe('imap 127.0.0.1:143 not authenticated A001> ');
    expect(prompt({ user: 'joe', state: 'authenticated', nextTag: 'A003' })).toBe('imap joe@127.0.0.1:143 authenticated A003> ');
    expect(prompt({ user: 'joe', state: 'selected', mailbox: { name: 'INBOX', readOnly: false }, nextTag: 'A004' })).toBe(
      'imap joe@127.0.0.1:143 INBOX [rw] A004> ',
    );
    expect(prompt({ user: 'joe', state: 'selected', mailbox: { name: 'Entw&APw-rfe', readOnly: true } })).toBe(
      'imap joe@127.0.0.1:143 Entwürfe [ro] A001> ',
    );
  });

  it('has a lock with TLS, a warning mark when the certificate was not verified, words without Unicode', () => {
    expect(prompt({ tls: TLS })).toBe('imap 127.0.0.1:143 🔒 not authenticated A001> ');
    expect(prompt({ tls: { ...TLS, verified: false, insecure: true } })).toBe('imap 127.0.0.1:143 ⚠ not authenticated A001> ');
    expect(prompt({ tls: { ...TLS, verified: true, insecure: true } })).toBe('imap 127.0.0.1:143 ⚠ not authenticated A001> ');
    expect(prompt({ tls: TLS, unicode: false })).toBe('imap 127.0.0.1:143 tls not authenticated A001> ');
    expect(prompt({ tls: { ...TLS, verified: false }, unicode: false })).toBe('imap 127.0.0.1:143 tls! not authenticated A001> ');
  });

  it('says what the next line is: IDLE, a continuation, a literal, and how many commands wait', () => {
    expect(prompt({ state: 'selected', mailbox: { name: 'INBOX', readOnly: false }, mode: { kind: 'idle' } })).toBe('imap 127.0.0.1:143 INBOX [rw] IDLE, DONE ends it> ');
    expect(prompt({ mode: { kind: 'continuation', command: 'AUTHENTICATE' } })).toBe('imap 127.0.0.1:143 not authenticated AUTHENTICATE continues> ');
    expect(prompt({ mode: { kind: 'literal', size: 310, left: 1 } })).toBe('literal {310}, 1 octet left> ');
    expect(prompt({ mode: { kind: 'after-literal' } })).toBe('literal done; Enter ends the command, or type what follows> ');
    expect(prompt({ waiting: 2 })).toBe('imap 127.0.0.1:143 not authenticated (2 waiting) A001> ');
  });

  it('shows POP3 states as RFC 1939 names them, and escapes what came from the server', () => {
    expect(prompt({ protocol: 'pop3', state: 'authorization', nextTag: null })).toBe('pop3 127.0.0.1:143 AUTHORIZATION> ');
    expect(prompt({ protocol: 'pop3', state: 'transaction', user: 'mrose', nextTag: null })).toBe('pop3 mrose@127.0.0.1:143 TRANSACTION> ');
    expect(prompt({ state: 'selected', mailbox: { name: 'x\x1b[2J', readOnly: false } })).toContain('x\\x1b[2J [rw]');
  });
});

describe('history', () => {
  it('lives under $XDG_STATE_HOME/mailwire (an absolute one), else ~/.local/state/mailwire', () => {
    expect(historyPath('imap', { XDG_STATE_HOME: '/s' }, '/home/u')).toBe('/s/mailwire/history-imap');
    expect(historyPath('pop3', {}, '/home/u')).toBe('/home/u/.local/state/mailwire/history-pop3');
    expect(historyPath('pop3', { XDG_STATE_HOME: 'rel' }, '/home/u')).toBe('/home/u/.local/state/mailwire/history-pop3');
  });

  it('masks passwords, keeps no literal lines and no SASL responses', () => {
    expect(historyEntry('imap', 'LOGIN joe password', 'command')).toBe('LOGIN joe <secret>');
    expect(historyEntry('imap', 'a1 login "joe" "pass word"', 'command')).toBe('a1 login "joe" <secret>');
    expect(historyEntry('imap', 'AUTHENTICATE PLAIN AGpvZQBwYXNzd29yZA==', 'command')).toBe('AUTHENTICATE PLAIN <secret>');
    expect(historyEntry('imap', 'SELECT INBOX', 'command')).toBe('SELECT INBOX');
    expect(historyEntry('pop3', 'PASS tanstaaf', 'command')).toBe('PASS <secret>');
    expect(historyEntry('pop3', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb', 'command')).toBe('APOP mrose c4c9334bac560ecc979e58001b3e22fb');
    expect(historyEntry('imap', '.raw a1 LOGIN joe secret\\r\\n', 'command')).toBe('.raw a1 LOGIN joe <secret>\\r\\n');
    expect(historyEntry('imap', 'hunter2', 'literal')).toBeNull();
    expect(historyEntry('imap', 'AGpvZQBwYXNzd29yZA==', 'continuation')).toBeNull();
    expect(historyEntry('imap', 'DONE', 'continuation')).toBe('DONE');
    expect(historyEntry('imap', '   ', 'command')).toBeNull();
  });

  it('turns a recalled <secret> back into a question', () => {
    expect(withoutSecretPlaceholder('LOGIN joe <secret>')).toBe('LOGIN joe');
    expect(withoutSecretPlaceholder('PASS <secret>')).toBe('PASS');
    expect(withoutSecretPlaceholder('SELECT INBOX')).toBe('SELECT INBOX');
  });

  it('writes oldest first with mode 0600 in a 0700 folder, and reads back newest first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-history-'));
    const file = new HistoryFile(join(dir, 'state', 'mailwire', 'history-imap'));
    expect(file.load()).toEqual([]);
    file.save(['SELECT INBOX', 'LOGIN joe <secret>']);
    expect(readFileSync(file.path, 'utf8')).toBe('LOGIN joe <secret>\nSELECT INBOX\n');
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state', 'mailwire')).mode & 0o777).toBe(0o700);
    expect(file.load()).toEqual(['SELECT INBOX', 'LOGIN joe <secret>']);
    // A file someone made readable for all is made private again.
    chmodSync(file.path, 0o644);
    file.save(['NOOP']);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
  });

  it('reports a history it cannot write as a file error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-history-'));
    writeFileSync(join(dir, 'blocker'), '');
    expect(() => new HistoryFile(join(dir, 'blocker', 'history-imap')).save(['x'])).toThrow(MailwireError);
  });
});

describe('raw send escapes', () => {
  it('turns \\r \\n \\t \\0 \\\\ \\xNN into octets and adds nothing', () => {
    expect(parseRawEscapes('a1 NOOP\\r\\n')).toEqual(Buffer.from('a1 NOOP\r\n'));
    expect(parseRawEscapes('\\x00\\xff\\t\\0\\\\é')).toEqual(Buffer.from([0, 0xff, 9, 0, 0x5c, 0xc3, 0xa9]));
    expect(parseRawEscapes('no line end')).toEqual(Buffer.from('no line end'));
  });

  it('refuses unknown escapes', () => {
    expect(() => parseRawEscapes('\\q')).toThrow(/unknown escape "\\q"/);
    expect(() => parseRawEscapes('\\x4')).toThrow(/two hex digits/);
    expect(() => parseRawEscapes('end\\')).toThrow(/escapes nothing/);
  });
});

describe('hex view', () => {
  it('lays out offset, sixteen octets and their printable ASCII, controls as "."', () => {
    expect(hexDumpLines(Buffer.from('* OK Dovecot ready.\r\n'), 0x10)).toEqual([
      '00000010  2a 20 4f 4b 20 44 6f 76  65 63 6f 74 20 72 65 61  |* OK Dovecot rea|',
      '00000020  64 79 2e 0d 0a                                    |dy...|',
    ]);
    expect(hexDumpLines(Buffer.from([0x1b, 0x5b, 0x32, 0x4a]))[0]).toContain('|.[2J|');
  });
});

describe('what the shell learns from the session', () => {
  const seg = (text: string, literalSize: number | null = null, first = true): SessionEvent => ({ kind: 'imap-segment', bytes: Buffer.from(text), first, literalSize });

  it('mailbox names from LIST (not \\Noselect ones), LSUB and STATUS; flags from FLAGS and PERMANENTFLAGS; the user of LOGIN', () => {
    const k = new SessionKnowledge('imap');
    k.learn({ kind: 'client-line', protocol: 'imap', text: 'A001 LOGIN joe <secret>', part: 'command' });
    for (const l of ['* LIST (\\HasNoChildren) "." Sent', '* LIST (\\Noselect) "/" foo', '* LIST () "/" "My Box"', '* STATUS Drafts (MESSAGES 1)', '* FLAGS (\\Seen \\Deleted)', '* OK [PERMANENTFLAGS (\\Seen $Label1 \\*)] ok']) {
      k.learn(seg(l));
    }
    k.learn(seg('* LSUB () "/" {5}', 5));
    k.learn({ kind: 'imap-literal-data', bytes: Buffer.from('Lit B') });
    k.learn({ kind: 'imap-literal-end', size: 5 });
    k.learn(seg('', null, false));
    expect([...k.mailboxes]).toEqual(['INBOX', 'Sent', 'My Box', 'Drafts', 'Lit B']);
    expect([...k.flags]).toEqual(['\\Seen', '\\Deleted', '$Label1']);
    expect(k.user).toBe('joe');
  });

  it('POP3 message numbers from the last LIST, SASL mechanisms from CAPA, the user of USER/APOP', () => {
    const k = new SessionKnowledge('pop3');
    const client = (text: string): SessionEvent => ({ kind: 'client-line', protocol: 'pop3', text, part: 'command' });
    const status = (text: string, multiline: boolean): SessionEvent => ({ kind: 'pop3-status', bytes: Buffer.from(text), multiline });
    const body = (text: string): SessionEvent => ({ kind: 'pop3-body-line', bytes: Buffer.from(text), stuffed: false });
    k.learn(client('CAPA'));
    k.learn(status('+OK', true));
    k.learn(body('TOP'));
    k.learn(body('SASL PLAIN LOGIN'));
    k.learn({ kind: 'pop3-end' });
    k.learn(client('APOP mrose c4c9334bac560ecc979e58001b3e22fb'));
    k.learn(client('LIST'));
    k.learn(status('+OK 2 messages (320 octets)', true));
    k.learn(body('1 120'));
    k.learn(body('2 200'));
    k.learn({ kind: 'pop3-end' });
    k.learn(client('LIST 1'));
    k.learn(status('+OK 1 120', false));
    expect(k.saslMechanisms).toEqual(['PLAIN', 'LOGIN']);
    expect(k.messageNumbers).toEqual([1, 2]);
    expect(k.user).toBe('mrose');
    // After the login, USER (which the server refuses in TRANSACTION, RFC 1939 §7) names nobody.
    k.learn(client('USER bob'), true);
    expect(k.user).toBe('mrose');
    const imap = new SessionKnowledge('imap');
    imap.learn({ kind: 'client-line', protocol: 'imap', text: 'a1 LOGIN joe <secret>', part: 'command' });
    imap.learn({ kind: 'client-line', protocol: 'imap', text: 'a2 LOGIN kim <secret>', part: 'command' }, true);
    expect(imap.user).toBe('joe');
  });

  it('forgets who logged in when UNAUTHENTICATE goes back before the login (RFC 8437 §3), until the next login', () => {
    const k = new SessionKnowledge('imap');
    k.learn({ kind: 'client-line', protocol: 'imap', text: 'a1 LOGIN joe <secret>', part: 'command' });
    k.stateMoved('not-authenticated', 'authenticated', null);
    k.stateMoved('authenticated', 'selected', null);
    expect(k.user).toBe('joe');
    k.stateMoved('selected', 'not-authenticated', null);
    expect(k.user).toBeNull();
    k.learn({ kind: 'client-line', protocol: 'imap', text: 'a4 LOGIN kim <secret>', part: 'command' });
    k.stateMoved('not-authenticated', 'authenticated', null);
    expect(k.user).toBe('kim');
    // A SASL login mailwire runs with --user names that user again; LOGOUT forgets nobody.
    k.stateMoved('authenticated', 'not-authenticated', 'joe');
    k.stateMoved('not-authenticated', 'authenticated', 'joe');
    expect(k.user).toBe('joe');
    k.stateMoved('authenticated', 'logout', 'joe');
    expect(k.user).toBe('joe');
  });

  it('POP3: DELE takes a message out of the candidates, RSET brings every deleted one back (RFC 1939 §5)', () => {
    const k = new SessionKnowledge('pop3');
    const client = (text: string): SessionEvent => ({ kind: 'client-line', protocol: 'pop3', text, part: 'command' });
    const status = (text: string, multiline = false): SessionEvent => ({ kind: 'pop3-status', bytes: Buffer.from(text), multiline });
    const body = (text: string): SessionEvent => ({ kind: 'pop3-body-line', bytes: Buffer.from(text), stuffed: false });
    k.learn(client('LIST'));
    k.learn(status('+OK 3 messages', true));
    for (const line of ['1 120', '2 200', '3 300']) k.learn(body(line));
    k.learn({ kind: 'pop3-end' });
    k.learn(client('DELE 1'));
    k.learn(status('+OK message 1 deleted'));
    k.learn(client('DELE 9'));
    k.learn(status('-ERR no such message'));
    expect(k.messageNumbers).toEqual([2, 3]);
    // A LIST after DELE lists only what is left; RSET still knows what it unmarks.
    k.learn(client('LIST'));
    k.learn(status('+OK 2 messages', true));
    for (const line of ['2 200', '3 300']) k.learn(body(line));
    k.learn({ kind: 'pop3-end' });
    k.learn(client('DELE 3'));
    k.learn(status('+OK message 3 deleted'));
    expect(k.messageNumbers).toEqual([2]);
    k.learn(client('RSET'));
    k.learn(status('+OK maildrop has 3 messages'));
    expect(k.messageNumbers).toEqual([1, 2, 3]);
  });
});

describe('the shell\'s dot-commands', () => {
  function context(): MetaContext & { printed: string[]; sent: Buffer[]; quitted: boolean } {
    const ctx = {
      protocol: 'imap' as const,
      columns: 200,
      printed: [] as string[],
      sent: [] as Buffer[],
      quitted: false,
      print(lines: readonly string[]) {
        ctx.printed.push(...lines);
      },
      state: () => ({ target: 'imap://127.0.0.1:143', state: 'authenticated', user: 'joe', nextTag: 'A004', capabilities: ['IMAP4REV1', 'IDLE'], tls: null }),
      waiting: () => [{ tag: 'A003', name: 'IDLE', elapsedMs: 2500, awaitingResponse: true }],
      sendRaw(bytes: Buffer) {
        ctx.sent.push(bytes);
      },
      recording: null as string | null,
      startRecording(path: string) {
        ctx.recording = path;
      },
      stopRecording() {
        ctx.recording = null;
      },
      views: { hex: false, decoded: true, tree: true },
      setView(view: 'hex' | 'decoded' | 'tree', on: boolean) {
        ctx.views[view] = on;
      },
      quit() {
        ctx.quitted = true;
      },
    };
    return ctx;
  }
  const run = (line: string, ctx = context()) => {
    const found = findMetaCommand(line);
    if (!found) throw new Error(`no command in ${line}`);
    found.command.action(found.args, ctx);
    return ctx;
  };

  it('.help lists every command of the protocol\'s table with its syntax, then the shell\'s own', () => {
    const printed = run('.help').printed;
    expect(printed[0]).toMatch(/^IMAP4 commands/);
    expect(printed).toContainEqual(expect.stringMatching(/^ {2}SELECT mailbox +open a mailbox read-write/));
    for (const m of META_COMMANDS) expect(printed.some((l) => l.startsWith(`  ${m.syntax}`))).toBe(true);
  });

  it('.help COMMAND gives syntax, meaning, valid states, RFC section and whether the server offers it', () => {
    expect(run('.help idle').printed).toEqual([
      'IDLE',
      '  wait for the server to push mailbox updates; type DONE to end it',
      '  valid in: Authenticated, Selected',
      '  defined in: RFC 2177 §3; see also RFC 9051 §6.3.13',
      '  needs capability: IDLE (offered by this server)',
    ]);
    expect(run('.help MOVE').printed).toContain('  needs capability: MOVE (NOT offered by this server)');
    expect(run('.help .raw').printed[0]).toBe('.raw TEXT');
    expect(() => run('.help FROB')).toThrow(/no IMAP command or shell command "FROB"/);
  });

  it('.state says why no capabilities are known and which command asks for them', () => {
    const capabilitiesLine = (voidedBy: string | null, protocol: 'imap' | 'pop3' = 'imap', language: 'en' | 'ru' = 'en') => {
      const ctx = context();
      const state = ctx.state();
      Object.assign(ctx, { protocol, language, state: () => ({ ...state, capabilities: [], capabilitiesVoidedBy: voidedBy }) });
      return run('.state', ctx).printed.find((l) => /^(capabilities|возможности) /.test(l));
    };
    expect(capabilitiesLine(null)).toMatch(/not known yet; CAPABILITY asks for them$/);
    expect(capabilitiesLine(null, 'pop3')).toMatch(/not known yet; CAPA asks for them$/);
    expect(capabilitiesLine('LOGIN')).toMatch(/none announced since LOGIN, .*\(RFC 3501 §6\.2\.3\); CAPABILITY asks/);
    expect(capabilitiesLine('STARTTLS')).toMatch(/learnt before TLS are void \(RFC 3501 §6\.2\.1\); CAPABILITY asks/);
    expect(capabilitiesLine('STLS', 'pop3')).toMatch(/void \(RFC 2595 §4\); CAPA asks/);
    expect(capabilitiesLine('LOGIN', 'imap', 'ru')).toMatch(/после LOGIN не объявлены.*команда CAPABILITY$/);
  });

  it('.raw sends the escaped octets; .pending lists what waits; .quit and .exit end', () => {
    expect(run('.raw a1 NOOP\\r\\n').sent).toEqual([Buffer.from('a1 NOOP\r\n')]);
    expect(() => run('.raw')).toThrow(/needs the text/);
    expect(run('.pending').printed).toEqual(['A003 IDLE  2.5 s  (the server waits for your next line)']);
    expect(run('.quit').quitted).toBe(true);
    expect(run('.exit').quitted).toBe(true);
  });

  it('.hex, .decode and .tree toggle or take on/off; .record starts and stops', () => {
    const ctx = context();
    run('.hex', ctx);
    expect(ctx.views.hex).toBe(true);
    run('.tree off', ctx);
    expect(ctx.views.tree).toBe(false);
    expect(() => run('.decode maybe', ctx)).toThrow(/takes "on" or "off"/);
    run('.record /tmp/x.txt', ctx);
    expect(ctx.recording).toBe('/tmp/x.txt');
    run('.record stop', ctx);
    expect(ctx.recording).toBeNull();
    expect(() => run('.record stop', ctx)).toThrow(/not recording/);
  });

  it('.explain toggles or takes on/off, and says so in the shell\'s language', () => {
    const ctx = context();
    expect(run('.explain', ctx).printed).toEqual(['explanations on']);
    expect(ctx.views).toMatchObject({ explain: true });
    const ru = Object.assign(context(), { language: 'ru' as const });
    expect(run('.explain on', ru).printed).toEqual(['пояснения включены']);
    expect(run('.explain off', ru).printed).toEqual(['пояснения включены', 'пояснения выключены']);
    expect(() => run('.explain maybe', ctx)).toThrow(/takes "on" or "off"/);
  });

  it('.help in Russian: the commands, their states and the shell\'s own commands', () => {
    const ru = Object.assign(context(), { language: 'ru' as const });
    const printed = run('.help', ru).printed;
    expect(printed[0]).toBe('Команды IMAP4 (RFC 3501 и расширения); подробнее — .help КОМАНДА:');
    expect(printed).toContainEqual(expect.stringMatching(/^ {2}SELECT mailbox +выбор почтового ящика для чтения и записи/));
    expect(printed).toContainEqual(expect.stringMatching(/^ {2}\.explain \[on\|off\] +под каждой строкой — что она значит здесь/));
    expect(printed.join(' ')).toContain('За командой, которая оканчивается на {n}, следуют её n октетов');
    expect(run('.help idle', Object.assign(context(), { language: 'ru' as const })).printed).toEqual([
      'IDLE',
      '  ожидание сообщений сервера об изменениях; DONE завершает ожидание',
      '  допустима в состояниях: «Аутентифицирован» (Authenticated), «Выбран» (Selected)',
      '  определена в RFC 2177 §3; см. также RFC 9051 §6.3.13',
      '  нужна возможность IDLE (сервер её предлагает)',
    ]);
    expect(run('.help close', Object.assign(context(), { language: 'ru' as const })).printed[2]).toBe('  допустима в состоянии: «Выбран» (Selected)');
  });

  it('.state shows the session; .tls says when there is no TLS', () => {
    const printed = run('.state').printed;
    expect(printed).toContain('tls           none (plain TCP)');
    expect(printed).toContain('waiting       A003 IDLE');
    expect(run('.tls').printed).toEqual(['no TLS: this connection is plain TCP (STARTTLS upgrades it, if the server offers it)']);
  });

  it('.state, .tls, .pending, .record and the views speak the shell\'s language, values in one column', () => {
    const ru = Object.assign(context(), { language: 'ru' as const });
    const printed = run('.state', ru).printed;
    expect(printed).toContain('TLS              нет (обычный TCP)');
    expect(printed).toContain('ждут завершения  A003 IDLE');
    expect(printed).toContain('запись           не идёт');
    expect(printed).toContainEqual(expect.stringMatching(/^показ {12}дамп выкл\., декодирование (?:вкл|выкл)\., дерево (?:вкл|выкл)\., пояснения выкл\.$/));
    // Every value starts in the same column, whatever the labels' lengths.
    const column = (printed[0] as string).search(/ {2}\S/) + 2;
    for (const line of printed.filter((l) => l !== '' && !/^[ ┌┏│┃└┗▼▲]/.test(l))) expect(line.slice(0, column), line).toMatch(/^\S.* +$/);
    const fresh = () => Object.assign(context(), { language: 'ru' as const });
    expect(run('.tls', fresh()).printed).toEqual(['TLS нет: соединение идёт по обычному TCP (на TLS его переводит STARTTLS, если сервер это предлагает)']);
    expect(run('.pending', fresh()).printed).toEqual(['A003 IDLE  2.5 s  (сервер ждёт вашу следующую строку)']);
    expect(run('.hex', fresh()).printed).toEqual(['шестнадцатеричный дамп включён']);
    expect(run('.record /tmp/x.txt', ru).printed.at(-1)).toBe('сеанс записывается в /tmp/x.txt');
    expect(run('.record stop', ru).printed.at(-1)).toBe('запись остановлена: /tmp/x.txt');
  });
});
