import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apopCommandLine, apopDigest, greetingTimestamp, parseApopRequest } from '../../src/protocol/pop3/apop.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/pop3/', import.meta.url));

/** The S: and C: lines of an RFC example, in order. */
function transcript(file: string): string[] {
  return readFileSync(FIXTURES + file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('S: ') || l.startsWith('C: '));
}

describe('APOP (RFC 1939 §7)', () => {
  it.each(['rfc1939-7-apop.txt', 'rfc1939-sec10-apop-session.txt'])('%s: computes the RFC\'s APOP line from its greeting', (file) => {
    const lines = transcript(file);
    const greeting = lines.find((l) => l.startsWith('S: +OK'))!.slice(3);
    const apop = lines.find((l) => l.startsWith('C: APOP'))!.slice(3);
    const timestamp = greetingTimestamp(greeting);
    expect(timestamp).toBe('<1896.697170952@dbc.mtview.ca.us>');
    expect(apopDigest(timestamp!, 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
    expect(apopCommandLine('mrose', timestamp!, 'tanstaaf')).toBe(apop);
  });

  it('hashes the secret as UTF-8', () => {
    const expected = createHash('md5').update(Buffer.from('<1.2@h>пароль', 'utf8')).digest('hex');
    expect(apopDigest('<1.2@h>', 'пароль')).toBe(expected);
    expect(apopDigest('<1.2@h>', 'пароль')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('greetingTimestamp', () => {
  it('takes the msg-id of the greeting, angle brackets included', () => {
    expect(greetingTimestamp('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>')).toBe('<1896.697170952@dbc.mtview.ca.us>');
    expect(greetingTimestamp('+OK Dovecot ready. <2e5f.1.65a0b1c2.AbCdEf==@mail.example.org>')).toBe('<2e5f.1.65a0b1c2.AbCdEf==@mail.example.org>');
    expect(greetingTimestamp('+OK <1.2@h> ready')).toBe('<1.2@h>');
    expect(greetingTimestamp('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n')).toBe('<1896.697170952@dbc.mtview.ca.us>');
  });

  it('takes the last one when free text has angle brackets too', () => {
    expect(greetingTimestamp('+OK ask <admin@example.org>, <77.1@pop.example.org>')).toBe('<77.1@pop.example.org>');
  });

  it('finds none where there is no complete msg-id', () => {
    expect(greetingTimestamp('+OK POP3 server ready')).toBeNull();
    expect(greetingTimestamp('+OK pop.example.com BlurdyBlurp POP3 server ready')).toBeNull();
    expect(greetingTimestamp('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us')).toBeNull();
    expect(greetingTimestamp('+OK POP3 server ready 1896.697170952@dbc.mtview.ca.us>')).toBeNull();
    expect(greetingTimestamp('+OK ready <1896.697170952>')).toBeNull();
    expect(greetingTimestamp('+OK ready <@host>')).toBeNull();
    expect(greetingTimestamp('+OK ready <1.2@>')).toBeNull();
    expect(greetingTimestamp('+OK ready <1 2@host>')).toBeNull();
    expect(greetingTimestamp('+OK ready <<1.2@host>')).toBe('<1.2@host>');
    expect(greetingTimestamp('')).toBeNull();
  });
});

describe('parseApopRequest', () => {
  it('recognises APOP without a digest: mailwire computes it', () => {
    expect(parseApopRequest('APOP mrose')).toEqual({ user: 'mrose', digest: null, digestWellFormed: true });
    expect(parseApopRequest('  apop   mrose  ')).toEqual({ user: 'mrose', digest: null, digestWellFormed: true });
  });

  it('recognises APOP with a digest: sent as typed', () => {
    expect(parseApopRequest('APOP mrose c4c9334bac560ecc979e58001b3e22fb')).toEqual({
      user: 'mrose',
      digest: 'c4c9334bac560ecc979e58001b3e22fb',
      digestWellFormed: true,
    });
    expect(parseApopRequest('APOP mrose tanstaaf')).toMatchObject({ digest: 'tanstaaf', digestWellFormed: false });
  });

  it('is null for anything else', () => {
    expect(parseApopRequest('APOP')).toBeNull();
    expect(parseApopRequest('APOP a b c')).toBeNull();
    expect(parseApopRequest('USER mrose')).toBeNull();
    expect(parseApopRequest('APOPX mrose')).toBeNull();
    expect(parseApopRequest('')).toBeNull();
  });
});
