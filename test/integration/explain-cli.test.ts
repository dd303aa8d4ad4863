/**
 * --explain and --lang as users run them: a scripted session against the built-in sandbox explained
 * in English and in Russian (the language from --lang or from the locale variables), replay --explain
 * against a served transcript, lint --explain over the course slides, a bad --lang.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { serveConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { runMain } from '../support/cli.js';

const SHIPPED = fileURLToPath(new URL('../../transcripts/', import.meta.url));

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

async function serving(path: string): Promise<string> {
  const transcript = parseTranscript(readFileSync(path, 'utf8'));
  const protocol = transcript.directives.protocol ?? 'imap';
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
    void serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: () => performance.now(), onReport: () => undefined });
  });
  listeners.push(listener);
  return `${protocol}://127.0.0.1:${listener.port}`;
}

/** The explanation lines right under the first line matching `line`. */
function under(output: string, line: RegExp): string[] {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => line.test(l));
  if (at < 0) throw new Error(`no line ${line} in\n${output}`);
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && (lines[i] as string).startsWith('#   '); i++) out.push((lines[i] as string).slice(4));
  return out;
}

const IMAP_SCRIPT = ['-c', 'LOGIN joe password', '-c', 'SELECT INBOX', '-c', 'APPEND INBOX (\\Seen) {5}', '-c', 'hello', '-c', 'COPY 1 Nowhere', '-c', 'LOGOUT'];

describe('mailwire --explain against the sandbox', () => {
  it('IMAP in English: counts, the mailbox, the literal, the state, a response code', async () => {
    const r = await runMain(['demo', 'imap', '--explain', '--lang', 'en', ...IMAP_SCRIPT]);
    expect(r.code).toBe(0);
    expect(under(r.stdout, /^S: \* \d+ EXISTS/)[0]).toMatch(/^the mailbox holds 5 messages \(RFC 3501 §7\.3\.1\)$/);
    expect(under(r.stdout, /^S: A002 OK \[READ-WRITE\]/)).toEqual([
      'SELECT (A002) completed successfully (RFC 3501 §7.1.1)',
      'now in the Selected state: mailbox INBOX, read-write (RFC 3501 §3)',
    ]);
    expect(under(r.stdout, /^C: A003 APPEND/)).toEqual([
      'adds a message of 5 octets with the flags \\Seen to the mailbox INBOX (RFC 3501 §6.3.11)',
      'a literal of 5 octets follows; the client waits for the server\'s "+" before sending it (RFC 3501 §7.5)',
    ]);
    expect(under(r.stdout, /^S: \+ /)).toEqual(['the server is ready: the client now sends the 5 octets of the literal (RFC 3501 §7.5)']);
    expect(under(r.stdout, /^S: \w+ NO \[TRYCREATE\]/)[1]).toBe('the target mailbox does not exist: CREATE it, then try again (RFC 3501 §7.1)');
    // The literal itself is data: nothing under it.
    expect(under(r.stdout, /^C: hello$/)).toEqual([]);
  });

  it('IMAP in Russian, from LANG', async () => {
    const r = await runMain(['demo', 'imap', '--explain', ...IMAP_SCRIPT], { vars: { LANG: 'ru_RU.UTF-8' } });
    expect(r.code).toBe(0);
    expect(under(r.stdout, /^S: \* \d+ EXISTS/)[0]).toBe('в почтовом ящике 5 сообщений (RFC 3501 §7.3.1)');
    expect(under(r.stdout, /^S: A002 OK/)[1]).toBe('теперь состояние «Выбран» (Selected): почтовый ящик INBOX, чтение и запись (RFC 3501 §3)');
    expect(under(r.stdout, /^S: \+ /)).toEqual(['сервер готов: теперь клиент отправляет 5 октетов литерала (RFC 3501 §7.5)']);
  });

  it('--lang wins over the locale; without --explain nothing is explained', async () => {
    const en = await runMain(['demo', 'imap', '--explain', '--lang', 'en', '-c', 'LOGOUT'], { vars: { LC_ALL: 'ru_RU.UTF-8' } });
    expect(en.stdout).toContain('#   ends the session');
    const plain = await runMain(['demo', 'imap', '-c', 'LOGOUT'], { vars: { LANG: 'ru_RU.UTF-8' } });
    expect(plain.stdout).not.toMatch(/^# {3}/m);
  });

  it('POP3: the APOP digest with the greeting\'s timestamp, the maildrop\'s counts, Russian plurals', async () => {
    const r = await runMain(['demo', 'pop3', '--explain', '--lang', 'ru', '-c', 'APOP mrose', '-c', 'STAT', '-c', 'LIST', '-c', 'DELE 1', '-c', 'QUIT'], {
      vars: { MAILWIRE_PASSWORD: 'tanstaaf' },
    });
    expect(r.code).toBe(0);
    const timestamp = /^S: \+OK .*(<[^>]+>)$/m.exec(r.stdout)?.[1] ?? '';
    const digest = /^C: APOP mrose ([0-9a-f]{32})$/m.exec(r.stdout)?.[1] ?? '';
    expect(under(r.stdout, /^C: APOP/)[0]).toContain(`вход под именем mrose; дайджест ${digest} должен быть равен MD5("${timestamp}" + секрет):`);
    expect(under(r.stdout, /^S: \+OK 2 320$/)).toEqual(['в почтовом ящике 2 сообщения, всего 320 октетов (RFC 1939 §5)']);
    expect(under(r.stdout, /^S: 1 120$/)).toEqual(['сообщение 1: 120 октетов (RFC 1939 §5)']);
    expect(under(r.stdout, /^C: QUIT$/)).toEqual([
      'завершение сеанса: сервер переходит в состояние «Обновление» (UPDATE) и удаляет 1 помеченное сообщение (RFC 1939 §6)',
    ]);
  });

  it('a --lang mailwire has no words in is a usage error', async () => {
    const r = await runMain(['demo', 'imap', '--lang', 'fr', '-c', 'LOGOUT']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lang.*expected en or ru/);
  });
});

describe('replay --explain and lint --explain', () => {
  it('replay --explain shows the live session with its explanations', async () => {
    const path = join(SHIPPED, 'rfc/pop3/rfc1939-sec10-apop-session.txt');
    const url = await serving(path);
    const r = await runMain(['replay', path, '--target', url, '--explain', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    #   logs in as mrose with the digest c4c9334bac560ecc979e58001b3e22fb, which must be MD5("<1896.697170952@dbc.mtview.ca.us>" + secret)');
    expect(r.stdout).toContain('    #   message 2: 200 octets (RFC 1939 §5)');
  });

  it('lint --explain puts the line and its meaning under each finding', async () => {
    const r = await runMain(['lint', '--explain', '--no-notes', join(SHIPPED, 'seed/pop3-apop-session.txt')], { vars: { LANG: 'ru_RU.UTF-8' } });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    // The locale is Russian: the finding is too.
    const at = lines.findIndex((l) => /pop3-apop-session\.txt:\d+: ошибка \[apop\] дайджест APOP не равен MD5/.test(l));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '    C: APOP mrose c4c9334bac560ecc979e58001b3e22fb',
      '    # вход под именем mrose; дайджест c4c9334bac560ecc979e58001b3e22fb должен быть равен MD5("<1896.697270952@dbc.ca.us>" + секрет): метка времени из приветствия делает его действительным только для этого сеанса, а сам секрет по сети не передаётся (RFC 1939 §7)',
    ]);
  });
});
