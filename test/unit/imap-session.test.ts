import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMAP_COMMANDS } from '../../src/protocol/imap/commands.js';
import { maskImapCommand } from '../../src/protocol/imap/request.js';
import type { SessionAction } from '../../src/session/actions.js';
import { receiveRead } from '../../src/session/client-session.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { playImap, steppingClock, transcriptLines } from '../support/playbook.js';
import { readRfcTranscript, rfcTranscriptFiles, type TranscriptLine } from '../support/rfc-transcript.js';

const clock = steppingClock;
const lines = transcriptLines;

/**
 * Where an RFC example leaves out the server's "+" before a synchronizing literal, a correct client
 * never sends the literal: RFC 3501 §6.4.4 prints `{6}` then the data with no continuation request.
 */
const LITERAL_NEVER_INVITED: Record<string, string> = {
  'rfc3501-6.4.4-search.txt': 'XXXXXX\r\n',
};

describe('ImapSession against the RFC examples', () => {
  it.each(rfcTranscriptFiles('imap'))('%s: sends exactly the client lines the RFC shows', (file) => {
    const t = readRfcTranscript('imap', file);
    const session = new ImapSession(clock());
    // Most examples start mid-session: give them a greeting so the state machine is past it.
    if (t.lines[0]?.direction !== 'S') session.receive(Buffer.from('* OK ready\r\n'));
    const result = playImap(session, t.lines);
    const uninvited = LITERAL_NEVER_INVITED[file];
    const expected = t.client.toString('utf8').replace(uninvited ?? '\0', '');
    expect(result.sent.toString('utf8')).toBe(expected);
    if (uninvited) expect(result.events.some((e) => e.kind === 'notice' && /literal not sent/.test(e.text))).toBe(true);
  });

  it('tracks the state through RFC 3501 §8 and matches every completion to its command', () => {
    const session = new ImapSession(clock());
    const result = playImap(session, readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt').lines);
    expect(session.state).toBe('logout');
    expect(session.pendingCount).toBe(0);
    const completed = result.actions.filter((a) => a.type === 'completed');
    expect(completed).toHaveLength(6);
    expect(completed.every((a) => a.type === 'completed' && a.ok)).toBe(true);
    // The example logs in over plain TCP: the only remark is that the password went in clear.
    expect(result.warnings).toEqual(['LOGIN sent the password in clear over plain TCP: anyone on the network path can read it (--starttls or imaps:// would protect it)']);
    // Every tagged completion carries the time since its command went out.
    const tagged = result.events.filter((e) => e.kind === 'imap-segment' && e.latencyMs !== undefined);
    expect(tagged).toHaveLength(6);
  });

  it('hides the LOGIN password in what it shows, but sends it', () => {
    const session = new ImapSession(clock());
    const result = playImap(session, readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt').lines);
    const shown = result.events.filter((e) => e.kind === 'client-line').map((e) => (e.kind === 'client-line' ? e.text : ''));
    expect(shown[0]).toBe('a001 login mrc <secret>');
    expect(result.sent.toString()).toContain('a001 login mrc secret\r\n');
  });

  it('masks a LOGIN password sent as a literal (RFC 3501 §7.5)', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK ready\r\n'));
    const result = playImap(session, readRfcTranscript('imap', 'rfc3501-7.5-continuation-literals.txt').lines);
    const shown = result.events.flatMap((e) => (e.kind === 'client-line' ? [e.text] : []));
    expect(shown.join('\n')).not.toContain('fat man');
    expect(shown).toContain('<secret>');
    expect(result.sent.toString()).toContain('fat man');
  });

  it('selects read-write and read-only mailboxes, and a failed SELECT leaves none selected', () => {
    const session = new ImapSession(clock());
    playImap(
      session,
      lines(`
        S: * PREAUTH ready
        C: a1 SELECT "Sent Items"
        S: a1 OK [READ-WRITE] done
      `),
    );
    expect(session.state).toBe('selected');
    expect(session.mailbox).toEqual({ name: 'Sent Items', readOnly: false });
    playImap(session, lines(`
      C: a2 EXAMINE INBOX
      S: a2 OK [READ-ONLY] done
    `));
    expect(session.mailbox).toEqual({ name: 'INBOX', readOnly: true });
    playImap(session, lines(`
      C: a3 SELECT nosuch
      S: a3 NO no such mailbox
    `));
    expect(session.state).toBe('authenticated');
    expect(session.mailbox).toBeNull();
  });

  it('numbers commands A001, A002 ... and skips tags the user typed', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK ready\r\n'));
    const a = session.submit({ segments: [Buffer.from('NOOP')], literals: [] });
    const b = session.submit({ segments: [Buffer.from('A002 NOOP')], literals: [] });
    const c = session.submit({ segments: [Buffer.from('capability')], literals: [] });
    expect([a.tag, b.tag, c.tag]).toEqual(['A001', 'A002', 'A003']);
    expect(session.pendingCount).toBe(3);
  });

  it('does not send a synchronizing literal the server refused (RFC 3501 §7.5 A044)', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK ready\r\n'));
    const { actions } = session.submit({
      segments: [Buffer.from('A044 BLURDYBLOOP {5}'), Buffer.alloc(0)],
      literals: [{ marker: { size: 5, binary: false, nonSynchronizing: false }, data: Buffer.from('hello') }],
    });
    expect(actions.filter((a) => a.type === 'send')).toHaveLength(1);
    expect(session.blockedOnLiteral).toBe(true);
    const after = session.receive(Buffer.from('A044 BAD No such command\r\n'));
    expect(after.some((a) => a.type === 'send')).toBe(false);
    expect(after).toContainEqual({ type: 'completed', id: 1, ok: false });
    expect(session.blockedOnLiteral).toBe(false);
  });

  it('shows each one-line command as masking the line it sent shows it (the unmasked path included)', () => {
    const names = IMAP_COMMANDS.flatMap((spec) => [spec.name, spec.name.toLowerCase()]);
    const word = fc.oneof(fc.constantFrom(...names), fc.constantFrom('a1', 'A001', 'UID', 'logın', 'joe', '"pass word"', '{5}', '=', 'PLAIN'), fc.string({ maxLength: 6 }));
    const line = fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' ')).filter((l) => !/[\r\n]/.test(l));
    let plain = 0;
    fc.assert(
      fc.property(line, (text) => {
        const session = new ImapSession(clock());
        session.receive(Buffer.from('* OK ready\r\n'));
        const { actions } = session.submit({ segments: [Buffer.from(text)], literals: [] });
        const sent = Buffer.concat(actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : []))).toString('utf8').replace(/\r\n$/, '');
        const shown = actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'client-line' ? [a.event.text] : []));
        const reference = maskImapCommand([sent]).segments[0];
        if (reference === sent) plain++;
        expect(shown).toEqual([reference]);
      }),
      { numRuns: 1000 },
    );
    expect(plain).toBeGreaterThan(100);
  });

  it('sends a LITERAL+ literal at once, without waiting for "+"', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK ready\r\n'));
    const { actions } = session.submit({
      segments: [Buffer.from('APPEND INBOX {5+}'), Buffer.alloc(0)],
      literals: [{ marker: { size: 5, binary: false, nonSynchronizing: true }, data: Buffer.from('hello') }],
    });
    const sent = Buffer.concat(actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : []))).toString();
    expect(sent).toBe('A001 APPEND INBOX {5+}\r\nhello\r\n');
  });

  it('warns about a tag it never sent and a continuation nobody asked for', () => {
    const session = new ImapSession(clock());
    const r = playImap(session, lines(`
      S: * OK ready
      S: Z999 OK spoofed
      S: + unasked
    `));
    expect(r.warnings.join('\n')).toMatch(/Z999/);
    expect(r.warnings.join('\n')).toMatch(/continuation/);
  });

  it('drops what follows the STARTTLS OK in the same read, and forgets capabilities after TLS', () => {
    const session = new ImapSession(clock());
    playImap(session, lines(`
      S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready
    `));
    expect(session.capabilities.has('STARTTLS')).toBe(true);
    session.submit({ segments: [Buffer.from('STARTTLS')], literals: [] });
    const actions = session.receive(Buffer.from('A001 OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n'));
    expect(actions.map((a) => a.type)).toContain('start-tls');
    const shown = actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'imap-segment' ? [a.event.bytes.toString()] : []));
    expect(shown).toEqual(['A001 OK Begin TLS']);
    const warning = actions.find((a) => a.type === 'show' && a.event.kind === 'notice' && a.event.level === 'warning');
    expect(warning).toBeDefined();
    expect(session.capabilities.has('AUTH=PLAIN')).toBe(false);
    session.tlsEstablished();
    expect(session.capabilities.size).toBe(0);
    expect(session.capabilitiesVoidedBy).toBe('STARTTLS');
  });

  it('says which command voided the capabilities, until the server announces them again', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n'));
    expect(session.capabilitiesVoidedBy).toBeNull();
    // A login whose reply announces capabilities keeps them known.
    session.submit({ segments: [Buffer.from('LOGIN joe pw')], literals: [] });
    session.receive(Buffer.from('A001 OK [CAPABILITY IMAP4rev1 IDLE MOVE] Logged in\r\n'));
    expect([session.capabilitiesVoidedBy, session.capabilities.has('MOVE')]).toEqual([null, true]);
    // So does an UNAUTHENTICATE whose reply announces them (RFC 8437 §3).
    session.submit({ segments: [Buffer.from('UNAUTHENTICATE')], literals: [] });
    session.receive(Buffer.from('A002 OK [CAPABILITY IMAP4rev1 IDLE] back\r\n'));
    expect([session.state, session.capabilitiesVoidedBy, session.capabilities.has('MOVE')]).toEqual(['not-authenticated', null, false]);
    // A login that announces none leaves them unknown, and says why (RFC 3501 §6.2.3).
    session.submit({ segments: [Buffer.from('AUTHENTICATE EXTERNAL =')], literals: [] });
    session.receive(Buffer.from('A003 OK done\r\n'));
    expect([session.capabilitiesVoidedBy, session.capabilities.size]).toEqual(['AUTHENTICATE', 0]);
    session.submit({ segments: [Buffer.from('CAPABILITY')], literals: [] });
    session.receive(Buffer.from('* CAPABILITY IMAP4rev1 IDLE UNAUTHENTICATE\r\nA004 OK done\r\n'));
    expect(session.capabilitiesVoidedBy).toBeNull();
    // An UNAUTHENTICATE that announces none: unknown again, and why.
    session.submit({ segments: [Buffer.from('UNAUTHENTICATE')], literals: [] });
    session.receive(Buffer.from('A005 OK done\r\n'));
    expect([session.state, session.capabilitiesVoidedBy, session.capabilities.size]).toEqual(['not-authenticated', 'UNAUTHENTICATE', 0]);
  });

  it('UNAUTHENTICATE (RFC 8437 §3): back to Not Authenticated, the mailbox closed, LOGIN valid again', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] ready\r\n'));
    session.submit({ segments: [Buffer.from('LOGIN joe pw')], literals: [] });
    session.receive(Buffer.from('A001 OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] in\r\n'));
    session.submit({ segments: [Buffer.from('SELECT INBOX')], literals: [] });
    session.receive(Buffer.from('* 2 EXISTS\r\nA002 OK [READ-WRITE] done\r\n'));
    expect([session.state, session.mailbox?.name]).toEqual(['selected', 'INBOX']);
    session.submit({ segments: [Buffer.from('UNAUTHENTICATE')], literals: [] });
    session.receive(Buffer.from('A003 OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] back to not authenticated\r\n'));
    expect([session.state, session.mailbox]).toEqual(['not-authenticated', null]);
    const again = session.submit({ segments: [Buffer.from('LOGIN joe pw')], literals: [] });
    const warnings = again.actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'notice' && a.event.level === 'warning' ? [a.event.text] : []));
    expect(warnings.filter((w) => /not valid in/.test(w))).toEqual([]);
    // A BAD (not offered, RFC 8437 §3: NO is not permitted) moves nothing.
    session.receive(Buffer.from('A004 OK in\r\n'));
    session.submit({ segments: [Buffer.from('UNAUTHENTICATE')], literals: [] });
    session.receive(Buffer.from('A005 BAD unknown command\r\n'));
    expect(session.state).toBe('authenticated');
  });

  it('takes lines 64 KiB at a time, the rest of a literal at once, and all of a read around STARTTLS', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n'));
    expect(session.receiveLength(1_000_000)).toBe(64 * 1024);
    expect(session.receiveLength(100)).toBe(100);
    session.submit({ segments: [Buffer.from('FETCH 1 BODY[]')], literals: [] });
    session.receive(Buffer.from('* 1 FETCH (BODY[] {5000000}\r\nFrom: a'));
    expect(session.receiveLength(1_000_000)).toBe(1_000_000);
    session.receive(Buffer.alloc(4_999_000, 0x61));
    expect(session.receiveLength(1_000_000)).toBe(64 * 1024);
    expect(session.receiveLength(990)).toBe(990);
    session.receive(Buffer.from(`${'b'.repeat(994)})\r\nA001 OK done\r\n`));
    expect(session.receiveLength(1_000_000)).toBe(64 * 1024);
    session.submit({ segments: [Buffer.from('STARTTLS')], literals: [] });
    session.receive(Buffer.from('A002 OK Begin TLS\r\n'));
    expect(session.receiveLength(1_000_000)).toBe(1_000_000);
  });

  it('takes a large read in those pieces (receiveRead), with the same actions as taken whole', () => {
    const fetch = (n: number) => `* ${n} FETCH (FLAGS (\\Seen) UID ${n})\r\n`;
    const read = Buffer.from(`${Array.from({ length: 6000 }, (_, i) => fetch(i + 1)).join('')}* 6001 FETCH (BODY[] {300000}\r\n${'x'.repeat(300_000)})\r\nA001 OK done\r\n`);
    const start = () => {
      const session = new ImapSession(clock());
      session.receive(Buffer.from('* OK ready\r\n'));
      session.submit({ segments: [Buffer.from('FETCH 1:* (FLAGS UID)')], literals: [] });
      return session;
    };
    /** The actions, a literal's data that came in two pieces joined into one. */
    const joined = (actions: SessionAction[]) =>
      actions.reduce<SessionAction[]>((out, a) => {
        const last = out[out.length - 1];
        if (a.type === 'show' && a.event.kind === 'imap-literal-data' && last?.type === 'show' && last.event.kind === 'imap-literal-data') {
          out[out.length - 1] = { ...last, event: { ...last.event, bytes: Buffer.concat([last.event.bytes, a.event.bytes]) } };
        } else {
          out.push(a);
        }
        return out;
      }, []);
    const whole = start().receive(read);
    const pieces: SessionAction[][] = [];
    receiveRead(start(), read, (actions) => pieces.push(actions));
    expect(joined(pieces.flat())).toEqual(joined(whole));
    // The lines 64 KiB at a time; the literal's 300,000 octets in one piece, not five.
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil((read.length - 300_000) / (64 * 1024)));
    expect(pieces.length).toBeLessThanOrEqual(Math.ceil((read.length - 300_000) / (64 * 1024)) + 2);
  });

  it('reports a connection closed mid-literal, mid-command, and accepts a close after LOGOUT', () => {
    const a = new ImapSession(clock());
    a.receive(Buffer.from('* OK ready\r\n'));
    a.submit({ segments: [Buffer.from('FETCH 1 BODY[]')], literals: [] });
    a.receive(Buffer.from('* 1 FETCH (BODY[] {100}\r\nonly part'));
    expect(a.connectionClosed()?.message).toMatch(/middle of a literal \(9 of 100 octets/);

    const b = new ImapSession(clock());
    b.receive(Buffer.from('* OK ready\r\n'));
    b.submit({ segments: [Buffer.from('NOOP')], literals: [] });
    expect(b.connectionClosed()?.message).toMatch(/waiting for A001 NOOP/);

    const c = new ImapSession(clock());
    playImap(c, lines(`
      S: * OK ready
      C: a1 LOGOUT
      S: * BYE bye
    `));
    expect(c.connectionClosed()).toBeNull();
  });

  it('asks the user to answer an AUTHENTICATE challenge and masks the answer', () => {
    const session = new ImapSession(clock());
    const r = playImap(session, lines(`
      S: * OK ready
      C: a1 AUTHENTICATE PLAIN
      S: +
      C: AGpvZQBwYXNzd29yZA==
      S: a1 OK done
    `));
    expect(r.sent.toString()).toContain('AGpvZQBwYXNzd29yZA==');
    const shown = r.events.flatMap((e) => (e.kind === 'client-line' ? [e.text] : []));
    expect(shown).toEqual(['a1 AUTHENTICATE PLAIN', '<secret>']);
    expect(session.state).toBe('authenticated');
  });
});

describe('ImapSession: what a session told of no decoded views skips', () => {
  it.each(rfcTranscriptFiles('imap'))('%s: sends and shows what a session whose views are all off does', (file) => {
    const t = readRfcTranscript('imap', file);
    const play = (session: ImapSession) => {
      if (t.lines[0]?.direction !== 'S') session.receive(Buffer.from('* OK ready\r\n'));
      return playImap(session, t.lines);
    };
    const none = play(new ImapSession(clock()));
    const off = play(new ImapSession(clock(), { decodedViews: () => new Set() }));
    expect(none.sent).toEqual(off.sent);
    expect(none.actions).toEqual(off.actions);
  });

  it('sends a line\'s octets as given, tagged or not, and shows them in display form', () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK ready\r\n'));
    const typed = Buffer.from('a1 NOOP');
    const sent = session.submit({ segments: [typed], literals: [] }).actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
    expect(Buffer.concat(sent).toString('latin1')).toBe('a1 NOOP\r\n');
    // A transcript's `\xff` is the octet 0xff, not U+FFFD; a text `\x41` is those four characters.
    const odd = Buffer.concat([Buffer.from('a2 SELECT '), Buffer.from([0xff, 0x61]), Buffer.from(' \\x41')]);
    const actions = session.submit({ segments: [odd], literals: [] }).actions;
    expect(Buffer.concat(actions.flatMap((a) => (a.type === 'send' ? [a.bytes] : [])))).toEqual(Buffer.concat([odd, Buffer.from('\r\n')]));
    const untagged = session.submit({ segments: [Buffer.from([0x4e, 0x4f, 0x4f, 0x50, 0x20, 0xfe])], literals: [] }).actions;
    expect(Buffer.concat(untagged.flatMap((a) => (a.type === 'send' ? [a.bytes] : [])))).toEqual(Buffer.from([...Buffer.from('A001 NOOP '), 0xfe, 0x0d, 0x0a]));
    const shown = [...actions, ...untagged].flatMap((a) => (a.type === 'show' && a.event.kind === 'client-line' ? [a.event.text] : []));
    expect(shown).toEqual(['a2 SELECT \\xffa \\x5cx41', 'A001 NOOP \\xfe']);
  });
});

describe('ImapSession greeting', () => {
  it("waits past Dovecot's 'Waiting for authentication process' line for the real greeting", () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK Waiting for authentication process to respond..\r\n'));
    expect(session.state).toBe('greeting');
    session.receive(Buffer.from('* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n'));
    expect(session.state).toBe('not-authenticated');
    expect(session.capabilities.has('STARTTLS')).toBe(true);
  });

  it("waits past Dovecot's line for a login handed over by a proxy ('authentication master process')", () => {
    const session = new ImapSession(clock());
    session.receive(Buffer.from('* OK Waiting for authentication master process to respond..\r\n'));
    expect(session.state).toBe('greeting');
    session.receive(Buffer.from('* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n'));
    expect(session.state).toBe('not-authenticated');
    expect(session.greeting).toBe('Dovecot ready.');
  });
});

describe('ImapSession: FETCH data lines', () => {
  /** The imap-segment events of what the session shows for `bytes`, read in one piece. */
  const segments = (session: ImapSession, bytes: string) =>
    session.receive(Buffer.from(bytes, 'latin1')).flatMap((a) => (a.type === 'show' && a.event.kind === 'imap-segment' ? [a.event] : []));

  it('are not read for a head (nothing in them is tracked); every other response is', () => {
    const session = new ImapSession(clock());
    segments(session, '* OK ready\r\n');
    const shown = segments(session, '* 1 FETCH (FLAGS (\\Seen) UID 4)\r\n* 12 fetch (UID 9)\r\n* 3 EXISTS\r\n* OK [UIDNEXT 5] next\r\n* CAPABILITY IMAP4rev1 IDLE\r\n');
    expect(shown.map((e) => e.head?.kind ?? null)).toEqual([null, null, 'untagged', 'untagged', 'untagged']);
    expect(session.capabilities.has('IDLE')).toBe(true);
    // Like FETCH, but not FETCH data: read.
    expect(segments(session, '* 1 FETCHED\r\n* FETCH 1\r\n').map((e) => e.head?.kind ?? null)).toEqual(['untagged', 'untagged']);
  });

  it('still go the whole way as the first thing a server says: that decides the state', () => {
    const session = new ImapSession(clock());
    const [greeting] = segments(session, '* 1 FETCH (UID 1)\r\n');
    expect(greeting?.head?.kind).toBe('untagged');
    expect(session.state).toBe('not-authenticated');
  });

  it('show and decode as before: a FETCH read through to its completion', () => {
    const session = new ImapSession(clock(), { decodedViews: () => new Set(['envelope'] as const) });
    session.receive(Buffer.from('* OK ready\r\n'));
    const sent = session.submit({ segments: [Buffer.from('a1 FETCH 1 (ENVELOPE)')], literals: [] });
    expect(sent.actions.some((a) => a.type === 'send')).toBe(true);
    const actions = session.receive(
      Buffer.from('* 1 FETCH (ENVELOPE (NIL "=?UTF-8?B?0J/RgNC40LLQtdGC?=" NIL NIL NIL NIL NIL NIL NIL NIL))\r\na1 OK done\r\n'),
    );
    const decoded = actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'decoded' ? a.event.lines : []));
    expect(decoded).toEqual(['subject: Привет']);
    expect(actions.filter((a) => a.type === 'completed')).toEqual([{ type: 'completed', id: expect.anything(), ok: true }]);
    expect(session.pendingCount).toBe(0);
  });
});
