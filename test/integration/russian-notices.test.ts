/**
 * The built command under --lang ru (or a Russian locale), against the in-process fakes, the built-in
 * sandbox and transcripts served in-process: the session's own `#` lines (the connection, TLS, the
 * warnings), the certificate's problems and replay's reasons in Russian, none of their English left;
 * and a recording made in Russian that is the recording made in English, byte for byte but for the
 * values that differ from run to run.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { serveConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { testCerts } from '../support/certs.js';
import { runBinary } from '../support/cli.js';
import { startFakeServer, type FakeConnection, type FakeServer } from '../support/fake-server.js';

const SEED = fileURLToPath(new URL('../../transcripts/seed/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailwire-ru-notices-'));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function fake(options: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(options);
  closers.push(() => server.close());
  return server;
}

const tagOf = (line: string) => line.split(' ')[0] ?? '*';

/**
 * An IMAP server that gives a session something to warn about: plain text injected after its
 * STARTTLS OK, a completion for a tag nobody sent, a tagged reply without a status word.
 */
function warningServer(): Promise<FakeServer> {
  return fake({
    greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready',
    onLine: (line: string, conn: FakeConnection) => {
      const tag = tagOf(line);
      if (/ STARTTLS$/i.test(line)) {
        conn.write(`${tag} OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n`);
        conn.startTls();
      } else if (/ FETCH /i.test(line)) conn.write(`${tag} BAD not in this state\r\n`);
      else if (/ NOOP$/i.test(line)) conn.write(`zz9 OK who asked\r\n${tag} Completed\r\n`);
      else if (/ LOGOUT$/i.test(line)) conn.write(`* BYE bye\r\n${tag} OK LOGOUT completed\r\n`);
      else conn.write(`${tag} OK done\r\n`);
    },
  });
}

const SCRIPT = ['--starttls', '--ca', testCerts().caFile, '--servername', 'localhost', '-c', 'FETCH 1 FLAGS', '-c', 'NOOP', '-c', 'LOGOUT'];

/** The `#` lines of an output. */
const comments = (out: string) => out.split('\n').filter((l) => l.startsWith('#'));

describe('a session in Russian', () => {
  it('says its own lines in Russian: the connection, the dropped octets, TLS, the warnings', async () => {
    const server = await warningServer();
    const r = await runBinary([server.url('imap'), '--lang', 'ru', ...SCRIPT]);
    expect(r.code, r.stderr).toBe(0);
    const port = server.port;
    expect(comments(r.stdout)).toEqual([
      `# установлено соединение с imap://127.0.0.1:${port}, обычный TCP, затем STARTTLS`,
      expect.stringMatching(/^# предупреждение: отброшено 49 октетов, пришедших вслед за OK на STARTTLS, до начала TLS \(возможно внедрение команд\)$/),
      expect.stringMatching(/^# TLS: TLSv1\.[23] \S+, владелец CN=localhost, O=mailwire tests, издатель CN=mailwire test CA, действует до \d{4}-\d\d-\d\d, сертификат проверен$/),
      '# предупреждение: команда FETCH недопустима в состоянии not-authenticated (RFC 3501 §6.4.5); всё равно отправлена',
      '# предупреждение: отклик с тегом "zz9", но такого тега нет ни у одной выполняемой команды',
      '# предупреждение: в отклике с тегом сразу за тегом должен стоять статус OK, NO или BAD (RFC 3501 §7.1, §9 response-tagged); в "A003 Completed" его нет: команда считается неудавшейся',
    ]);
    expect(r.stdout).not.toMatch(/connected to|warning:|dropped|certificate verified|is not valid in|tagged reply|plain TCP/);
    // The server's lines and the commands are as they are.
    expect(r.stdout).toContain('S: zz9 OK who asked\n');
    expect(r.stdout).toContain('C: A002 FETCH 1 FLAGS\n');
  });

  it('follows a Russian locale, and stays English without one', async () => {
    const server = await warningServer();
    const ru = await runBinary([server.url('imap'), ...SCRIPT], { vars: { LANG: 'ru_RU.UTF-8' } });
    expect(ru.code, ru.stderr).toBe(0);
    expect(ru.stdout).toMatch(/^# установлено соединение с imap:\/\//m);
    expect(ru.stdout).toMatch(/^# предупреждение: команда FETCH недопустима/m);
    const en = await runBinary([server.url('imap'), ...SCRIPT], { vars: { LANG: 'C.UTF-8' } });
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(/^# connected to imap:\/\/127\.0\.0\.1:\d+, plain TCP, STARTTLS to follow$/m);
    expect(en.stdout).toMatch(/^# warning: dropped 49 octets that came after the STARTTLS OK and before TLS \(possible command injection\)$/m);
    expect(en.stdout).toMatch(/^# warning: FETCH is not valid in the not-authenticated state \(RFC 3501 §6\.4\.5\); sent anyway$/m);
    expect(en.stdout).not.toMatch(/[а-яё]/i);
  });

  it('a refused STARTTLS typed in a script: warned in Russian, the script stops (exit 6)', async () => {
    const server = await fake({
      greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready',
      onLine: (line, conn) => conn.write(/ STARTTLS$/i.test(line) ? `${tagOf(line)} NO not today\r\n` : `${tagOf(line)} OK done\r\n`),
    });
    const r = await runBinary([server.url('imap'), '--lang', 'ru', '-c', 'STARTTLS', '-c', 'NOOP']);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain('# предупреждение: сервер отклонил STARTTLS: соединение остаётся на обычном TCP, и всё, что будет отправлено дальше, пойдёт открытым текстом (RFC 3501 §6.2.1)\n');
    expect(r.stdout).not.toContain('STARTTLS refused');
  });

  it('POP3: a login refused with [AUTH], in Russian', async () => {
    const server = await fake({
      greeting: '+OK POP3 ready',
      onLine: (line, conn) => conn.write(/^PASS /i.test(line) ? '-ERR [AUTH] Authentication failed\r\n' : '+OK\r\n'),
    });
    const r = await runBinary([server.url('pop3'), '--lang', 'ru', '-c', 'USER joe', '-c', 'PASS wrong', '-c', 'QUIT']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# предупреждение: вход не удался: неверное имя пользователя или пароль, либо сервер отказывает во входе как таковом (RFC 3206 [AUTH])\n');
    expect(r.stdout).not.toContain('login failed');
  });

  it('the sandbox\'s BODYSTRUCTURE tree under its Russian heading', async () => {
    const r = await runBinary(['demo', 'imap', '--lang', 'ru', '-c', 'LOGIN joe password', '-c', 'EXAMINE INBOX', '-c', 'FETCH 1 BODYSTRUCTURE', '-c', 'LOGOUT']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# {3}BODYSTRUCTURE сообщения 1:$/m);
    expect(r.stdout).not.toMatch(/BODYSTRUCTURE of message/);
  });
});

/** A TLS server on 127.0.0.1 with the test's self-signed certificate, greeting as IMAP and answering OK. */
async function selfSignedImaps(): Promise<number> {
  const certs = testCerts();
  const server: Server = createServer({ cert: readFileSync(join(certs.dir, 'self.pem')), key: readFileSync(join(certs.dir, 'self.key')) }, (socket) => {
    socket.on('error', () => undefined);
    socket.write('* OK ready\r\n');
    socket.on('data', (chunk) => {
      const tag = chunk.toString('latin1').split(' ')[0];
      socket.write(`* BYE bye\r\n${tag} OK done\r\n`);
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('a certificate that is not trusted, in Russian', () => {
  it('--insecure --show-certs: the summary\'s verdict and the details\' reasons', async () => {
    const port = await selfSignedImaps();
    const r = await runBinary([`imaps://127.0.0.1:${port}`, '--insecure', '--show-certs', '--servername', 'localhost', '--lang', 'ru', '-c', 'LOGOUT']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# TLS: TLSv1\.3 \S+, владелец CN=localhost, O=self-signed, издатель CN=localhost, O=self-signed, действует до [\d-]+, сертификат НЕ проверен \(самоподписанный: CN=localhost, O=self-signed подписан сам собой, и ни один УЦ за него не ручается\), но принят из-за --insecure$/m);
    expect(r.stdout).toMatch(/^# {3}проверка: НЕ ПРОЙДЕНА \(имя localhost есть среди имён сертификата\); соединение продолжено из-за --insecure\n# {5}самоподписанный: CN=localhost, O=self-signed подписан сам собой/m);
    expect(r.stdout).not.toMatch(/self-signed: |is signed by itself|certificate NOT verified|accepted with/);
  });

  it('refused: the summary shown before the error is Russian too', async () => {
    const port = await selfSignedImaps();
    const r = await runBinary([`imaps://127.0.0.1:${port}`, '--servername', 'localhost', '--lang', 'ru', '-c', 'LOGOUT']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^# TLS: .*сертификат НЕ проверен \(самоподписанный: CN=localhost, O=self-signed подписан сам собой, и ни один УЦ за него не ручается\)$/m);
  });
});

describe('a recording made in Russian', () => {
  it('is the recording made in English: its comments are data, in one language, while the display is Russian', async () => {
    const server = await warningServer();
    const files = { ru: join(dir, 'ru.txt'), en: join(dir, 'en.txt') };
    const ru = await runBinary([server.url('imap'), '--lang', 'ru', '--show-certs', '--record', files.ru, ...SCRIPT]);
    const en = await runBinary([server.url('imap'), '--lang', 'en', '--show-certs', '--record', files.en, ...SCRIPT]);
    expect(ru.code, ru.stderr).toBe(0);
    expect(en.code, en.stderr).toBe(0);
    // The display follows the language...
    expect(ru.stdout).toMatch(/^# предупреждение: /m);
    expect(ru.stdout).toMatch(/^# {3}проверка: пройдена/m);
    // ...the recording does not: the same file but for when it was recorded.
    const recorded = (path: string) => readFileSync(path, 'utf8').replace(/^# recorded: .*$/m, '# recorded: -');
    expect(recorded(files.ru)).toBe(recorded(files.en));
    expect(recorded(files.ru)).toMatch(/^# connected to imap:\/\/127\.0\.0\.1:\d+, plain TCP, STARTTLS to follow$/m);
    expect(recorded(files.ru)).toMatch(/^# warning: dropped 49 octets/m);
    expect(recorded(files.ru)).toMatch(/^# {3}verification: OK/m);
    expect(recorded(files.ru)).not.toMatch(/[а-яё]/i);
  });
});

describe('replay and step in Russian', () => {
  async function serving(text: string): Promise<string> {
    const transcript = parseTranscript(text);
    const protocol = transcript.directives.protocol ?? 'imap';
    const listener: Listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
      void serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: () => performance.now(), onReport: () => undefined });
    });
    closers.push(() => listener.close());
    return `${protocol}://127.0.0.1:${listener.port}`;
  }

  const SERVED = '# protocol: imap\nS: * OK ready\nC: A1 SELECT INBOX\nS: * 3 EXISTS\nS: A1 NO [NONEXISTENT] no such mailbox\nC: A2 LOGOUT\nS: * BYE bye\nS: A2 OK done\n';
  const EXPECTED = '# protocol: imap\nS: * OK ready\nC: A1 SELECT INBOX\nS: * 3 EXISTS\nS: A1 OK [READ-WRITE] SELECT completed\nC: A2 LOGOUT\nS: * BYE bye\nS: A2 OK done\n';

  it('replay --lang ru: the reason and the labels in Russian; PASS/FAIL and the closing line as test runners print them', async () => {
    const target = await serving(SERVED);
    const file = join(dir, 'select.txt');
    writeFileSync(file, EXPECTED);
    const r = await runBinary(['replay', file, '--target', target, '--lang', 'ru', '--no-color', '--timeout', '5', '--shard', '1/1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^# часть 1\/1: 1 из 1 записи сеансов$/m);
    expect(r.stdout).toMatch(/^FAIL \S+select\.txt /m);
    expect(r.stdout).toContain(':5: завершающий отклик отличается в строке 5; ожидалось: "OK [READ-WRITE] SELECT completed"\n');
    expect(r.stdout).toContain('    - S: A1 OK [READ-WRITE] SELECT completed   (запись, строка 5)\n');
    expect(r.stdout).toContain('    + S: A1 NO [NONEXISTENT] no such mailbox   (сервер)\n');
    expect(r.stdout).toMatch(/^0 passed, 1 failed$/m);
    expect(r.stdout).not.toMatch(/the completion differs|transcript line|\(server\)|# shard/);
    const en = await runBinary(['replay', file, '--target', await serving(SERVED), '--lang', 'en', '--no-color', '--timeout', '5']);
    expect(en.stdout).toContain(':5: the completion differs at line 5: expected "OK [READ-WRITE] SELECT completed"\n');
  });

  it('a server that goes quiet: the time limit said in Russian', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: () => undefined });
    const file = join(dir, 'quiet.txt');
    writeFileSync(file, EXPECTED);
    const r = await runBinary(['replay', file, '--target', server.url('imap'), '--lang', 'ru', '--no-color', '--timeout', '0.3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: строка 4 не пришла за 0\.3 с\n/);
    expect(r.stdout).not.toContain('was not received');
  });

  it('step --sandbox --lang ru: the difference\'s reason in Russian', async () => {
    const r = await runBinary(['step', join(SEED, 'imap-select-status.txt'), '--sandbox', '--lang', 'ru'], { timeoutMs: 30000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^≠ ответ сервера отличается от записанного \(строка 11 не пришла до завершения команды; команда завершилась откликом "A142 OK \[READ-WRITE\] SELECT completed"\)$/m);
    expect(r.stdout).not.toMatch(/was not received|the command completed with/);
  });
});
