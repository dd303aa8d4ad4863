/**
 * What the fixtures of real servers (Dovecot, Cyrus) share: a describe block that runs against one
 * started server, skipped with a loud warning where the server is missing, or failed instead when
 * CI is set; and free loopback ports for the server's listeners.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** CI=true (or any value but "", "0", "false") means a missing server or client is an error, not a skip. */
export function ciDemandsServers(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * A describe block that cannot run, for want of a server or a client: under CI, a failing test that
 * says what is missing (`check` names what it checks); elsewhere a loud warning, and the block
 * declared skipped (`skipped` declares its tests, which do not run).
 */
export function describeMissing(name: string, message: string, check: string, skipped: () => void): void {
  if (ciDemandsServers()) {
    describe(name, () => {
      it(`${check} (CI is set, so this does not skip)`, () => {
        throw new Error(message);
      });
    });
    return;
  }
  const rule = '!'.repeat(78);
  console.warn(`\n${rule}\n!! SKIPPED: ${message}\n!! (with CI set, this fails instead)\n${rule}\n`);
  describe.skip(name, skipped);
}

export type Availability = { available: true } | { available: false; reason: string };

/** How a describe block gets its server: its name in messages, whether it is there, how to start it. */
export interface RealServerKind<S extends { stop(): Promise<void> }> {
  /** "Dovecot", "Cyrus". */
  name: string;
  availability: () => Availability;
  installHint: string;
  start: () => Promise<S>;
}

/**
 * Declares a describe block that runs against one server, started before its tests and stopped
 * after them. `body` gets a getter for the running server (call it inside tests and hooks).
 */
export function describeWithServer<S extends { stop(): Promise<void> }>(kind: RealServerKind<S>, name: string, body: (server: () => S) => void): void {
  const availability = kind.availability();
  if (availability.available) {
    describe(name, () => {
      let server: S | undefined;
      beforeAll(async () => {
        server = await kind.start();
      });
      afterAll(async () => {
        await server?.stop();
      });
      body(() => {
        if (!server) throw new Error(`${kind.name} did not start: see the error of the beforeAll hook`);
        return server;
      });
    });
    return;
  }
  const message = `${kind.name} is needed by "${name}": ${availability.reason}. Install: ${kind.installHint}`;
  describeMissing(name, message, `has a ${kind.name} to test against`, () => {
    body(() => {
      throw new Error(message);
    });
  });
}

export interface MailPorts {
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
}

/** Free loopback ports: all bound at once so they differ, then released for the server (a tiny race). */
export async function freeMailPorts(): Promise<MailPorts> {
  const servers = await Promise.all([0, 1, 2, 3].map(() => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  const [imap, imaps, pop3, pop3s] = ports as [number, number, number, number];
  return { imap, imaps, pop3, pop3s };
}
