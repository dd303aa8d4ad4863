/**
 * Checks the Cyrus fixture itself with bare node:net / node:tls sockets (no mailwire code), so a
 * failure here means the test server is broken, not the client; and that stop() leaves no process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { expect, it } from 'vitest';
import { clients, LineClient, plain } from '../support/line-client.js';
import { describeCyrus, startCyrus } from '../support/cyrus.js';

describeCyrus('Cyrus test fixture', (cyrus) => {
  it('greets on the IMAP port as Cyrus, offers STARTTLS and accepts LOGIN', async () => {
    const imap = plain(cyrus().imapPort);
    expect(await imap.line()).toMatch(/^\* OK .* Cyrus IMAP /);
    const capability = await imap.command('a0 CAPABILITY', 'a0 ');
    expect(capability.at(-1)).toMatch(/^a0 OK/);
    expect(capability.join(' ')).toMatch(/\bSTARTTLS\b.*\bAUTH=SCRAM-SHA-256\b/);
    const { user, password } = cyrus().users.joe;
    // Cyrus names the session in the completion: the volatile value replay has to know.
    expect((await imap.command(`a1 LOGIN ${user} ${password}`, 'a1 ')).at(-1)).toMatch(/^a1 OK .*SESSIONID=<[^>]+>/);
    expect((await imap.command('a2 SELECT INBOX', 'a2 ')).at(-1)).toMatch(/^a2 OK \[READ-WRITE\]/);
  });

  it('serves imaps with a certificate the test CA verifies for localhost', async () => {
    const server = cyrus();
    const socket: TLSSocket = tlsConnect({
      host: server.host, port: server.imapsPort, servername: 'localhost', ca: readFileSync(server.caFile),
    });
    const imaps = new LineClient(socket);
    clients.push(imaps);
    expect(await imaps.line()).toMatch(/^\* OK /);
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerCertificate().subject.CN).toBe(server.certSubjectCN);
  });

  it('puts an APOP timestamp in the POP3 greeting and accepts the RFC 1939 digest', async () => {
    const pop3 = plain(cyrus().pop3Port);
    const greeting = await pop3.line();
    const timestamp = /<[^>]+>/.exec(greeting)?.[0];
    expect(timestamp).toBeDefined();
    const { user, password } = cyrus().users.mrose;
    const digest = createHash('md5').update(`${timestamp}${password}`).digest('hex');
    expect((await pop3.command(`APOP ${user} ${digest}`, '')).at(-1)).toMatch(/^\+OK/);
  });

  it('counts a delivered message in STAT, and takes users added later', async () => {
    const server = cyrus();
    server.addUsers([{ user: 'fixture1', password: 'p w"1' }]);
    await server.deliver('fixture1', 'From: a@example.org\r\nTo: fixture1@example.org\r\nSubject: hi\r\n\r\nHello.\r\n');
    const pop3 = plain(server.pop3Port);
    await pop3.line();
    expect((await pop3.command('USER fixture1', '')).at(-1)).toMatch(/^\+OK/);
    expect((await pop3.command('PASS p w"1', '')).at(-1)).toMatch(/^\+OK/);
    expect((await pop3.command('STAT', '')).at(-1)).toMatch(/^\+OK 1 \d+$/);
  });
});

describeCyrus('Cyrus test fixture, stopping', () => {
  it('leaves no process and no folder behind', async () => {
    const server = await startCyrus();
    const mine = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(`${server.dir}/`);
      } catch {
        return false;
      }
    });
    // The master and idled at least.
    expect(mine().length).toBeGreaterThanOrEqual(2);
    const pop3 = plain(server.pop3Port);
    expect(await pop3.line()).toMatch(/^\+OK /);
    await server.stop();
    expect(mine()).toEqual([]);
    expect(existsSync(server.dir)).toBe(false);
  });
});
