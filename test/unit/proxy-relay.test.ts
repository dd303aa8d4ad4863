/**
 * The proxy's relays as playbooks: bytes of one side in, the bytes each leg gets and the events shown
 * out. What reaches each leg must not depend on where TCP chunk boundaries fall.
 */
import { describe, expect, it } from 'vitest';
import { adjustCapabilities, adjustImapCapabilityLine, adjustPop3CapaLine } from '../../src/proxy/capabilities.js';
import { ImapRelay } from '../../src/proxy/imap-relay.js';
import { Pop3Relay } from '../../src/proxy/pop3-relay.js';
import type { Relay, RelayAction } from '../../src/proxy/relay-actions.js';
import { saslResponseUser } from '../../src/proxy/sasl-user.js';

const PLAIN = { canStartTls: false, clientSecure: false, serverSecure: false };
const WITH_CERT = { canStartTls: true, clientSecure: false, serverSecure: false };

/** Feeds `bytes` to one side in pieces cut at `cuts`; returns everything each leg got and every action. */
function feed(relay: Relay, side: 'client' | 'server', bytes: Buffer, cuts: number[] = []): RelayAction[] {
  const actions: RelayAction[] = [];
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    const piece = bytes.subarray(from, at);
    actions.push(...(side === 'client' ? relay.fromClient(piece) : relay.fromServer(piece)));
    from = at;
  }
  return actions;
}

function legBytes(actions: RelayAction[], type: 'to-client' | 'to-server'): string {
  return Buffer.concat(actions.flatMap((a) => (a.type === type ? [a.bytes] : []))).toString('latin1');
}

function shownText(actions: RelayAction[]): string[] {
  return actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'client-line' ? [a.event.text] : []));
}

describe('ImapRelay', () => {
  const server = '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED AUTH=SCRAM-SHA-256 AUTH=SCRAM-SHA-256-PLUS COMPRESS=DEFLATE] ready\r\n* 1 FETCH (BODY[] {11}\r\nhello\r\nbye\r\n)\r\nA1 OK done\r\n';
  const client = 'A1 LOGIN joe "s3cret"\r\nA2 APPEND INBOX {12+}\r\nSubject: x\r\n\r\nA3 NOOP\r\n';

  it('relays every octet of both sides as it came, wherever the chunks are cut', () => {
    const whole = { server: legBytes(feed(new ImapRelay({ ...PLAIN, serverSecure: true }), 'server', Buffer.from(server)), 'to-client'), client: legBytes(feed(new ImapRelay(PLAIN), 'client', Buffer.from(client)), 'to-server') };
    expect(whole.client).toBe(client);
    expect(whole.server).toBe(server.replace(' STARTTLS LOGINDISABLED', '').replace(' AUTH=SCRAM-SHA-256-PLUS', ''));
    for (let cut = 1; cut < server.length; cut++) {
      expect(legBytes(feed(new ImapRelay({ ...PLAIN, serverSecure: true }), 'server', Buffer.from(server), [cut]), 'to-client')).toBe(whole.server);
    }
    for (let cut = 1; cut < client.length; cut++) {
      expect(legBytes(feed(new ImapRelay(PLAIN), 'client', Buffer.from(client), [cut]), 'to-server')).toBe(client);
    }
    const oneByOne = [...Array(client.length).keys()].slice(1);
    expect(legBytes(feed(new ImapRelay(PLAIN), 'client', Buffer.from(client), oneByOne), 'to-server')).toBe(client);
  });

  it('shows the server line as sent and says what the client got instead', () => {
    const actions = feed(new ImapRelay({ ...PLAIN, serverSecure: true }), 'server', Buffer.from(server));
    const first = actions.find((a) => a.type === 'show' && a.event.kind === 'imap-segment');
    expect(first?.type === 'show' && first.event.kind === 'imap-segment' && first.event.bytes.toString()).toContain('SCRAM-SHA-256-PLUS');
    const notes = actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'notice' ? [a.event.text] : []));
    expect(notes).toEqual([
      expect.stringContaining('STARTTLS taken out'),
      expect.stringContaining('LOGINDISABLED taken out'),
      expect.stringContaining('AUTH=SCRAM-SHA-256-PLUS taken out'),
    ]);
    const noCompress = feed(new ImapRelay({ ...PLAIN, serverSecure: true, followCompress: false }), 'server', Buffer.from(server));
    expect(legBytes(noCompress, 'to-client')).not.toContain('COMPRESS');
    expect(noCompress.flatMap((a) => (a.type === 'show' && a.event.kind === 'notice' ? [a.event.text] : []))).toContainEqual(expect.stringContaining('COMPRESS=DEFLATE taken out (--no-compress)'));
  });

  it('writes the last line of a literal without CRLF together with the text after it, as the session does', () => {
    const client = 'A2 APPEND INBOX {5}\r\nhello\r\nA3 LOGIN {3}\r\njoe {8}\r\npassword\r\n';
    const expected = ['A2 APPEND INBOX {5}', 'hello', 'A3 LOGIN {3}', 'joe {8}', '<secret>', ''];
    expect(shownText(feed(new ImapRelay(PLAIN), 'client', Buffer.from(client)))).toEqual(expected);
    for (let cut = 1; cut < client.length; cut++) expect(shownText(feed(new ImapRelay(PLAIN), 'client', Buffer.from(client), [cut]))).toEqual(expected);
    // Whose secret the <secret> literal is, for replay: the user named on the line or sent as a literal.
    expect(feed(new ImapRelay(PLAIN), 'client', Buffer.from(client)).filter((a) => a.type === 'secret-user')).toEqual([{ type: 'secret-user', user: 'joe' }]);
    expect(feed(new ImapRelay(PLAIN), 'client', Buffer.from('A4 LOGIN "mrose" {8}\r\ntanstaaf\r\n')).filter((a) => a.type === 'secret-user')).toEqual([{ type: 'secret-user', user: 'mrose' }]);
  });

  it('follows COMPRESS: the switch comes right after the OK, wherever the chunks are cut, and what follows is deflate', () => {
    const deflated = Buffer.from([0x2a, 0xd2, 0x35, 0x0a, 0x00, 0x00, 0x00, 0xff, 0xff]);
    const reply = Buffer.concat([Buffer.from('* 2 EXISTS\r\nC1 OK DEFLATE active\r\n'), deflated]);
    const okEnd = reply.length - deflated.length;
    for (let cut = 1; cut < reply.length; cut++) {
      const relay = new ImapRelay(PLAIN);
      expect(legBytes(feed(relay, 'client', Buffer.from('C1 COMPRESS DEFLATE\r\n')), 'to-server')).toBe('C1 COMPRESS DEFLATE\r\n');
      // After the switch the connection hands what comes to the inflater, not to the relay.
      let actions = relay.fromServer(reply.subarray(0, cut));
      let pending = Buffer.alloc(0);
      if (actions.some((a) => a.type === 'compress')) pending = reply.subarray(cut);
      else actions = [...actions, ...relay.fromServer(reply.subarray(cut))];
      const at = actions.findIndex((a) => a.type === 'compress');
      expect(at, `cut at ${cut}`).toBeGreaterThan(0);
      // The OK reaches the client in clear before the switch; the deflate after it is left to the inflater.
      expect(legBytes(actions.slice(0, at), 'to-client')).toBe('* 2 EXISTS\r\nC1 OK DEFLATE active\r\n');
      expect(legBytes(actions.slice(at), 'to-client')).toBe('');
      const switched = actions[at];
      expect(Buffer.concat([switched?.type === 'compress' ? switched.serverPending : Buffer.alloc(0), pending]).toString('hex')).toBe(reply.subarray(okEnd).toString('hex'));
      // The inflated stream goes on being framed from the line after the OK.
      expect(legBytes(relay.fromServer(Buffer.from('* 3 EXISTS\r\n')), 'to-client')).toBe('* 3 EXISTS\r\n');
    }
  });

  it('does not switch when the server refuses COMPRESS', () => {
    const relay = new ImapRelay(PLAIN);
    feed(relay, 'client', Buffer.from('C1 COMPRESS DEFLATE\r\n'));
    const actions = feed(relay, 'server', Buffer.from('C1 NO [COMPRESSIONACTIVE] already\r\n* 2 EXISTS\r\n'));
    expect(actions.some((a) => a.type === 'compress')).toBe(false);
    expect(legBytes(actions, 'to-client')).toBe('C1 NO [COMPRESSIONACTIVE] already\r\n* 2 EXISTS\r\n');
  });

  it('shows a client\'s invalid UTF-8 as \\xNN, as a transcript writes it, and relays the octets as they came', () => {
    const relay = new ImapRelay(PLAIN);
    const bytes = Buffer.concat([Buffer.from('a4 SELECT "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\r\n')]);
    const actions = feed(relay, 'client', bytes);
    expect(shownText(actions)).toEqual(['a4 SELECT "\\xff\\xfe"']);
    expect(legBytes(actions, 'to-server')).toBe(bytes.toString('latin1'));
    const pop3 = new Pop3Relay(PLAIN);
    expect(shownText(feed(pop3, 'client', Buffer.concat([Buffer.from('TOP '), Buffer.from([0xff]), Buffer.from(' 0\r\n')])))).toEqual(['TOP \\xff 0']);
  });

  it('shows a client\'s text that looks like an escape with its backslash as \\x5c, controls escaped, in a literal too', () => {
    const relay = new ImapRelay(PLAIN);
    const bytes = Buffer.from('a5 SEARCH SUBJECT "C:\\\\x1b\x09" TEXT {6+}\r\n\\x41\r\n \\x4{3+}\r\n\\u{202e}\r\n');
    const actions = feed(relay, 'client', bytes);
    // The literal `\x4` and the text `{3+}` after it are one line: its backslash is written for the whole.
    expect(shownText(actions)).toEqual(['a5 SEARCH SUBJECT "C:\\\\x5cx1b\\x09" TEXT {6+}', '\\x5cx41', ' \\x4{3+}', '\\x5cu{202e}']);
    expect(legBytes(actions, 'to-server')).toBe(bytes.toString('latin1'));
    const pop3 = new Pop3Relay(PLAIN);
    expect(shownText(feed(pop3, 'client', Buffer.from('USER C:\\x41\x7f\r\n')))).toEqual(['USER C:\\x5cx41\\x7f']);
  });

  it('masks LOGIN and AUTHENTICATE secrets on screen and names the user for the recording', () => {
    const relay = new ImapRelay(PLAIN);
    const login = feed(relay, 'client', Buffer.from('A1 LOGIN joe "s3cret"\r\n'));
    expect(shownText(login)).toEqual(['A1 LOGIN joe <secret>']);
    const auth = feed(relay, 'client', Buffer.from(`A2 AUTHENTICATE PLAIN\r\n`));
    feed(relay, 'server', Buffer.from('+ \r\n'));
    const response = feed(relay, 'client', Buffer.from(`${Buffer.from('\0fred\0pw').toString('base64')}\r\n`));
    expect(shownText([...auth, ...response])).toEqual(['A2 AUTHENTICATE PLAIN', '<secret>']);
    expect(response).toContainEqual({ type: 'secret-user', user: 'fred' });
    feed(relay, 'server', Buffer.from('A2 OK done\r\n'));
    expect(shownText(feed(relay, 'client', Buffer.from('A3 NOOP\r\n')))).toEqual(['A3 NOOP']);
  });

  it('answers STARTTLS itself and drops what the client sent after it in the same read', () => {
    const relay = new ImapRelay(WITH_CERT);
    const actions = feed(relay, 'client', Buffer.from('S1 STARTTLS\r\nS2 LOGIN joe injected\r\n'));
    expect(legBytes(actions, 'to-server')).toBe('');
    expect(legBytes(actions, 'to-client')).toMatch(/^S1 OK /);
    expect(actions.some((a) => a.type === 'client-tls')).toBe(true);
    expect(actions.filter((a) => a.type === 'show' && !a.own && a.event.kind !== 'notice')).toEqual([]);
    relay.clientTlsEstablished();
    expect(legBytes(feed(relay, 'client', Buffer.from('S3 NOOP\r\n')), 'to-server')).toBe('S3 NOOP\r\n');
  });

  it('refuses COMPRESS itself with --no-compress, and STARTTLS without a certificate', () => {
    const relay = new ImapRelay({ ...PLAIN, followCompress: false });
    expect(legBytes(feed(relay, 'client', Buffer.from('C1 COMPRESS DEFLATE\r\n')), 'to-client')).toMatch(/^C1 NO \[CANNOT\]/);
    expect(legBytes(feed(relay, 'client', Buffer.from('C2 STARTTLS\r\n')), 'to-client')).toMatch(/^C2 NO \[CANNOT\] .*no certificate/);
  });

  it('ends both legs on a line over the cap', () => {
    const relay = new ImapRelay({ ...PLAIN, maxLineBytes: 100 });
    expect(feed(relay, 'server', Buffer.alloc(200, 0x41))).toContainEqual({ type: 'close', reason: expect.stringContaining('exceeds 100 octets') });
  });
});

describe('Pop3Relay', () => {
  it('relays a multi-line RETR with its dot-stuffing, wherever the chunks are cut', () => {
    const reply = '+OK ready\r\n+OK 2 lines\r\n..dot\r\nplain\r\n.\r\n';
    const whole = (cuts: number[]): string => {
      const relay = new Pop3Relay(PLAIN);
      feed(relay, 'client', Buffer.from('RETR 1\r\n'));
      return legBytes(feed(relay, 'server', Buffer.from(reply), cuts), 'to-client');
    };
    expect(whole([])).toBe(reply);
    for (let cut = 1; cut < reply.length; cut++) expect(whole([cut])).toBe(reply);
  });

  it('adjusts CAPA for the client, masks PASS and AUTH, answers STLS', () => {
    const relay = new Pop3Relay(WITH_CERT);
    feed(relay, 'server', Buffer.from('+OK ready\r\n'));
    feed(relay, 'client', Buffer.from('CAPA\r\n'));
    const capa = legBytes(feed(relay, 'server', Buffer.from('+OK\r\nSASL PLAIN SCRAM-SHA-1-PLUS\r\nUSER\r\n.\r\n')), 'to-client');
    expect(capa).toBe('+OK\r\nSASL PLAIN\r\nUSER\r\nSTLS\r\n.\r\n');
    expect(shownText(feed(relay, 'client', Buffer.from('USER joe\r\nPASS my secret\r\n')))).toEqual(['USER joe', 'PASS <secret>']);
    const auth = feed(relay, 'client', Buffer.from(`AUTH CRAM-MD5\r\n${Buffer.from('mrose b913a602c7eda7a495b4e6e7334d3890').toString('base64')}\r\n`));
    expect(shownText(auth)).toEqual(['AUTH CRAM-MD5', '<secret>']);
    expect(auth).toContainEqual({ type: 'secret-user', user: 'mrose' });
    const stls = feed(new Pop3Relay(WITH_CERT), 'client', Buffer.from('STLS\r\n'));
    expect(legBytes(stls, 'to-client')).toMatch(/^\+OK /);
    expect(legBytes(stls, 'to-server')).toBe('');
  });
});

describe('capability adjustments', () => {
  it('take out what cannot pass a proxy, and add STARTTLS when the proxy can answer it', () => {
    expect(adjustCapabilities(['IMAP4rev1', 'AUTH=PLAIN'], { offerStartTls: true, serverLegSecure: true, followCompress: true }, 'imap').words).toEqual(['IMAP4rev1', 'AUTH=PLAIN', 'STARTTLS']);
    expect(adjustImapCapabilityLine(Buffer.from('* CAPABILITY IMAP4rev1 IDLE'), { offerStartTls: false, serverLegSecure: false, followCompress: true })).toBeNull();
    expect(adjustImapCapabilityLine(Buffer.from('a OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] Logged in'), { offerStartTls: false, serverLegSecure: false, followCompress: false })?.line.toString()).toBe('a OK [CAPABILITY IMAP4rev1] Logged in');
    expect(adjustImapCapabilityLine(Buffer.from('a OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] Logged in'), { offerStartTls: false, serverLegSecure: false, followCompress: true })).toBeNull();
    expect(adjustPop3CapaLine(Buffer.from('STLS'), { offerStartTls: false, serverLegSecure: true, followCompress: true })?.line).toBeNull();
  });
});

describe('saslResponseUser', () => {
  it('ends both legs once on a client line over the cap, and holds nothing of what the client sends after it', () => {
    const relay = new Pop3Relay({ ...PLAIN, maxClientLineBytes: 100 });
    const first = feed(relay, 'client', Buffer.concat([Buffer.from('USER '), Buffer.alloc(200, 0x75)]));
    expect(first.filter((a) => a.type === 'close')).toHaveLength(1);
    // A client that goes on sending (a long line never ended): no second close, no memory kept.
    for (let i = 0; i < 100; i++) expect(relay.fromClient(Buffer.alloc(64 * 1024, 0x75)).filter((a) => a.type === 'close')).toEqual([]);
    expect((relay as unknown as { clientLines: { bufferedBytes: number } }).clientLines.bufferedBytes).toBe(0);
  });

  it('reads the user of PLAIN, LOGIN, CRAM-MD5 and SCRAM first responses, nothing else', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    expect(saslResponseUser('PLAIN', 0, b64('admin\0joe\0pw'))).toBe('joe');
    expect(saslResponseUser('LOGIN', 0, b64('joe'))).toBe('joe');
    expect(saslResponseUser('LOGIN', 1, b64('pw'))).toBeNull();
    expect(saslResponseUser('CRAM-MD5', 0, b64('joe 0123'))).toBe('joe');
    expect(saslResponseUser('SCRAM-SHA-256', 0, b64('n,,n=jo=2Ce,r=abc'))).toBe('jo,e');
    expect(saslResponseUser('PLAIN', 0, 'not base64!')).toBeNull();
  });
});

describe('what the time limits see', () => {
  const count = (actions: RelayAction[], type: 'client-command' | 'logged-in'): number => actions.filter((a) => a.type === type).length;

  it('IMAP: a complete command counts, a line announcing a literal or a literal does not; the OK to LOGIN is a login', () => {
    const relay = new ImapRelay(PLAIN);
    feed(relay, 'server', Buffer.from('* OK ready\r\n'));
    expect(count(feed(relay, 'client', Buffer.from('a1 NOOP\r\na2 LOGIN {3}\r\n')), 'client-command')).toBe(1);
    expect(count(feed(relay, 'client', Buffer.from('joe {6}\r\nsecr')), 'client-command')).toBe(0);
    expect(count(feed(relay, 'client', Buffer.from('et\r\n')), 'client-command')).toBe(1);
    expect(count(feed(relay, 'server', Buffer.from('a1 OK done\r\n')), 'logged-in')).toBe(0);
    expect(count(feed(relay, 'server', Buffer.from('a2 OK [CAPABILITY IMAP4rev1] Logged in\r\n')), 'logged-in')).toBe(1);
    const refused = new ImapRelay(PLAIN);
    feed(refused, 'client', Buffer.from('a1 LOGIN joe wrong\r\n'));
    expect(count(feed(refused, 'server', Buffer.from('* OK ready\r\na1 NO [AUTHENTICATIONFAILED] no\r\n')), 'logged-in')).toBe(0);
    expect(count(feed(new ImapRelay(PLAIN), 'server', Buffer.from('* PREAUTH welcome back\r\n')), 'logged-in')).toBe(1);
  });

  it('POP3: each line counts; +OK to PASS, APOP or an AUTH exchange is a login, +OK to USER or to AUTH alone is not', () => {
    const relay = new Pop3Relay(PLAIN);
    feed(relay, 'server', Buffer.from('+OK ready\r\n'));
    expect(count(feed(relay, 'client', Buffer.from('USER joe\r\nPA')), 'client-command')).toBe(1);
    expect(count(feed(relay, 'server', Buffer.from('+OK joe\r\n')), 'logged-in')).toBe(0);
    expect(count(feed(relay, 'client', Buffer.from('SS secret\r\n')), 'client-command')).toBe(1);
    expect(count(feed(relay, 'server', Buffer.from('+OK in\r\n')), 'logged-in')).toBe(1);
    const sasl = new Pop3Relay(PLAIN);
    feed(sasl, 'server', Buffer.from('+OK ready\r\n'));
    feed(sasl, 'client', Buffer.from('AUTH\r\n'));
    expect(count(feed(sasl, 'server', Buffer.from('+OK\r\nPLAIN\r\n.\r\n')), 'logged-in')).toBe(0);
    feed(sasl, 'client', Buffer.from('AUTH PLAIN\r\n'));
    feed(sasl, 'server', Buffer.from('+ \r\n'));
    feed(sasl, 'client', Buffer.from('AGpvZQBzZWNyZXQ=\r\n'));
    expect(count(feed(sasl, 'server', Buffer.from('+OK in\r\n')), 'logged-in')).toBe(1);
  });
});
