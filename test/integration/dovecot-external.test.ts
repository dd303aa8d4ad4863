/**
 * SASL EXTERNAL (RFC 4422 Appendix A) against a real Dovecot that asks TLS clients for a certificate
 * and takes the user name from it: mailwire presents --cert/--key and logs in without a password.
 */
import { expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { tlsCases } from '../support/tls-cases.js';

describeDovecot(
  'EXTERNAL with a client certificate, against Dovecot',
  (dovecot) => {
    const client = () => ['--cert', tlsCases().clientJoe.certFile, '--key', tlsCases().clientJoe.keyFile];

    it('IMAP: logs joe in by his certificate over imaps://', async () => {
      const r = await runMain([`imaps://127.0.0.1:${dovecot().imapsPort}`, '--ca', dovecot().caFile, '--servername', 'localhost', ...client(), '-c', 'AUTHENTICATE EXTERNAL', '-c', 'LOGOUT']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/C: A001 AUTHENTICATE EXTERNAL =\nS: A001 OK .*Logged in/);
    });

    it('POP3: logs joe in by his certificate after STLS', async () => {
      const r = await runMain([`pop3://127.0.0.1:${dovecot().pop3Port}`, '--starttls', '--ca', dovecot().caFile, '--servername', 'localhost', ...client(), '-c', 'AUTH EXTERNAL', '-c', 'STAT', '-c', 'QUIT']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/C: AUTH EXTERNAL =\nS: \+OK Logged in\.\nC: STAT\nS: \+OK /);
    });
  },
  { clientCertificates: true },
);
