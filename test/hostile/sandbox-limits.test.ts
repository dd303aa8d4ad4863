/**
 * Hostile clients of the sandbox, on what one client may cost: command and literal sizes (much
 * smaller before login), literals per command, the store's memory whatever the quotas say, one
 * command's output, connections and commands per user, and a class's rules (quotas are the
 * teacher's, failed logins slow down per user). Played on the sans-io sessions; each limit is
 * asserted by what the session answers and keeps, never by time.
 */
import { describe, expect, it } from 'vitest';
import { ImapServerSession, type ServerAction } from '../../src/sandbox/imap-server-session.js';
import { ConnectionLedger, FailedLogins, UserRate } from '../../src/transport/server-limits.js';
import { imapConnection, imapLoggedIn, pop3Connection, sandboxWorld, SANDBOX_NOW, splitLines } from '../support/sandbox-harness.js';

const KiB = 1024;

/** What the example messages hold. */
const world0Held = (): number => sandboxWorld().store.heldOctets;

describe('before login', () => {
  it('a LOGIN carrying 64 KiB {n+} literals is refused at the first, and the connection closed: nothing more is read', () => {
    const c = imapConnection(sandboxWorld());
    const literal = Buffer.alloc(64 * KiB, 0x61);
    const reply = c.sendRaw(Buffer.concat([Buffer.from('a1 LOGIN {65536+}\r\n'), literal]));
    expect(splitLines(reply)).toEqual(['a1 BAD [LIMIT] Literal too large: a command holds at most 16384 octets before login', '* BYE Too much input before login, closing the connection']);
    expect(c.closed).toBe(true);
    for (let i = 0; i < 100; i++) expect(c.sendRaw(Buffer.concat([Buffer.from(' {65536+}\r\n'), literal]))).toBe('');
  });

  it('small literals: at most 16 in one command, and 16 KiB in all; the session goes on', () => {
    const c = imapConnection(sandboxWorld());
    const many = `a1 LOGIN ${Array.from({ length: 40 }, () => '{1+}\r\nx').join(' ')}\r\n`;
    // Non-synchronizing literals a server will not take: refused, and before login the connection ends.
    expect(splitLines(c.sendRaw(many))).toEqual(['a1 BAD [LIMIT] More than 16 literals in one command', '* BYE Too much input before login, closing the connection']);
    const e = imapConnection(sandboxWorld());
    expect(e.send('a1 LOGIN {1}', 'x {1}', 'y {1}', 'z {1}', 'w {1}', 'v {1}', 'u {1}', 't {1}', 's {1}', 'r {1}', 'q {1}', 'p {1}', 'o {1}', 'n {1}', 'm {1}', 'l {1}', 'k {1}').filter((l) => !l.startsWith('+'))).toEqual(['a1 BAD [LIMIT] More than 16 literals in one command']);
    expect(e.send('a1 LOGIN joe password')).toEqual(['a1 OK LOGIN completed']);
    const long = `a2 LOGIN ${'{1500+}\r\n'.concat('y'.repeat(1500), ' ').repeat(12)}\r\n`;
    expect(splitLines(imapConnection(sandboxWorld()).sendRaw(long))).toEqual(['a2 BAD [LIMIT] Literal too large: a command holds at most 16384 octets before login', '* BYE Too much input before login, closing the connection']);
    const d = imapConnection(sandboxWorld());
    expect(d.send(`a3 LOGIN joe ${'x'.repeat(20 * KiB)}`)).toEqual(['a3 BAD [LIMIT] Command longer than 16384 octets']);
    expect(d.send('a4 LOGIN joe password')).toEqual(['a4 OK LOGIN completed']);
  });

  it('after login a command may hold 1 MiB', () => {
    const c = imapLoggedIn(sandboxWorld(), 'joe');
    expect(splitLines(c.sendRaw(`a1 CREATE {${64 * KiB}}\r\n`))).toEqual(['+ Ready for additional command text']);
    expect(splitLines(c.sendRaw(`${'m'.repeat(64 * KiB)}\r\n`))).toEqual(['a1 NO [LIMIT] Mailbox names are at most 1024 octets long']);
    expect(c.send(`a2 CREATE {${2 * 1024 * KiB}}`)).toEqual(['a2 BAD [LIMIT] Literal too large: a command holds at most 1048576 octets']);
  });
});

describe('the store', () => {
  it('SETQUOTA, a large APPEND, COPY after COPY: the store stops at its bound with NO [LIMIT], and SEARCH TEXT still answers', () => {
    const world = sandboxWorld(undefined, 10 * 1024, 2 * 1024 * KiB);
    const c = imapLoggedIn(world, 'joe');
    expect(c.send('q SETQUOTA "" (STORAGE 4000000)')).toEqual([expect.stringMatching(/^\* QUOTA "" \(STORAGE \d+ 4000000\)$/), 'q OK SETQUOTA completed']);
    const body = `Subject: big\r\n\r\n${'needle in a haystack\r\n'.repeat(30_000)}`;
    expect(c.send(`a APPEND INBOX {${body.length}}`)).toEqual(['+ Ready for literal data']);
    expect(c.send(body)[0]).toMatch(/^a OK \[APPENDUID \d+ 6\] APPEND completed$/);
    c.send('s SELECT INBOX');
    const copies = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => c.send(`c${i} COPY 6 INBOX`).at(-1));
    expect(copies.filter((r) => /OK \[COPYUID/.test(r ?? ''))).toHaveLength(2);
    expect(copies.at(-1)).toBe('c8 NO [LIMIT] The server holds as much mail as it may; delete some first');
    expect(world.store.heldOctets).toBeLessThanOrEqual(2 * 1024 * KiB);
    expect(c.send('t SEARCH TEXT needle')).toEqual(['* SEARCH 6 7 8', 't OK SEARCH completed']);
  });

  it('room for a message is held while it comes: two clients cannot together pass the bound', () => {
    const world = sandboxWorld(undefined, 10 * 1024, world0Held() + 60_000);
    const a = imapLoggedIn(world, 'joe');
    const b = imapLoggedIn(world, 'mrc');
    expect(a.send('a APPEND INBOX {40000}')).toEqual(['+ Ready for literal data']);
    expect(b.send('b APPEND INBOX {40000}')).toEqual(['b NO [LIMIT] The server holds as much mail as it may; delete some first']);
    a.imap.connectionClosed();
    expect(b.send('b APPEND INBOX {40000}')).toEqual(['+ Ready for literal data']);
  });
});

describe('output', () => {
  it('FETCH items naming the same octets over and over stop at the output bound with NO [LIMIT]', () => {
    const c = imapLoggedIn(sandboxWorld(), 'joe', { limits: { maxPendingOutputOctets: 256 * KiB } });
    c.send('s SELECT INBOX');
    const items = Array.from({ length: 2000 }, (_, i) => `BODY.PEEK[]<${i}>`).join(' ');
    const reply = c.send(`f FETCH 1:* (${items})`);
    expect(reply.at(-1)).toBe('f NO [LIMIT] FETCH response over 262144 octets: fetch fewer messages or items at once');
    expect(reply.join('\r\n').length).toBeLessThan(256 * KiB);
  });

  it('pipelined FETCH 1:* BODY[]: one turn works on at most 64 commands, or 1 MiB of output, then yields', () => {
    const world = sandboxWorld();
    let taken: ServerAction[] = [];
    const session = new ImapServerSession({ store: world.store, users: world.users, tlsAvailable: false, implicitTls: false, requireTls: false, version: 't', onAsync: () => undefined, now: () => SANDBOX_NOW });
    session.greeting();
    session.receive(Buffer.from('l LOGIN joe password\r\ns SELECT INBOX\r\n'));
    const pipelined = Buffer.from('f FETCH 1:* BODY.PEEK[]\r\n'.repeat(2000));
    taken = session.receive(pipelined);
    const octets = (actions: ServerAction[]) => actions.reduce((n, a) => n + (a.type === 'send' ? a.bytes.length : 0), 0);
    const perCommand = octets(taken) / taken.filter((a) => a.type === 'send' && /^f OK/.test(a.bytes.toString('latin1'))).length;
    expect(taken.at(-1)).toEqual({ type: 'yield', afterMs: 0 });
    const done = taken.filter((a) => a.type === 'send' && a.bytes.toString('latin1').startsWith('f OK')).length;
    expect(done).toBeLessThanOrEqual(64);
    expect(octets(taken)).toBeLessThanOrEqual(1024 * KiB + perCommand);
    // Nothing more happens until the runner resumes the session (once the client took the output).
    expect(session.receive(Buffer.from('n NOOP\r\n'))).toEqual([]);
    let turns = 1;
    let completed = 0;
    for (let next = session.resume(); ; next = session.resume()) {
      completed += next.filter((a) => a.type === 'send' && /^[fn] OK/.test(a.bytes.toString('latin1'))).length;
      expect(octets(next)).toBeLessThanOrEqual(1024 * KiB + perCommand);
      if (next.at(-1)?.type !== 'yield') break;
      turns++;
    }
    expect(completed + 64 >= 2001 - 64).toBe(true);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(2000 / 64));
  });
});

describe('connections and commands per user', () => {
  it('a user may hold at most maxConnectionsPerUser logins: NO [LIMIT], until one leaves', () => {
    const world = sandboxWorld();
    const connections = new ConnectionLedger({ maxConnections: 10, maxConnectionsPerUser: 2 });
    const a = imapLoggedIn(world, 'joe', { connections });
    imapLoggedIn(world, 'joe', { connections });
    const c = imapConnection(world, { connections, limits: { maxConnectionsPerUser: 2 } });
    expect(c.send('l LOGIN joe password')).toEqual(['l NO [LIMIT] Too many connections for this user (at most 2); log out elsewhere first']);
    expect(c.send('l LOGIN mrc secret')).toEqual(['l OK LOGIN completed']);
    a.imap.connectionClosed();
    const d = imapConnection(world, { connections });
    expect(d.send('l LOGIN joe password')).toEqual(['l OK LOGIN completed']);
    const p = pop3Connection(world, { connections, limits: { maxConnectionsPerUser: 2 } });
    expect(p.send('USER joe', 'PASS password')).toEqual(['+OK joe is a real hoopy frood', '-ERR [SYS/TEMP] Too many connections for this user (at most 2)']);
  });

  it('commands per second are counted per user over all connections: over the rate they wait; others go on', () => {
    const world = sandboxWorld();
    let clock = SANDBOX_NOW.getTime();
    const now = () => new Date(clock);
    const rate = new UserRate(10);
    const a = imapLoggedIn(world, 'joe', { rate, now });
    const b = imapLoggedIn(world, 'joe', { rate, now });
    const other = imapLoggedIn(world, 'mrc', { rate, now });
    const answered = (text: string) => splitLines(text).filter((l) => / OK NOOP/.test(l)).length;
    expect(answered(a.sendRaw('n NOOP\r\n'.repeat(15)))).toBe(15);
    expect(answered(b.sendRaw('n NOOP\r\n'.repeat(15)))).toBe(5);
    expect(b.waits).toEqual([100]);
    expect(answered(other.sendRaw('n NOOP\r\n'.repeat(15)))).toBe(15);
    clock += 1000;
    expect(answered(b.resumeNow())).toBe(10);
    // POP3 sessions of the user count against the same rate, used up by now.
    const pop = pop3Connection(world, { rate, now });
    expect(pop.send('USER joe', 'PASS password')[1]).toMatch(/^\+OK/);
    expect(splitLines(pop.sendRaw('NOOP\r\n'.repeat(30))).filter((l) => l === '+OK')).toHaveLength(0);
    expect(pop.waits).toEqual([100]);
    clock += 1000;
    expect(splitLines(pop.resumeNow()).filter((l) => l === '+OK')).toHaveLength(10);
  });
});

describe('a class sandbox', () => {
  it('students may not change quotas; the default sandbox keeps RFC 2087\'s SETQUOTA example', () => {
    const world = sandboxWorld();
    expect(imapLoggedIn(world, 'joe', { usersSetQuota: false }).send('A003 SETQUOTA "" (STORAGE 512)')).toEqual(['A003 NO [NOPERM] Quotas are set by the teacher in this sandbox']);
    expect(imapLoggedIn(world, 'joe').send('A003 SETQUOTA "" (STORAGE 512)')).toEqual([expect.stringMatching(/^\* QUOTA "" \(STORAGE \d+ 512\)$/), 'A003 OK SETQUOTA completed']);
  });

  it('2,000 wrong LOGINs pipelined for one user: 3 are checked, the rest fail unchecked until the wait is over; other users are not slowed', () => {
    const world = sandboxWorld();
    let checks = 0;
    const check = world.users.checkPassword.bind(world.users);
    world.users.checkPassword = (name, password) => {
      checks++;
      return check(name, password);
    };
    let clock = SANDBOX_NOW.getTime();
    const now = () => new Date(clock);
    const failedLogins = new FailedLogins();
    const c = imapConnection(world, { failedLogins, now });
    const lines = splitLines(c.sendRaw('a LOGIN joe wrong\r\n'.repeat(2000)));
    expect(lines.filter((l) => l === 'a NO [AUTHENTICATIONFAILED] Authentication failed.')).toHaveLength(3);
    expect(lines.filter((l) => l === 'a NO [UNAVAILABLE] Too many failed logins for this user: try again in 1 s')).toHaveLength(1997);
    expect(checks).toBe(3);
    expect(c.send('b LOGIN joe password')).toEqual(['b NO [UNAVAILABLE] Too many failed logins for this user: try again in 1 s']);
    expect(imapConnection(world, { failedLogins, now }).send('m LOGIN mrc secret')).toEqual(['m OK LOGIN completed']);
    const pop = pop3Connection(world, { failedLogins, now });
    expect(pop.send('USER joe', 'PASS password')[1]).toBe('-ERR [SYS/TEMP] Too many failed logins for this user: try again in 1 s');
    clock += 1000;
    expect(c.send('c LOGIN joe wrong')).toEqual(['c NO [AUTHENTICATIONFAILED] Authentication failed.']);
    expect(c.send('d LOGIN joe password')).toEqual(['d NO [UNAVAILABLE] Too many failed logins for this user: try again in 2 s']);
    clock += 2000;
    expect(c.send('e LOGIN joe password')).toEqual(['e OK LOGIN completed']);
  });
});
