/**
 * Checks the Dovecot fixture itself with bare node:net / node:tls sockets (no mailwire code), so a
 * failure here means the test server is broken, not the client.
 */
import { createHash } from 'node:crypto';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { clients, LineClient, plain } from '../support/line-client.js';
import { describeDovecot } from '../support/dovecot.js';

describeDovecot('Dovecot test fixture', (dovecot) => {
  it('greets on the IMAP port, offers STARTTLS and accepts LOGIN', async () => {
    const imap = plain(dovecot().imapPort);
    expect(await imap.greeting()).toMatch(/^\* OK /);
    const capability = await imap.command('a0 CAPABILITY', 'a0 ');
    expect(capability.at(-1)).toMatch(/^a0 OK/);
    expect(capability.join(' ')).toMatch(/\bSTARTTLS\b/);
    const { user, password } = dovecot().users.joe;
    expect((await imap.command(`a1 LOGIN ${user} ${password}`, 'a1 ')).at(-1)).toMatch(/^a1 OK/);
  });

  it('serves imaps with a certificate the test CA verifies for localhost', async () => {
    const server = dovecot();
    const socket: TLSSocket = tlsConnect({
      host: server.host, port: server.imapsPort, servername: 'localhost', ca: readFileSync(server.caFile),
    });
    const imaps = new LineClient(socket);
    clients.push(imaps);
    expect(await imaps.greeting()).toMatch(/^\* OK /);
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerCertificate().subject.CN).toBe(server.certSubjectCN);
  });

  it('puts an APOP timestamp in the POP3 greeting and accepts the RFC 1939 digest', async () => {
    const pop3 = plain(dovecot().pop3Port);
    const greeting = await pop3.greeting();
    const timestamp = /<[^>]+>/.exec(greeting)?.[0];
    expect(timestamp).toBeDefined();
    const { user, password } = dovecot().users.mrose;
    const digest = createHash('md5').update(`${timestamp}${password}`).digest('hex');
    expect((await pop3.command(`APOP ${user} ${digest}`, '')).at(-1)).toMatch(/^\+OK/);
  });

  it('counts a delivered message in STAT', async () => {
    const server = dovecot();
    server.deliver('joe', 'From: a@example.org\r\nTo: joe@example.org\r\nSubject: hi\r\n\r\nHello.\r\n');
    const pop3 = plain(server.pop3Port);
    await pop3.greeting();
    expect((await pop3.command('USER joe', '')).at(-1)).toMatch(/^\+OK/);
    expect((await pop3.command(`PASS ${server.users.joe.password}`, '')).at(-1)).toMatch(/^\+OK/);
    expect((await pop3.command('STAT', '')).at(-1)).toMatch(/^\+OK 1 \d+$/);
  });
});
