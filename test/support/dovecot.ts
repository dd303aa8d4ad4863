/**
 * A real Dovecot (IMAP4rev1 + POP3) for integration tests: one private instance per call to
 * startDovecot(), in a temp folder holding its config, state, logs and mail, listening on free
 * loopback ports for imap, imaps, pop3 and pop3s. TLS uses the test CA from certs.ts (or a chain of
 * chain-certs.ts: DovecotOptions.chain), so clients verify with `caFile` and servername "localhost". Passwords are stored {PLAIN} so that APOP
 * (RFC 1939 §7) and CRAM-MD5 (RFC 2195) work.
 *
 * Test files use describeDovecot(): it starts one server per describe block and, when Dovecot is
 * not installed, skips loudly on a workstation but fails under CI.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { certChain } from './chain-certs.js';
import { testCerts } from './certs.js';
import { describeWithServer, freeMailPorts, type MailPorts } from './real-server.js';
import { abandonedInstances, BindFailure, hasCommand, isAlive, isRoot, lookupIds, stopMaster, waitForGreetings, watchMaster } from './server-process.js';

export interface DovecotUser<Name extends string> {
  user: Name;
  password: string;
}

export interface DovecotServer {
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
  /** mrose's secret is RFC 1939's "tanstaaf", so the RFC's APOP example can be replayed. */
  users: { joe: DovecotUser<'joe'>; mrose: DovecotUser<'mrose'> };
  /** Temp folder holding config, state, logs and mail; removed by stop(). */
  dir: string;
  /** Dovecot's log (info and errors), handy when a test fails. */
  logPath: string;
  /** Stops the master and waits until no process of this instance is left. */
  stop(): Promise<void>;
  /** The pids of this instance's processes now (master, login, imap, auth...), e.g. to measure their memory. */
  processIds(): number[];
  /**
   * Puts a message (raw RFC 5322 bytes) into the INBOX of joe, mrose or a user added with addUsers,
   * without going through IMAP, e.g. by writing a Maildir file.
   */
  deliver(user: string, message: Buffer | string): void;
  /**
   * Adds users (with an empty INBOX) at run time, e.g. one per test case with a password of its own.
   * Dovecot looks at the passwd file at most once a second: resolves when it will see them.
   */
  addUsers(users: ReadonlyArray<{ user: string; password: string }>): Promise<void>;
}

const USERS = {
  joe: { user: 'joe', password: 'password' },
  mrose: { user: 'mrose', password: 'tanstaaf' },
} as const;

const INSTALL_HINT = 'apt-get install dovecot-imapd dovecot-pop3d (Debian/Ubuntu) or brew install dovecot (macOS)';
const DIR_PREFIX = 'mailwire-dovecot-';
// Dovecot's login processes send this before the real greeting while their auth connection is
// not up yet (login-common, AUTH_SERVER_WAITING_MSG); the real greeting follows on the same socket.
const AUTH_WAITING = 'Waiting for authentication process';

/** Where the dovecot binary is; /usr/sbin is often missing from a normal user's PATH. */
function findDovecotBinary(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin',
    '/opt/homebrew/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, 'dovecot'))) return join(dir, 'dovecot');
  }
  return undefined;
}

/** The imap and pop3 backends are separate packages on Debian (dovecot-imapd, dovecot-pop3d). */
function missingBackends(): string[] {
  const libexec = ['/usr/lib/dovecot', '/usr/libexec/dovecot', '/usr/local/libexec/dovecot',
    '/opt/homebrew/libexec/dovecot'].find((d) => existsSync(join(d, 'imap-login')) || existsSync(join(d, 'pop3-login')) || existsSync(join(d, 'auth')));
  // An unknown layout: let Dovecot itself say what is missing.
  if (!libexec) return [];
  return ['imap', 'pop3'].filter((b) => !existsSync(join(libexec, b)));
}

/** Whether startDovecot() can work here, and if not, why (with what to install). */
export function dovecotAvailability(): { available: true } | { available: false; reason: string } {
  if (!findDovecotBinary()) return { available: false, reason: 'the dovecot binary is not installed' };
  const missing = missingBackends();
  if (missing.length > 0) {
    return { available: false, reason: `Dovecot lacks its ${missing.join(' and ')} service (apt-get install ${missing.map((m) => `dovecot-${m}d`).join(' ')})` };
  }
  if (!hasCommand('openssl')) return { available: false, reason: 'openssl is not installed (needed for the test certificates)' };
  if (isRoot() && (!lookupIds('dovecot') || !lookupIds('dovenull'))) {
    return { available: false, reason: 'running as root but the system users dovecot and dovenull do not exist (the Debian package creates them)' };
  }
  return { available: true };
}


/**
 * Declares a describe block that runs against one Dovecot, started before its tests and stopped
 * after them. `body` gets a getter for the running server (call it inside tests and hooks).
 * Without Dovecot the block is skipped with a warning, unless CI is set: then it fails.
 *
 * @example
 * describeDovecot('pop3 against Dovecot', (dovecot) => {
 *   it('logs in', async () => { const { pop3Port } = dovecot(); ... });
 * });
 */
/** What a test may ask of its Dovecot beyond the usual setup. */
export interface DovecotOptions {
  /**
   * Ask TLS clients for a certificate signed by the test CA and offer SASL EXTERNAL, which logs in
   * as the certificate's common name (auth_ssl_username_from_cert).
   */
  clientCertificates?: boolean;
  /**
   * Serve this many clients at once, all of them as one user from one address: raises the limits
   * that would refuse them by default (mail_max_userip_connections = 10 a user and address, 100
   * login processes). Tests that leave it out get Dovecot's defaults.
   */
  concurrentClients?: number;
  /**
   * Serve a certificate issued by an intermediate CA (test/support/chain-certs.ts) rather than by the
   * test CA: with the intermediate after it in ssl_cert, as a server should, or alone, the common
   * mistake that works in a browser and fails in mail clients. caFile is then the chain's root and
   * intermediate together, with which a client completes the chain either way.
   */
  chain?: 'with-intermediate' | 'leaf-only';
}

export function describeDovecot(name: string, body: (dovecot: () => DovecotServer) => void, options: DovecotOptions = {}): void {
  describeWithServer({ name: 'Dovecot', availability: dovecotAvailability, installHint: INSTALL_HINT, start: () => startDovecot(options) }, name, body);
}

/** The users Dovecot runs as: its own system users as root, otherwise everything as us (rootless). */
function dovecotAccounts(): { internalUser: string; internalGroup: string; loginUser: string; uid: number; gid: number; rootless: boolean } {
  if (isRoot()) {
    const ids = lookupIds('dovecot');
    if (!ids) throw new Error('the dovecot system user does not exist');
    return { internalUser: 'dovecot', internalGroup: 'dovecot', loginUser: 'dovenull', ...ids, rootless: false };
  }
  const me = userInfo();
  // Some built-in unix listeners are chowned to $default_internal_group, which only root may do.
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return { internalUser: me.username, internalGroup: group, loginUser: me.username, uid: me.uid, gid: me.gid, rootless: true };
}

/** The server's certificate files, and the CA file that verifies them, for `options`. */
function serverCertificate(options: DovecotOptions): { certFile: string; keyFile: string; caFile: string } {
  if (options.chain === undefined) {
    const certs = testCerts();
    return { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile };
  }
  const chain = certChain(3);
  return { certFile: options.chain === 'leaf-only' ? chain.leafFile : chain.withIntermediatesFile, keyFile: chain.leafKeyFile, caFile: chain.caFile };
}

function dovecotConfig(dir: string, instance: string, ports: MailPorts, accounts: ReturnType<typeof dovecotAccounts>, options: DovecotOptions): string {
  const certs = testCerts();
  const served = serverCertificate(options);
  // A non-root master cannot chroot the login processes (Dovecot wiki, HowTo/Rootless).
  const noChroot = accounts.rootless ? '  chroot =\n' : '';
  return `# Written by test/support/dovecot.ts for one test run.
instance_name = ${instance}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap pop3
default_internal_user = ${accounts.internalUser}
default_internal_group = ${accounts.internalGroup}
default_login_user = ${accounts.loginUser}
first_valid_uid = ${accounts.uid}
first_valid_gid = ${accounts.gid}

ssl = yes
ssl_cert = <${served.certFile}
ssl_key = <${served.keyFile}
ssl_min_protocol = TLSv1.2
# Tests log in over plain TCP on purpose (mailwire must show what that looks like).
disable_plaintext_auth = no
# apop needs {PLAIN} passwords; with it pop3-login puts a <timestamp> in its greeting. SCRAM works
# from {PLAIN} passwords too (Dovecot 2.3 derives the keys at login).
auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256 apop${options.clientCertificates ? ' external' : ''}
${options.clientCertificates ? `# SASL EXTERNAL: TLS clients are asked for a certificate of the test CA, whose CN is the user.
ssl_ca = <${certs.caFile}
ssl_verify_client_cert = yes
ssl_require_crl = no
auth_ssl_username_from_cert = yes
ssl_cert_username_field = commonName
` : ''}auth_verbose = yes
# A refused login is answered at once, not after the usual 2 s: tests of failures stay fast.
auth_failure_delay = 0

# Access control lists (RFC 4314: MYRIGHTS, GETACL, ...), kept in files beside the mail.
mail_plugins = $mail_plugins acl
plugin {
  acl = vfile
}
# COMPRESS=DEFLATE (RFC 4978), and the ACL commands.
protocol imap {
  mail_plugins = $mail_plugins imap_zlib imap_acl
}

mail_location = maildir:${dir}/mail/%u
${options.clientCertificates ? `# EXTERNAL carries no password: the verified certificate is the proof (only this mechanism gets here).
passdb {
  driver = static
  args = nopassword=y
  mechanisms = external
}
` : ''}passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}

service anvil {
${noChroot}  # No growing penalty for repeated failed logins from 127.0.0.1 (tests fail logins on purpose).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${concurrencyConfig(options.concurrentClients)}service imap-login {
${noChroot}  inet_listener imap {
    address = 127.0.0.1
    port = ${ports.imap}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${ports.imaps}
    ssl = yes
  }
}
service pop3-login {
${noChroot}  inet_listener pop3 {
    address = 127.0.0.1
    port = ${ports.pop3}
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = ${ports.pop3s}
    ssl = yes
  }
}
`;
}

/**
 * Config for `clients` connections at once of one user from one address; '' for Dovecot's defaults.
 * In high-security mode each connection has a login process of its own until it is logged in, then
 * an imap process: both services need room for all of them, and auth for their login processes.
 */
function concurrencyConfig(clients: number | undefined): string {
  if (clients === undefined) return '';
  const room = clients + 50;
  return `# ${clients} clients at once, one user, one address.
default_process_limit = ${room}
default_client_limit = ${room * 4}
mail_max_userip_connections = ${room}
service imap {
  process_limit = ${room}
}
service auth {
  client_limit = ${room * 4}
}
`;
}

/**
 * Pids of this instance's processes. Dovecot retitles its children "dovecot-<instance_name>/<service>";
 * read from /proc where there is one (minimal Debian images have no ps), else from ps.
 */
function instancePids(instance: string, masterPid: number | undefined): number[] {
  const tag = `dovecot-${instance}/`;
  const found: number[] = [];
  const consider = (pid: number, args: string) => {
    if (pid === masterPid || args.includes(tag)) found.push(pid);
  };
  if (existsSync('/proc/self/cmdline')) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        consider(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' '));
      } catch {
        // The process ended while we looked.
      }
    }
    return found;
  }
  const ps = execFileSync('ps', ['-A', '-o', 'pid=,args='], { encoding: 'utf8' });
  for (const line of ps.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match) consider(Number(match[1]), match[2] ?? '');
  }
  return found;
}

/** Instances whose test process died without stop(): stop the master each left and remove its folder. */
function reapOrphans(): void {
  for (const dir of abandonedInstances(DIR_PREFIX)) {
    try {
      const masterPidFile = join(dir, 'run', 'master.pid');
      if (existsSync(masterPidFile)) {
        const master = Number(readFileSync(masterPidFile, 'utf8'));
        const cmdline = existsSync(`/proc/${master}/cmdline`) ? readFileSync(`/proc/${master}/cmdline`, 'latin1') : 'dovecot';
        if (master && isAlive(master) && cmdline.includes('dovecot')) process.kill(master, 'SIGTERM');
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Someone else's folder, or one being removed right now.
    }
  }
}

async function launch(dir: string, instance: string, accounts: ReturnType<typeof dovecotAccounts>, options: DovecotOptions): Promise<{ master: ChildProcess; ports: MailPorts }> {
  const binary = findDovecotBinary();
  if (!binary) throw new Error(`Dovecot is not installed. Install: ${INSTALL_HINT}`);
  const ports = await freeMailPorts();
  const configPath = join(dir, 'dovecot.conf');
  const logPath = join(dir, 'dovecot.log');
  // A second attempt starts a fresh log, so its errors are not mistaken for the first one's.
  if (existsSync(logPath)) renameSync(logPath, `${logPath}.failed`);
  writeFileSync(configPath, dovecotConfig(dir, instance, ports, accounts, options));

  // -F keeps the master in the foreground as our child, so its pid is ours to signal.
  const master = spawn(binary, ['-F', '-c', configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = watchMaster(master, 'Dovecot');
  const logTail = () => {
    const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
    return `--- dovecot output ---\n${watched.output().trim() || '(none)'}\n--- tail of ${logPath} ---\n${log.trim()}`;
  };
  await waitForGreetings({
    server: 'Dovecot',
    watched,
    ports,
    caFile: serverCertificate(options).caFile,
    describe: logTail,
    config: configPath,
    skipLine: (line) => line.includes(AUTH_WAITING),
  });
  return { master, ports };
}


/** Starts a private Dovecot and resolves once every listener has sent its greeting. */
export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  const availability = dovecotAvailability();
  if (!availability.available) throw new Error(`Dovecot is not available: ${availability.reason}`);
  reapOrphans();
  const accounts = dovecotAccounts();
  const dir = join(tmpdir(), `${DIR_PREFIX}${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { mode: 0o755 });
  // mkdir's mode is masked by the umask; mail and auth processes run as another user and must get in.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const instance = `mw${dir.slice(-8)}`;

  const lines = Object.values(USERS).map(({ user, password }) =>
    `${user}:{PLAIN}${password}:${accounts.uid}:${accounts.gid}::${dir}/home/${user}::`);
  writeFileSync(join(dir, 'passwd'), `${lines.join('\n')}\n`, { mode: 0o644 });
  const owned = (path: string) => {
    mkdirSync(path, { recursive: true });
    if (isRoot()) chownSync(path, accounts.uid, accounts.gid);
  };
  owned(join(dir, 'mail'));
  owned(join(dir, 'home'));
  for (const user of Object.keys(USERS)) {
    owned(join(dir, 'home', user));
    owned(join(dir, 'mail', user));
    for (const sub of ['cur', 'new', 'tmp']) owned(join(dir, 'mail', user, sub));
  }

  let started: { master: ChildProcess; ports: MailPorts };
  try {
    started = await launch(dir, instance, accounts, options);
  } catch (error) {
    if (!(error instanceof BindFailure)) throw error;
    // Another process took one of the ports between freeMailPorts() and Dovecot's bind: once more.
    started = await launch(dir, instance, accounts, options);
  }
  const { master, ports } = started;

  let deliveries = 0;
  let stopped = false;
  const server: DovecotServer = {
    imapPort: ports.imap,
    imapsPort: ports.imaps,
    pop3Port: ports.pop3,
    pop3sPort: ports.pop3s,
    host: '127.0.0.1',
    caFile: serverCertificate(options).caFile,
    certSubjectCN: 'localhost',
    users: { joe: { ...USERS.joe }, mrose: { ...USERS.mrose } },
    dir,
    logPath: join(dir, 'dovecot.log'),
    processIds() {
      return instancePids(instance, master.pid).filter(isAlive);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopMaster(master, () => instancePids(instance, master.pid));
      rmSync(dir, { recursive: true, force: true });
    },
    async addUsers(users) {
      for (const { user, password } of users) {
        if (!/^[a-z0-9._-]+$/i.test(user) || /[:\n]/.test(password)) throw new Error(`cannot add user ${user}: name or password not passwd-file safe`);
        owned(join(dir, 'home', user));
        owned(join(dir, 'mail', user));
        for (const sub of ['cur', 'new', 'tmp']) owned(join(dir, 'mail', user, sub));
      }
      const added = users.map(({ user, password }) => `${user}:{PLAIN}${password}:${accounts.uid}:${accounts.gid}::${dir}/home/${user}::`);
      appendFileSync(join(dir, 'passwd'), `${added.join('\n')}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    },
    deliver(user, message) {
      // Maildir delivery: write in tmp/, then rename into new/ so Dovecot never sees half a file.
      const maildir = join(dir, 'mail', user);
      const now = Date.now();
      const name = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++deliveries}.mailwire`;
      const tmpPath = join(maildir, 'tmp', name);
      writeFileSync(tmpPath, message);
      if (isRoot()) chownSync(tmpPath, accounts.uid, accounts.gid);
      renameSync(tmpPath, join(maildir, 'new', name));
    },
  };
  return server;
}
