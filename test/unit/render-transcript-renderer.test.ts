import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeStyler } from '../../src/render/theme.js';
import { TranscriptRenderer, type RenderOptions } from '../../src/render/transcript-renderer.js';
import type { SessionEvent } from '../../src/session/events.js';

const IMAP_FIXTURES = new URL('../fixtures/rfc/imap/', import.meta.url);
const RECORD: RenderOptions = { colorLevel: 0, annotate: false };
const TERMINAL_PLAIN: RenderOptions = { colorLevel: 0, annotate: true };
const SGR = /\x1b\[[0-9;]*m/g;

/** The C:/S: lines of a fixture transcript (comments and the RFCs' elisions dropped). */
function exchangeLines(name: string): string[] {
  return readFileSync(new URL(name, IMAP_FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => /^[CS]:( |$)/.test(l));
}

/**
 * The events a session yields for a fixture's IMAP exchange: client lines as sent, server lines as the
 * framer cuts them (segments up to CRLF or a `{n}` marker, then n octets of literal data, whatever
 * lines the RFC spreads them over).
 */
function imapEvents(lines: readonly string[]): SessionEvent[] {
  const events: SessionEvent[] = [];
  let literalLeft = 0;
  let literalSize = 0;
  let afterLiteral = false;
  for (const line of lines) {
    const text = line.slice(3);
    if (line.startsWith('C:')) {
      events.push({ kind: 'client-line', protocol: 'imap', text, part: 'command' });
      continue;
    }
    let bytes = Buffer.from(`${text}\r\n`);
    if (literalLeft > 0) {
      const take = Math.min(literalLeft, bytes.length);
      events.push({ kind: 'imap-literal-data', bytes: bytes.subarray(0, take) });
      literalLeft -= take;
      if (literalLeft > 0) continue;
      events.push({ kind: 'imap-literal-end', size: literalSize });
      afterLiteral = true;
      bytes = bytes.subarray(take);
      if (bytes.length === 0) continue;
    }
    const segment = bytes.subarray(0, bytes.length - 2);
    const marker = /\{(\d+)\}$/.exec(segment.toString());
    const size = marker === null ? null : Number(marker[1]);
    events.push({ kind: 'imap-segment', bytes: segment, first: !afterLiteral, literalSize: size });
    afterLiteral = false;
    if (size !== null) {
      literalLeft = literalSize = size;
      if (size === 0) {
        events.push({ kind: 'imap-literal-end', size: 0 });
        afterLiteral = true;
      }
    }
  }
  return events;
}

/** The same events with each run of literal data re-cut at the given offsets. */
function recut(events: readonly SessionEvent[], cuts: (length: number) => number[]): SessionEvent[] {
  const out: SessionEvent[] = [];
  let pending: Buffer[] = [];
  for (const e of events) {
    if (e.kind === 'imap-literal-data') {
      pending.push(e.bytes);
      continue;
    }
    if (pending.length > 0) {
      const data = Buffer.concat(pending);
      pending = [];
      let from = 0;
      for (const cut of [...cuts(data.length), data.length]) {
        out.push({ kind: 'imap-literal-data', bytes: data.subarray(from, cut) });
        from = cut;
      }
    }
    out.push(e);
  }
  return out;
}

function renderAll(events: readonly SessionEvent[], opts: RenderOptions = RECORD): string {
  const renderer = new TranscriptRenderer({ style: makeStyler(opts.colorLevel), ...opts });
  return events.map((e) => renderer.render(e)).join('');
}

const seg = (text: string, extra: Partial<Extract<SessionEvent, { kind: 'imap-segment' }>> = {}): SessionEvent => ({
  kind: 'imap-segment',
  bytes: Buffer.from(text, 'latin1'),
  first: true,
  literalSize: null,
  ...extra,
});
const lit = (text: string): SessionEvent => ({ kind: 'imap-literal-data', bytes: Buffer.from(text, 'latin1') });
const litEnd = (size: number): SessionEvent => ({ kind: 'imap-literal-end', size });

describe('TranscriptRenderer, IMAP', () => {
  it('renders the RFC 3501 §8 sample connection as the RFC prints it', () => {
    const lines = exchangeLines('rfc3501-8-sample-connection.txt');
    expect(renderAll(imapEvents(lines))).toBe(`${lines.join('\n')}\n`);
  });

  it('renders every IMAP fixture back to its own exchange lines', () => {
    for (const name of readdirSync(IMAP_FIXTURES).filter((n) => n.endsWith('.txt'))) {
      const lines = exchangeLines(name);
      expect(renderAll(imapEvents(lines)), name).toBe(`${lines.join('\n')}\n`);
    }
  });

  it('renders a literal the same whatever its pieces: split at every byte, or one byte at a time', () => {
    const events = imapEvents(exchangeLines('rfc3501-8-sample-connection.txt'));
    const whole = renderAll(events);
    for (let i = 0; i <= 342; i++) {
      expect(renderAll(recut(events, () => [i]))).toBe(whole);
    }
    expect(renderAll(recut(events, (n) => Array.from({ length: n }, (_, i) => i)))).toBe(whole);
    for (let i = 0; i <= 342; i += 7) {
      const terminal = renderAll(recut(events, () => [i]), TERMINAL_PLAIN);
      expect(terminal).toBe(renderAll(events, TERMINAL_PLAIN));
      expect(renderAll(recut(events, () => [i]), { ...TERMINAL_PLAIN, colorLevel: 3 }).replace(SGR, '')).toBe(
        terminal,
      );
    }
  });

  it('shows server lines without colors as the colored path shows them, colors taken out', () => {
    // Without colors the lexers are skipped: the colored path, which lexes, is the reference.
    const piece = fc.constantFrom('* ', 'a1 ', 'OK', 'NO', 'BAD', 'BYE', '+', ' [UIDNEXT 4]', ' [', ']', 'FETCH', ' (FLAGS (\\Seen))', '{5}', '~{2}', '{3+}', '', ' ', '\x1b[31m', '\xff', 'é', '\r', '\t');
    const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
    const event = fc.oneof(
      fc.record({ text, first: fc.boolean(), literalSize: fc.option(fc.nat(20)), latencyMs: fc.option(fc.double({ min: 0, max: 1000, noNaN: true })) }).map(
        ({ text, first, literalSize, latencyMs }) => seg(text, { first, literalSize, ...(latencyMs === null ? {} : { latencyMs }) }),
      ),
      text.map((t) => lit(t)),
      fc.nat(20).map((n) => litEnd(n)),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.boolean(), (events, annotate) => {
        const plain = renderAll(events, { colorLevel: 0, annotate });
        expect(plain).toBe(renderAll(events, { colorLevel: 3, annotate }).replace(SGR, ''));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes literal pieces as they come, as partial lines', () => {
    const r = new TranscriptRenderer(RECORD);
    expect(r.render(seg('* 12 FETCH (BODY[TEXT] {14}', { literalSize: 14 }))).toBe('S: * 12 FETCH (BODY[TEXT] {14}\n');
    expect(r.render(lit('Hel'))).toBe('S: Hel');
    expect(r.render(lit('lo\r'))).toBe('lo');
    expect(r.render(lit('\nWor'))).toBe('\nS: Wor');
    expect(r.render(lit('ld!\r\n'))).toBe('ld!\n');
    expect(r.render(litEnd(14))).toBe('');
    expect(r.render(seg(')', { first: false }))).toBe('S: )\n');
  });

  it('goes on on the literal\'s line when the literal does not end in CRLF (RFC 3501 §7.5 style)', () => {
    const lines = ['S: * 1 FETCH (BODY[1] {11}', 'S: FRED FOOBAR BODY[2] {7}', 'S: fat man)', 'S: A1 OK done'];
    const events = imapEvents(lines);
    expect(events).toEqual([
      seg('* 1 FETCH (BODY[1] {11}', { literalSize: 11 }),
      lit('FRED FOOBAR'),
      litEnd(11),
      seg(' BODY[2] {7}', { first: false, literalSize: 7 }),
      lit('fat man'),
      litEnd(7),
      seg(')', { first: false }),
      seg('A1 OK done'),
    ]);
    expect(renderAll(events)).toBe(`${lines.join('\n')}\n`);
  });

  it('shows an empty literal and an empty literal line as the RFCs do', () => {
    expect(renderAll([seg('* 1 FETCH (BODY[] {0}', { literalSize: 0 }), litEnd(0), seg(')', { first: false })])).toBe(
      'S: * 1 FETCH (BODY[] {0}\nS: )\n',
    );
    expect(
      renderAll([seg('* 1 FETCH (BODY[] {6}', { literalSize: 6 }), lit('\r\n\r\n\r\n'), litEnd(6), seg(')', { first: false })]),
    ).toBe('S: * 1 FETCH (BODY[] {6}\nS:\nS:\nS:\nS: )\n');
  });

  it('escapes a lone CR or LF inside a literal line, and a CR left at the end of a literal', () => {
    const out = renderAll([
      seg('* 1 FETCH (BODY[] {11}', { literalSize: 11 }),
      lit('a\rb\nc\r'),
      lit('x\r\nz\r'),
      litEnd(11),
      seg(')', { first: false }),
    ]);
    expect(out).toBe('S: * 1 FETCH (BODY[] {11}\nS: a\\x0db\\x0ac\\x0dx\nS: z\\x0d)\n');
  });

  it('ends an open line before anything else is written', () => {
    const out = renderAll([
      seg('* 1 FETCH (BODY[] {10}', { literalSize: 10 }),
      lit('abc'),
      { kind: 'notice', level: 'warning', text: 'slow server' },
      lit('de\r\nfgh'),
      litEnd(10),
      { kind: 'closed', reason: 'reset by peer' },
    ]);
    expect(out).toBe(
      'S: * 1 FETCH (BODY[] {10}\nS: abc\n# warning: slow server\nS: de\nS: fgh\n# connection closed: reset by peer\n',
    );
  });

  it('annotates literal sizes and latencies on a terminal only', () => {
    const events = [
      { kind: 'client-line', protocol: 'imap', text: 'a004 fetch 12 body[header]', part: 'command' },
      seg('* 12 FETCH (BODY[HEADER] {5}', { literalSize: 5 }),
      lit('ab\r\n\r'),
      litEnd(5),
      seg(')', { first: false }),
      seg('a004 OK FETCH completed', { latencyMs: 12.4 }),
    ] satisfies SessionEvent[];
    expect(renderAll(events, TERMINAL_PLAIN)).toBe(
      [
        'C: a004 fetch 12 body[header]',
        'S: * 12 FETCH (BODY[HEADER] {5}  ‹5 octets›',
        'S: ab',
        'S: \\x0d)',
        'S: a004 OK FETCH completed (12 ms)',
        '',
      ].join('\n'),
    );
    expect(renderAll(events, RECORD)).not.toMatch(/octets|ms\)/);
  });
});

describe('TranscriptRenderer, POP3', () => {
  const retr: SessionEvent[] = [
    { kind: 'client-line', protocol: 'pop3', text: 'RETR 1', part: 'command' },
    { kind: 'pop3-status', bytes: Buffer.from('+OK 120 octets'), multiline: true },
    { kind: 'pop3-body-line', bytes: Buffer.from('Subject: dots'), stuffed: false },
    { kind: 'pop3-body-line', bytes: Buffer.from(''), stuffed: false },
    { kind: 'pop3-body-line', bytes: Buffer.from('.signature follows'), stuffed: true },
    { kind: 'pop3-body-line', bytes: Buffer.from('.'), stuffed: true },
    { kind: 'pop3-end', latencyMs: 31 },
    { kind: 'client-line', protocol: 'pop3', text: 'DELE 1', part: 'command' },
    { kind: 'pop3-status', bytes: Buffer.from('-ERR [IN-USE] locked'), multiline: false, latencyMs: 4 },
  ];

  it('writes stuffed lines in their wire form in a recorded transcript', () => {
    expect(renderAll(retr, RECORD)).toBe(
      [
        'C: RETR 1',
        'S: +OK 120 octets',
        'S: Subject: dots',
        'S:',
        'S: ..signature follows',
        'S: ..',
        'S: .',
        'C: DELE 1',
        'S: -ERR [IN-USE] locked',
        '',
      ].join('\n'),
    );
  });

  it('shows stuffed lines as on the wire on a terminal too, so that the message line "." is not the end, and latencies', () => {
    expect(renderAll(retr, TERMINAL_PLAIN)).toBe(
      [
        'C: RETR 1',
        'S: +OK 120 octets',
        'S: Subject: dots',
        'S:',
        'S: ..signature follows',
        'S: ..',
        'S: .',
        '# 31 ms for the whole reply',
        'C: DELE 1',
        'S: -ERR [IN-USE] locked (4 ms)',
        '',
      ].join('\n'),
    );
  });

  it('colors at level 1 and not at level 0; secrets stand out', () => {
    const events: SessionEvent[] = [
      { kind: 'client-line', protocol: 'pop3', text: 'PASS <secret>', part: 'command' },
      { kind: 'pop3-status', bytes: Buffer.from('+OK maildrop locked and ready'), multiline: false },
    ];
    const colored = renderAll(events, { ...RECORD, colorLevel: 1 });
    expect(colored).toContain('\x1b[7m<secret>');
    expect(colored).toMatch(/\x1b\[32m\x1b\[1m\+OK/);
    expect(colored.replace(SGR, '')).toBe(renderAll(events, RECORD));
    expect(renderAll(events, RECORD)).not.toContain('\x1b');
  });
});

describe('TranscriptRenderer, notes from mailwire', () => {
  const render1 = (e: SessionEvent): string => new TranscriptRenderer(RECORD).render(e);

  it('describes the connection and TLS in one comment line each', () => {
    expect(
      render1({ kind: 'connected', protocol: 'imap', host: 'localhost', port: 143, address: '127.0.0.1', tls: 'starttls' }),
    ).toBe('# connected to imap://localhost:143 (127.0.0.1), plain TCP, STARTTLS to follow\n');
    expect(render1({ kind: 'connected', protocol: 'pop3', host: '::1', port: 995, address: '::1', tls: 'implicit' })).toBe(
      '# connected to pop3s://[::1]:995, TLS\n',
    );
    const summary = {
      version: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      subject: 'CN=localhost',
      issuer: 'CN=mailwire test CA',
      validTo: '2026-12-26T10:00:00.000Z',
      verified: true,
      verifyError: '',
      insecure: false,
    };
    expect(render1({ kind: 'tls', summary })).toBe(
      '# TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, subject CN=localhost, issuer CN=mailwire test CA, expires 2026-12-26, certificate verified\n',
    );
    expect(
      render1({
        kind: 'tls',
        summary: { ...summary, issuer: 'CN=localhost', verified: false, verifyError: 'self-signed certificate', insecure: true },
      }),
    ).toBe(
      '# TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, subject CN=localhost, issuer CN=localhost, expires 2026-12-26, certificate NOT verified (self-signed certificate), accepted with --insecure\n',
    );
    expect(render1({ kind: 'tls', summary: { ...summary, subject: 'CN=\x1b[2Jevil' } })).toContain('CN=\\x1b[2Jevil');
  });

  it('writes notices as transcript comments, one per line', () => {
    expect(render1({ kind: 'notice', level: 'info', text: 'STARTTLS done' })).toBe('# STARTTLS done\n');
    expect(render1({ kind: 'notice', level: 'warning', text: 'bare LF\nfrom server' })).toBe(
      '# warning: bare LF\n# warning: from server\n',
    );
    expect(render1({ kind: 'notice', level: 'error', text: 'line too long' })).toBe('# error: line too long\n');
    expect(render1({ kind: 'closed', reason: '' })).toBe('# connection closed\n');
  });

  it('escapes control bytes the user typed', () => {
    expect(render1({ kind: 'client-line', protocol: 'imap', text: 'A1 NOOP \x1b[2J\x00', part: 'command' })).toBe(
      'C: A1 NOOP \\x1b[2J\\x00\n',
    );
  });
});

describe('TranscriptRenderer, hostile server bytes', () => {
  const bytes = fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a));
  const withEsc = fc
    .tuple(bytes, fc.constantFrom('\x1b[31m', '\x1b]0;title\x07', '\u009b2J', '\u202e', '\r', '\n'), bytes)
    .map(([a, e, b]) => Buffer.concat([a, Buffer.from(e), b]));
  const serverBytes = fc.oneof(bytes, withEsc);
  const event: fc.Arbitrary<SessionEvent> = fc.oneof(
    fc.record({
      kind: fc.constant('imap-segment' as const),
      bytes: serverBytes,
      first: fc.boolean(),
      literalSize: fc.option(fc.nat(40)),
      latencyMs: fc.option(fc.nat(2000), { nil: undefined }),
    }),
    fc.record({ kind: fc.constant('imap-literal-data' as const), bytes: serverBytes }),
    fc.record({ kind: fc.constant('imap-literal-end' as const), size: fc.nat(40) }),
    fc.record({ kind: fc.constant('pop3-status' as const), bytes: serverBytes, multiline: fc.boolean() }),
    fc.record({ kind: fc.constant('pop3-body-line' as const), bytes: serverBytes, stuffed: fc.boolean() }),
    fc.record({ kind: fc.constant('pop3-end' as const) }),
    fc.record({
      kind: fc.constant('notice' as const),
      level: fc.constantFrom('info' as const, 'warning' as const, 'error' as const),
      text: fc.string({ unit: 'binary', maxLength: 20 }),
    }),
    fc.record({
      kind: fc.constant('client-line' as const),
      protocol: fc.constantFrom('imap' as const, 'pop3' as const),
      text: fc.string({ unit: 'binary', maxLength: 20 }),
      part: fc.constantFrom('command' as const, 'literal' as const, 'continued' as const, 'response' as const),
    }),
  );

  it('never writes a control character but "\\n" (and the palette\'s own SGR codes), at any color level', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), fc.constantFrom(0, 1, 2, 3), fc.boolean(), (events, level, annotate) => {
        const out = renderAll(events, { colorLevel: level as 0 | 1 | 2 | 3, annotate });
        const text = level === 0 ? out : out.replace(SGR, '');
        expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
        if (level > 0) expect(out.replace(SGR, '')).toBe(renderAll(events, { colorLevel: 0, annotate }));
      }),
    );
  });

  it('starts every event but a continuing literal on a line of its own', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        const out = renderAll(events);
        for (const line of out.split('\n').slice(0, -1)) expect(line).toMatch(/^(C:|S:|# )/);
      }),
    );
  });
});

describe('TranscriptRenderer, the plain-text fast path for literals', () => {
  /** Renders a literal delivered in the given pieces, with colors or not. */
  function renderLiteral(pieces: Buffer[], colorLevel: 0 | 1): string {
    const r = new TranscriptRenderer({ colorLevel, style: makeStyler(colorLevel), annotate: false });
    const size = pieces.reduce((n, p) => n + p.length, 0);
    let out = r.render({ kind: 'imap-segment', bytes: Buffer.from(`* 1 FETCH (BODY[] {${size}}`), first: true, literalSize: size });
    for (const p of pieces) out += r.render({ kind: 'imap-literal-data', bytes: p });
    out += r.render({ kind: 'imap-literal-end', size });
    return out + r.render({ kind: 'imap-segment', bytes: Buffer.from(')'), first: false, literalSize: null });
  }

  const line = fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('Grüße', 'Привет', 'tab\there', 'esc\x1b[31m', 'nul\0', 'lone\rcr', 'lone\nlf', '\u202eRTL', 'C:\\x1b \\u{202e}', '\\\\x41', 'end\\', '\\x4'),
  );

  // With colors, pieces are styled as they come, so only the visible text must agree.
  const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

  it('renders any chunking of any literal as one byte at a time does (exactly without colors)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.nat(40), { maxLength: 6 }), fc.constantFrom(0, 1), (lines, cuts, level) => {
        const bytes = Buffer.from(lines.join('\r\n'), 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const pieces: Buffer[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          pieces.push(bytes.subarray(at, p));
          at = p;
        }
        const oneByOne = Array.from(bytes, (b) => Buffer.from([b]));
        expect(visible(renderLiteral(pieces, level as 0 | 1))).toBe(visible(renderLiteral(oneByOne, level as 0 | 1)));
        if (level === 0) expect(renderLiteral(pieces, 0)).toBe(renderLiteral(oneByOne, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('shows the same as the escaping path, piece by piece, at every color level', () => {
    const bytes = fc.array(line, { maxLength: 12 }).map((lines) => Buffer.from(lines.join('\r\n'), 'utf8'));
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(40), { maxLength: 6 }), fc.constantFrom(0, 1, 3), fc.boolean(), (data, cuts, level, interrupt) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const events: SessionEvent[] = [seg(`* 1 FETCH (BODY[] {${data.length}}`, { literalSize: data.length })];
        let at = 0;
        for (const p of [...points, data.length]) {
          events.push({ kind: 'imap-literal-data', bytes: data.subarray(at, p) });
          // Another event may end the display line in the middle of the literal.
          if (interrupt) events.push({ kind: 'notice', level: 'info', text: 'between pieces' });
          at = p;
        }
        events.push(litEnd(data.length), seg(')', { first: false }));
        const opts: RenderOptions = { colorLevel: level as 0 | 1 | 3, annotate: false };
        expect(renderAll(events, opts)).toBe(renderAll(events, { ...opts, literalFastPath: false }));
      }),
      { numRuns: 500 },
    );
  });

  it('writes, as bytes, exactly what the escaping path shows: any bytes, cut anywhere, at any alignment in memory', () => {
    // Mostly text with CRLFs, long lines now and then; every kind of byte that needs escaping, invalid
    // UTF-8, a CR or an LF alone, an empty line.
    const part = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('abc', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVld', ' ', '\r\n', '\r\n\r\n', 'Grüße', 'Привет', '😀', '\\Seen', '\\', 'x1', 'b', 'u{20', '2e}') },
      { weight: 1, arbitrary: fc.constantFrom('x'.repeat(300), '\r', '\n', '\t', '\0', '\x1b[31m', '\x7f', '\u0085', '\u202e', '\ufeff') },
    );
    const rawByte = fc.constantFrom(0x80, 0xc3, 0xe2, 0xf0, 0xff).map((b) => Buffer.from([b]));
    const data = fc
      .array(fc.oneof({ weight: 12, arbitrary: part.map((p) => Buffer.from(p, 'utf8')) }, { weight: 1, arbitrary: rawByte }), { maxLength: 80 })
      .map((parts) => Buffer.concat(parts));
    fc.assert(
      fc.property(data, fc.array(fc.nat(2000), { maxLength: 8 }), fc.nat(7), fc.constantFrom(0, 1, 3), fc.boolean(), fc.constantFrom(0, 64, undefined), fc.boolean(), (bytes, cuts, offset, level, interrupt, room, recycle) => {
        // The pieces are views at odd places of a larger buffer, as the framer hands out socket reads.
        const holder = Buffer.alloc(offset + bytes.length + 3, 0x0d);
        bytes.copy(holder, offset);
        const whole = holder.subarray(offset, offset + bytes.length);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const events: SessionEvent[] = [seg(`* 1 FETCH (BODY[] {${bytes.length}}`, { literalSize: bytes.length })];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          events.push({ kind: 'imap-literal-data', bytes: whole.subarray(at, p) });
          if (interrupt) events.push({ kind: 'notice', level: 'info', text: 'between pieces' });
          at = p;
        }
        events.push(litEnd(bytes.length), seg(')', { first: false }));
        const opts: RenderOptions = { colorLevel: level as 0 | 1 | 3, annotate: false };
        // Room 0: each piece gets the least memory its lines fit in. Given back once written
        // (recycle), a buffer takes a later piece, as session-command.ts does after a write.
        const renderer = new TranscriptRenderer({ style: makeStyler(opts.colorLevel), ...opts, ...(room === undefined ? {} : { literalOutputOctets: room }) });
        const written = Buffer.concat(
          events.map((e) => {
            const out = renderer.renderForWrite(e);
            if (typeof out === 'string') return Buffer.from(out);
            const copy = Buffer.from(out);
            if (recycle) renderer.releaseWritten(out);
            return copy;
          }),
        );
        expect(written.toString('latin1')).toBe(Buffer.from(renderAll(events, { ...opts, literalFastPath: false })).toString('latin1'));
      }),
      { numRuns: 1000 },
    );
  });

  it('takes a later piece into the memory of one given back written, and into no other', () => {
    const r = new TranscriptRenderer(RECORD);
    r.render(seg('* 1 FETCH (BODY[] {60}', { literalSize: 60 }));
    const first = r.renderForWrite(lit('one\r\ntwo\r\n'));
    const second = r.renderForWrite(lit('three\r\n'));
    expect(Buffer.isBuffer(first) && Buffer.isBuffer(second)).toBe(true);
    // Not given back yet: each piece has memory of its own.
    expect((second as Buffer).buffer).not.toBe((first as Buffer).buffer);
    r.releaseWritten(first as Buffer);
    const third = r.renderForWrite(lit('four\r\n'));
    expect((third as Buffer).buffer).toBe((first as Buffer).buffer);
    expect((third as Buffer).toString()).toBe('S: four\n');
    // Handed out again: not handed out a second time before it comes back.
    expect((r.renderForWrite(lit('five\r\n')) as Buffer).buffer).not.toBe((first as Buffer).buffer);
    // A buffer the renderer did not hand out is never written into.
    const foreign = Buffer.alloc(256 * 1024);
    r.releaseWritten(foreign);
    const sixth = r.renderForWrite(lit('six\r\n'));
    expect((sixth as Buffer).buffer).not.toBe(foreign.buffer);
    expect(foreign.every((b) => b === 0)).toBe(true);
  });

  it('writes a piece of plain text as bytes, and text that needs escaping as text', () => {
    const r = new TranscriptRenderer(RECORD);
    r.render(seg('* 1 FETCH (BODY[] {40}', { literalSize: 40 }));
    const plain = r.renderForWrite(lit('Subject: hi\r\n\r\nbody'));
    expect(Buffer.isBuffer(plain) ? plain.toString() : null).toBe('S: Subject: hi\nS:\nS: body');
    expect(r.renderForWrite(lit(' \x1b[31m\r\n'))).toBe(' \\x1b[31m\n');
  });
});
