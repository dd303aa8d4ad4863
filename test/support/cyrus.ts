/**
 * A real Cyrus IMAP 3.6 (imapd + pop3d) for integration tests: one private instance per call to
 * startCyrus(), in a temp folder holding its imapd.conf, cyrus.conf, sasldb, certificate, state and
 * mail, listening on free loopback ports for imap, imaps, pop3 and pop3s. Users live in a sasldb
 * (realm "localhost") with plaintext secrets, so every mechanism Cyrus offers works: PLAIN, LOGIN,
 * CRAM-MD5, DIGEST-MD5, SCRAM-SHA-1, SCRAM-SHA-256, and APOP (RFC 1939 §7) on POP3.
 *
 * Debian's Cyrus and Dovecot packages conflict, so Cyrus is usually not installed but unpacked
 * (.ci/install-cyrus) into /var/cache/mailwire/cyrus or $MAILWIRE_CYRUS_ROOT; an installed Cyrus
 * (/usr/lib/cyrus/bin/master) is used when there is no unpacked one. Every path the binaries would
 * take from their compiled-in defaults is given explicitly: binaries by absolute path in cyrus.conf,
 * config with -C/-M, the pid file with -p. As root the master drops to the system user `cyrus`
 * (imapd.conf(5) cyrus_user); as anyone else it runs as that user.
 *
 * Cyrus logs only through syslog(3): a start that fails reports the master's own output and the
 * syslog path. Test files use describeCyrus(): one server per describe block; when Cyrus is missing
 * it skips loudly on a workstation and fails under CI, as describeDovecot() does.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { testCerts } from './certs.js';
import { describeWithServer, freeMailPorts, type MailPorts } from './real-server.js';
import { abandonedInstances, BindFailure, hasCommand, isRoot, lookupIds, stopMaster, waitForGreetings, watchMaster } from './server-process.js';

export interface CyrusUser {
  user: string;
  password: string;
}

export interface CyrusServer {
  imapPort: number;
  imapsPort: number;
  pop3Port: number;
  pop3sPort: number;
  /** Every listener is bound to this loopback address only. */
  host: '127.0.0.1';
  /** PEM file of the CA that signed the server certificate (what `--ca` takes). */
  caFile: string;
  /** Common name (and DNS subjectAltName) of the server certificate. */
  certSubjectCN: string;
  /** joe/password; mrose's secret is RFC 1939's "tanstaaf"; cyrus is the administrator (ACLs of all). */
  users: { joe: CyrusUser; mrose: CyrusUser; admin: CyrusUser };
  /** Temp folder holding config, state and mail; removed by stop(). */
  dir: string;
  /** What the master wrote to stdout and stderr (Cyrus's real log is syslog). */
  output(): string;
  /** Stops the master and waits until no process of this instance is left. */
  stop(): Promise<void>;
  /** Appends a message (raw RFC 5322 bytes) to a user's INBOX over IMAP, logged in as that user. */
  deliver(user: string, message: Buffer | string): Promise<void>;
  /** Adds users to the sasldb (their INBOX is created at their first login); effective at once. */
  addUsers(users: ReadonlyArray<CyrusUser>): void;
}

const USERS = {
  joe: { user: 'joe', password: 'password' },
  mrose: { user: 'mrose', password: 'tanstaaf' },
  admin: { user: 'cyrus', password: 'cyrusadmin' },
} as const;

const INSTALL_HINT = 'sudo .ci/install-cyrus (unpacks Debian\'s cyrus-imapd and cyrus-pop3d into /var/cache/mailwire/cyrus)';
const DIR_PREFIX = 'mailwire-cyrus-';
const MECHANISMS = 'PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256';

/** Where Cyrus's files are: an unpacked folder (its own libraries beside it) or the system. */
interface CyrusInstall {
  bin: string;
  libraryPath: string | undefined;
}

function findCyrus(): CyrusInstall | undefined {
  const roots = [process.env['MAILWIRE_CYRUS_ROOT'], '/var/cache/mailwire/cyrus'].filter((r): r is string => !!r);
  for (const root of roots) {
    const bin = join(root, 'usr/lib/cyrus/bin');
    if (existsSync(join(bin, 'master'))) {
      const libs = readdirSync(join(root, 'usr/lib'), { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name.endsWith('-linux-gnu')).map((e) => join(root, 'usr/lib', e.name));
      return { bin, libraryPath: libs.join(delimiter) };
    }
  }
  if (existsSync('/usr/lib/cyrus/bin/master')) return { bin: '/usr/lib/cyrus/bin', libraryPath: undefined };
  return undefined;
}

function findSaslpasswd(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, 'saslpasswd2')).find((p) => existsSync(p));
}

/** Whether startCyrus() can work here, and if not, why. */
export function cyrusAvailability(): { available: true } | { available: false; reason: string } {
  if (process.platform !== 'linux') return { available: false, reason: 'the Cyrus fixture runs Debian\'s binaries, so Linux only' };
  if (!findCyrus()) return { available: false, reason: 'Cyrus IMAP is neither unpacked in /var/cache/mailwire/cyrus ($MAILWIRE_CYRUS_ROOT) nor installed' };
  if (!findSaslpasswd()) return { available: false, reason: 'saslpasswd2 is not installed (apt-get install sasl2-bin)' };
  if (!hasCommand('openssl')) return { available: false, reason: 'openssl is not installed (needed for the test certificates)' };
  if (isRoot() && !lookupIds('cyrus')) return { available: false, reason: 'running as root but the system user cyrus does not exist' };
  return { available: true };
}


/**
 * Declares a describe block that runs against one Cyrus, started before its tests and stopped
 * after them. `body` gets a getter for the running server (call it inside tests and hooks).
 * Without Cyrus the block is skipped with a warning, unless CI is set: then it fails.
 *
 * @example
 * describeCyrus('pop3 against Cyrus', (cyrus) => {
 *   it('logs in', async () => { const { pop3Port } = cyrus(); ... });
 * });
 */
export function describeCyrus(name: string, body: (cyrus: () => CyrusServer) => void): void {
  describeWithServer({ name: 'Cyrus', availability: cyrusAvailability, installHint: INSTALL_HINT, start: startCyrus }, name, body);
}

/** The account Cyrus runs as: the system user cyrus (group mail) as root, otherwise ourselves. */
function cyrusAccount(): { name: string; group: string; uid: number; gid: number } {
  if (isRoot()) {
    const ids = lookupIds('cyrus');
    if (!ids) throw new Error('the cyrus system user does not exist');
    const group = execFileSync('id', ['-gn', 'cyrus'], { encoding: 'utf8' }).trim();
    return { name: 'cyrus', group, ...ids };
  }
  const me = userInfo();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return { name: me.username, group, uid: me.uid, gid: me.gid };
}

/** imapd.conf(5): everything under the instance folder, nothing from the compiled-in defaults. */
function imapdConf(dir: string, account: ReturnType<typeof cyrusAccount>): string {
  return `# Written by test/support/cyrus.ts for one test run.
configdirectory: ${dir}/lib
defaultpartition: default
partition-default: ${dir}/spool
proc_path: ${dir}/run/proc
mboxname_lockpath: ${dir}/run/lock
lmtpsocket: ${dir}/run/socket/lmtp
idlesocket: ${dir}/run/socket/idle
notifysocket: ${dir}/run/socket/notify
cyrus_user: ${account.name}
cyrus_group: ${account.group}
servername: localhost
admins: ${USERS.admin.user}
# Debian's own imapd.conf sets these: INBOX.sub with "." as the separator.
altnamespace: no
unixhierarchysep: no
hashimapspool: true
# A user's INBOX is created at the first login.
autocreate_quota: 0
# Tests log in over plain TCP on purpose (mailwire must show what that looks like).
allowplaintext: yes
allowapop: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: ${dir}/sasldb2
sasl_mech_list: ${MECHANISMS}
sasl_auto_transition: no
tls_server_cert: ${dir}/tls/cert.pem
tls_server_key: ${dir}/tls/key.pem
syslog_prefix: ${dir.slice(dir.lastIndexOf('/') + 1)}
umask: 077
# POP3 logins may follow each other at once (tests log in many times).
popminpoll: 0
`;
}

/** cyrus.conf(5): binaries by absolute path, so the compiled-in service path is never used. */
function cyrusConf(dir: string, bin: string, ports: MailPorts): string {
  const conf = `-C ${dir}/imapd.conf`;
  return `# Written by test/support/cyrus.ts for one test run.
START {
  recover cmd="${bin}/ctl_cyrusdb ${conf} -r"
}
SERVICES {
  imap  cmd="${bin}/imapd ${conf}" listen="127.0.0.1:${ports.imap}" prefork=0 maxchild=30
  imaps cmd="${bin}/imapd -s ${conf}" listen="127.0.0.1:${ports.imaps}" prefork=0 maxchild=30
  pop3  cmd="${bin}/pop3d ${conf}" listen="127.0.0.1:${ports.pop3}" prefork=0 maxchild=30
  pop3s cmd="${bin}/pop3d -s ${conf}" listen="127.0.0.1:${ports.pop3s}" prefork=0 maxchild=30
}
EVENTS {
  checkpoint cmd="${bin}/ctl_cyrusdb ${conf} -c" period=30
}
DAEMON {
  idled cmd="${bin}/idled ${conf}"
}
`;
}

/** Pids of this instance's processes: each names the instance folder in its command line (-C). */
function instancePids(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(`${dir}/`)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/**
 * Instances whose test process died without stop(): stop what they left and remove the folder. And
 * processes of an instance whose folder is gone, left to init (a master whose configdirectory was
 * removed under it spins instead of exiting).
 */
function reapOrphans(): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const folder = new RegExp(`(${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${DIR_PREFIX}[0-9a-f]{8})/`).exec(readFileSync(`/proc/${entry}/cmdline`, 'latin1'))?.[1];
      const parent = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${entry}/status`, 'latin1'))?.[1];
      if (folder && parent === '1' && !existsSync(folder)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone while we looked, or not ours to signal.
    }
  }
  for (const dir of abandonedInstances(DIR_PREFIX)) {
    try {
      for (const pid of instancePids(dir)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Someone else's folder, or one being removed right now.
    }
  }
}

async function launch(dir: string, install: CyrusInstall): Promise<{ master: ChildProcess; ports: MailPorts; output: () => string }> {
  const ports = await freeMailPorts();
  writeFileSync(join(dir, 'cyrus.conf'), cyrusConf(dir, install.bin, ports));
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  if (install.libraryPath) env['LD_LIBRARY_PATH'] = install.libraryPath;
  // -D keeps stdout and stderr open, so a failure to start is seen here; without -d the master
  // stays in the foreground as our child. Detached: in a process group of its own, because a master
  // that shuts down signals its whole group, which would take other instances (and the test worker)
  // with it.
  const master = spawn(join(install.bin, 'master'), ['-D', '-C', join(dir, 'imapd.conf'), '-M', join(dir, 'cyrus.conf'),
    '-p', join(dir, 'run', 'master.pid')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const watched = watchMaster(master, 'Cyrus');
  const describeOutput = () =>
    `--- cyrus master output ---\n${watched.output().trim() || '(none)'}\n(Cyrus logs the rest to syslog${existsSync('/dev/log') ? '' : ', and there is no /dev/log here'})`;
  await waitForGreetings({ server: 'Cyrus', watched, ports, caFile: testCerts().caFile, describe: describeOutput, config: `${dir}/imapd.conf` });
  return { master, ports, output: watched.output };
}


/** A minimal IMAP client (no mailwire code) for deliveries: LOGIN, APPEND with a literal, LOGOUT. */
async function appendOverImap(port: number, user: CyrusUser, message: Buffer): Promise<void> {
  const socket = netConnect({ host: '127.0.0.1', port });
  let buffered = '';
  let waiter: (() => void) | undefined;
  let failure: Error | undefined;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    waiter?.();
  });
  socket.on('error', (error) => {
    failure = error;
    waiter?.();
  });
  socket.on('close', () => {
    failure ??= new Error('connection closed');
    waiter?.();
  });
  const lineStartingWith = async (prefix: string): Promise<string> => {
    for (;;) {
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line.startsWith(prefix)) return line;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => (waiter = resolve));
    }
  };
  const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  try {
    await lineStartingWith('* OK');
    socket.write(`d1 LOGIN ${quote(user.user)} ${quote(user.password)}\r\n`);
    const login = await lineStartingWith('d1 ');
    if (!login.startsWith('d1 OK')) throw new Error(`Cyrus refused ${user.user}'s login: ${login}`);
    socket.write(`d2 APPEND INBOX {${message.length}+}\r\n`);
    socket.write(message);
    socket.write('\r\n');
    const append = await lineStartingWith('d2 ');
    if (!append.startsWith('d2 OK')) throw new Error(`Cyrus refused the APPEND to ${user.user}'s INBOX: ${append}`);
    socket.write('d3 LOGOUT\r\n');
    await lineStartingWith('d3 ');
  } finally {
    socket.destroy();
  }
}

/** Starts a private Cyrus and resolves once every listener has sent its greeting. */
export async function startCyrus(): Promise<CyrusServer> {
  const availability = cyrusAvailability();
  if (!availability.available) throw new Error(`Cyrus is not available: ${availability.reason}`);
  const install = findCyrus()!;
  const saslpasswd = findSaslpasswd()!;
  reapOrphans();
  const account = cyrusAccount();
  const dir = join(tmpdir(), `${DIR_PREFIX}${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  // The folders of configdirectory Cyrus expects to exist (Debian's cyrus-common makes them with
  // cyrus-makedirs): without db/ its skiplist databases cannot keep their stamp, without socket/
  // services run without their accept locks.
  const folders = ['lib/db', 'lib/log', 'lib/msg', 'lib/proc', 'lib/ptclient', 'lib/quota', 'lib/sieve', 'lib/socket', 'lib/user',
    'lib/sync', 'lib/lock', 'spool', 'run/proc', 'run/lock', 'run/socket', 'tls'];
  for (const sub of folders) mkdirSync(join(dir, sub), { recursive: true });
  // The certificates' own folder is private to us; Cyrus reads copies of its own.
  const certs = testCerts();
  copyFileSync(certs.serverCertFile, join(dir, 'tls', 'cert.pem'));
  copyFileSync(certs.serverKeyFile, join(dir, 'tls', 'key.pem'));
  writeFileSync(join(dir, 'imapd.conf'), imapdConf(dir, account));

  const sasldb = join(dir, 'sasldb2');
  const addUsers = (users: ReadonlyArray<CyrusUser>) => {
    for (const { user, password } of users) {
      if (!/^[a-z0-9._-]+$/i.test(user)) throw new Error(`cannot add user ${user}: not a plain user name`);
      // saslpasswd2(8): -p reads the password from stdin, -c creates, -u the realm (servername).
      execFileSync(saslpasswd, ['-p', '-c', '-f', sasldb, '-u', 'localhost', user], { input: password, stdio: ['pipe', 'ignore', 'pipe'] });
    }
    if (isRoot()) chownSync(sasldb, account.uid, account.gid);
    chmodSync(sasldb, 0o640);
  };
  addUsers(Object.values(USERS));
  if (isRoot()) execFileSync('chown', ['-R', `${account.uid}:${account.gid}`, dir]);

  let started: Awaited<ReturnType<typeof launch>>;
  try {
    started = await launch(dir, install);
  } catch (error) {
    if (!(error instanceof BindFailure)) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    // Another process took one of the ports between freeMailPorts() and Cyrus's bind: once more.
    started = await launch(dir, install);
  }
  const { master, ports, output } = started;
  const known = new Map<string, CyrusUser>(Object.values(USERS).map((u) => [u.user, { ...u }]));

  let stopped = false;
  return {
    imapPort: ports.imap,
    imapsPort: ports.imaps,
    pop3Port: ports.pop3,
    pop3sPort: ports.pop3s,
    host: '127.0.0.1',
    caFile: certs.caFile,
    certSubjectCN: 'localhost',
    users: { joe: { ...USERS.joe }, mrose: { ...USERS.mrose }, admin: { ...USERS.admin } },
    dir,
    output,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopMaster(master, () => instancePids(dir));
      rmSync(dir, { recursive: true, force: true });
    },
    addUsers(users) {
      addUsers(users);
      for (const u of users) known.set(u.user, { ...u });
    },
    async deliver(user, message) {
      const account = known.get(user);
      if (!account) throw new Error(`deliver: ${user} is not a user of this Cyrus`);
      await appendOverImap(ports.imap, account, Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8'));
    },
  };
}
