/**
 * Decoded views of IMAP responses: mUTF-7 mailbox names, ENVELOPE encoded-words, BODYSTRUCTURE trees,
 * from the RFC examples; and the session showing them beside the raw lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendBodyStructureLines, bodyStructureTree, parseBodyStructure } from '../../src/protocol/imap/bodystructure.js';
import { decodedViews, mayHaveDecodedView } from '../../src/protocol/imap/decoded-views.js';
import { plainValue, UNREADABLE, type PlainValue } from '../../src/protocol/imap/plain-values.js';
import { decodeParameters } from '../../src/protocol/mime/parameters.js';
import { makeStyler, type ColorLevel } from '../../src/render/theme.js';
import { escapeDisplayText } from '../../src/render/escape.js';
import { parseImapLine } from '../../src/protocol/imap/values.js';
import { ALL_DECODED_VIEWS, TranscriptRenderer } from '../../src/render/transcript-renderer.js';
import type { SessionEvent } from '../../src/session/events.js';
import { ImapResponseCollector } from '../../src/session/imap-response-collector.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { playImap } from '../support/playbook.js';
import { readRfcTranscript } from '../support/rfc-transcript.js';

const plainLine = (line: string) => plainValue(parseImapLine(line)[0]!);
const views = (line: string) => decodedViews([Buffer.from(line)], []);
const tree = (structure: string) => {
  const part = parseBodyStructure(plainValue(parseImapLine(structure)[0]!));
  if (!part) throw new Error('not a body structure');
  return bodyStructureTree(part);
};

// Leaves of the RFC 3501 §6.4.5 example message, written as BODYSTRUCTURE parts.
const TEXT = '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1)';
const OCTETS = '("APPLICATION" "OCTET-STREAM" NIL NIL NIL "BASE64" 20)';
const GIF = '("IMAGE" "GIF" NIL NIL NIL "BASE64" 30)';
const RICH = '("TEXT" "RICHTEXT" NIL NIL NIL "7BIT" 40 2)';
const ENVELOPE = '(NIL "x" NIL NIL NIL NIL NIL NIL NIL NIL)';
const message = (body: string) => `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 500 ${ENVELOPE} ${body} 12)`;

describe('BODYSTRUCTURE as a tree of sections (RFC 3501 §6.4.5, §7.4.2)', () => {
  it('labels the parts of the §6.4.5 example with the section numbers the RFC lists', () => {
    const structure = `(${TEXT}${OCTETS}${message(`(${TEXT}${OCTETS} "MIXED")`)}(${GIF}${message(`(${TEXT}(${TEXT.replace('10 1', '11 1')}${RICH} "ALTERNATIVE") "MIXED")`)} "MIXED") "MIXED")`;
    const labels = tree(structure).map((l) => /^\s*(?:\[([\d.]+)\] )?(\S+?)[;,]?(?: |$)/.exec(l)!.slice(1, 3).join(' ').trim());
    expect(labels).toEqual([
      'multipart/mixed',
      '1 text/plain',
      '2 application/octet-stream',
      '3 message/rfc822',
      'multipart/mixed',
      '3.1 text/plain',
      '3.2 application/octet-stream',
      '4 multipart/mixed',
      '4.1 image/gif',
      '4.2 message/rfc822',
      'multipart/mixed',
      '4.2.1 text/plain',
      '4.2.2 multipart/alternative',
      '4.2.2.1 text/plain',
      '4.2.2.2 text/richtext',
    ]);
  });

  it('shows the §7.4.2 example with parameters, ids, descriptions, encodings, sizes and lines', () => {
    expect(
      tree(
        '(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED")',
      ),
    ).toEqual([
      'multipart/mixed',
      '  [1] text/plain; charset=US-ASCII, 7bit, 1152 octets, 23 lines',
      '  [2] text/plain; charset=US-ASCII; name=cc.diff, base64, 4554 octets, 73 lines, id <960723163407.20117h@cac.washington.edu>, "Compiler diff"',
    ]);
  });

  it('numbers a single-part message "1" and decodes dispositions and their RFC 2231 file names', () => {
    expect(tree('("APPLICATION" "PDF" ("NAME" "a b.pdf") NIL NIL "BASE64" 4 NIL ("ATTACHMENT" ("FILENAME*" "utf-8\'\'%E2%82%AC.pdf")) NIL NIL)')).toEqual([
      '[1] application/pdf; name="a b.pdf", base64, 4 octets, attachment; filename="€.pdf"',
    ]);
  });

  it('reads a message/rfc822 part sent in the basic form (NIL for the envelope) with its disposition', () => {
    // As some servers send an attached message: no envelope, body or lines; the extension data follows.
    const basic = '(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 1234 56 NIL NIL NIL NIL)("MESSAGE" "RFC822" ("NAME" "fwd.eml") NIL NIL "7BIT" 4321 NIL ("ATTACHMENT" ("FILENAME" "fwd.eml")) NIL NIL) "MIXED")';
    expect(tree(basic)).toEqual([
      'multipart/mixed',
      '  [1] text/plain; charset=utf-8, quoted-printable, 1234 octets, 56 lines',
      '  [2] message/rfc822; name=fwd.eml, 7bit, 4321 octets, attachment; filename=fwd.eml',
    ]);
    // The tree written straight from the values says the same.
    const out = ['head'];
    expect(appendBodyStructureLines(plainLine(basic), 0, out)).toBe(true);
    expect(out.slice(1).map((l) => l.trim())).toEqual(tree(basic).map((l) => l.trim()));
  });

  it('refuses what has not the RFC shape', () => {
    expect(parseBodyStructure(plainLine('("TEXT")'))).toBeNull();
    expect(parseBodyStructure(plainLine('(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1))'))).toBeNull();
  });
});

describe('BODYSTRUCTURE lines built straight from the value', () => {
  // Parts of the RFC shape and near misses: any leaf where a field belongs, short and long lists,
  // single parts called "multipart", messages whose inner body is malformed, deep nesting.
  const leaf = fc.oneof(
    fc.constantFrom<PlainValue>('TEXT', 'text', 'PLAIN', 'MESSAGE', 'RFC822', 'global', 'MULTIPART', 'MIXED', 'ATTACHMENT', '', 'a b', 'x"y', '=?UTF-8?B?w6k=?=', "utf-8''%E2%82%AC"),
    fc.constantFrom<PlainValue>('NAME', 'name*', 'Name*0', 'name*1*', 'CHARSET', 'utf-8', 'a\\b'),
    fc.constantFrom<PlainValue>(0, 1, 2, 1152, null, UNREADABLE),
  );
  const params = fc.oneof(fc.constant<PlainValue>(null), leaf, fc.array(leaf, { maxLength: 6 }));
  const disposition = fc.oneof(fc.constant<PlainValue>(null), leaf, fc.tuple(leaf, params).map((t): PlainValue => t), fc.array(leaf, { maxLength: 3 }));
  const { body } = fc.letrec<{ body: PlainValue; single: PlainValue; multi: PlainValue }>((tie) => ({
    body: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('single'), tie('multi'), leaf, fc.array(leaf, { maxLength: 9 })),
    single: fc
      .tuple(
        fc.constantFrom<PlainValue>('TEXT', 'message', 'MULTIPART', 'IMAGE', '', 7, null),
        fc.constantFrom<PlainValue>('PLAIN', 'RFC822', 'GLOBAL', 'GIF', '', 3),
        params,
        leaf,
        leaf,
        leaf,
        leaf,
        fc.array(fc.oneof(leaf, params, disposition, tie('body')), { maxLength: 6 }),
      )
      .chain(([type, subtype, p, id, desc, enc, octets, rest]) =>
        fc.boolean().map((cut): PlainValue => {
          const part: PlainValue[] = [type, subtype, p, id, desc, enc, octets, ...rest];
          return cut ? part.slice(0, 6) : part;
        }),
      ),
    multi: fc
      .tuple(fc.array(tie('body'), { minLength: 1, maxLength: 3 }), fc.array(fc.oneof(leaf, params, disposition), { maxLength: 4 }))
      .map(([children, rest]): PlainValue => [...children, ...rest]),
  }));
  const reference = (v: PlainValue) => {
    const part = parseBodyStructure(v);
    return part ? bodyStructureTree(part).map((l) => `  ${l}`) : null;
  };
  const direct = (v: PlainValue) => {
    const out = ['head'];
    const ok = appendBodyStructureLines(v, 1, out);
    // A refused value leaves the lines as they were.
    if (!ok) expect(out).toEqual(['head']);
    return ok ? out.slice(1) : null;
  };

  it('are the lines of the tree of the parsed parts, for any value (refusals included)', () => {
    fc.assert(
      fc.property(body, (v) => {
        expect(direct(v)).toEqual(reference(v));
      }),
      { numRuns: 3000 },
    );
  });

  it('are those of the RFC examples, and refuse nesting past the bound as the parser does', () => {
    let deep: PlainValue = ['TEXT', 'PLAIN', null, null, null, '7BIT', 1, 1];
    for (let i = 0; i < 120; i++) deep = i % 2 ? [deep, 'MIXED'] : ['MESSAGE', 'RFC822', null, null, null, '7BIT', 5, [], deep, 1];
    expect(direct(deep)).toEqual(reference(deep));
    const multi = (depth: number): PlainValue => (depth === 0 ? ['TEXT', 'PLAIN', null, null, null, '7BIT', 1, 1] : [multi(depth - 1), 'MIXED']);
    for (const depth of [99, 100, 101, 102]) expect(direct(multi(depth))).toEqual(reference(multi(depth)));
    expect(direct(plainLine(`(${TEXT}${OCTETS}${message(`(${TEXT}${OCTETS} "MIXED")`)} "MIXED")`))).toEqual(
      reference(plainLine(`(${TEXT}${OCTETS}${message(`(${TEXT}${OCTETS} "MIXED")`)} "MIXED")`)),
    );
  });
});

describe('BODYSTRUCTURE parameters, shown plain or decoded (RFC 2231, RFC 2047)', () => {
  const quoted = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  // The reference: every parameter through decodeParameters, a value quoted unless it is a token.
  const reference = (pairs: Array<[string, string]>) =>
    decodeParameters(pairs)
      .map((p) => `; ${p.name}=${/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p.value) ? p.value : quoted(p.value)}`)
      .join('');
  const name = fc.constantFrom('charset', 'NAME', 'name*', 'name*0', 'name*1*', 'Format', 'x');
  const value = fc.constantFrom('utf-8', 'a b', 'x"y', 'a\\b', "utf-8''%E2%82%AC.pdf", '=?UTF-8?B?w6k=?=', '=?', '', 'flowed');

  it('shows any parameters as decoding every one of them would', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 5 }), (pairs) => {
        const list = pairs.length === 0 ? 'NIL' : `(${pairs.map(([k, v]) => `${quoted(k)} ${quoted(v)}`).join(' ')})`;
        const [line] = tree(`("TEXT" "PLAIN" ${list} NIL NIL "7BIT" 1 1)`);
        expect(line).toBe(`[1] text/plain${reference(pairs)}, 7bit, 1 octet, 1 line`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('decoded views rendered', () => {
  it('are comment lines styled as annotations, at every color level', () => {
    fc.assert(
      fc.property(fc.constantFrom<ColorLevel>(0, 1, 2, 3), fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 4 }), (colorLevel, lines) => {
        const renderer = new TranscriptRenderer({ colorLevel, style: makeStyler(colorLevel), annotate: false, decodedViews: ALL_DECODED_VIEWS });
        const style = makeStyler(colorLevel);
        const expected = lines.map((l) => `${style([{ role: 'annotation', text: `#   ${escapeDisplayText(l)}` }])}\n`).join('');
        expect(renderer.render({ kind: 'decoded', view: 'envelope', lines })).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decoded views of responses', () => {
  it('decodes modified UTF-7 names in LIST, LSUB and STATUS (RFC 3501 §5.1.3)', () => {
    // The line in English, and the same as data for a display in another language.
    const named = (name: string) => [{ view: 'mailbox', lines: [`mailbox: ${name}`], heading: { key: 'notice.decoded.mailbox', values: { name } } }];
    expect(views('* LIST (\\HasNoChildren) "/" "Entw&APw-rfe"')).toEqual(named('Entwürfe'));
    expect(views('* LSUB () "/" ~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toEqual(named('~peter/mail/台北/日本語'));
    expect(views('* STATUS "Entw&APw-rfe" (MESSAGES 2)')).toEqual(named('Entwürfe'));
    expect(views('* LIST () "/" blurdybloop')).toEqual([]);
    expect(views('* LIST () "/" "Tom &- Jerry"')).toEqual(named('Tom & Jerry'));
  });

  it('says so when a name is not valid modified UTF-7, but not for UTF-8 names (RFC 6855)', () => {
    expect(views('* LIST () "/" "a&b"')).toEqual([{ view: 'mailbox', lines: ['mailbox name is not valid modified UTF-7 (RFC 3501 §5.1.3)'], heading: { key: 'notice.decoded.mailbox-invalid' } }]);
    expect(views('* LIST () "/" "Entwürfe & Co"')).toEqual([]);
  });

  it('decodes encoded-words in ENVELOPE subjects and addresses, groups included', () => {
    const env =
      '("Mon, 7 Feb 1994 21:52:25 -0800" "=?ISO-8859-1?Q?Gr=FC=DFe?=" (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) ' +
      '(("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) ' +
      '((NIL NIL "=?UTF-8?Q?=C3=A9quipe?=" NIL)(NIL NIL "a" "example.org")(NIL NIL NIL NIL)) NIL NIL NIL "<1@x>")';
    expect(views(`* 1 FETCH (UID 7 ENVELOPE ${env})`)).toEqual([
      { view: 'envelope', lines: ['subject: Grüße', 'from: André Pirard <PIRARD@vm1.ulg.ac.be>', 'to: équipe: a@example.org;'] },
    ]);
  });

  it('reads an ENVELOPE subject sent as a literal', () => {
    const segments = [Buffer.from('* 3 FETCH (ENVELOPE (NIL {24}'), Buffer.from(' NIL NIL NIL NIL NIL NIL NIL NIL))')];
    expect(decodedViews(segments, [Buffer.from('=?UTF-8?B?w6l0w6k=?= ok\r\n')])).toEqual([{ view: 'envelope', lines: ['subject: été ok\r\n'] }]);
  });

  it('has nothing for the RFC 3501 §8 ENVELOPE (no encoded-words) and nothing for malformed responses', () => {
    expect(views('* 1 FETCH (FLAGS (\\Seen))')).toEqual([]);
    expect(views('* 1 FETCH (ENVELOPE (')).toEqual([]);
    expect(views('* 1 FETCH (BODYSTRUCTURE "x")')).toEqual([]);
    expect(views('* 1 EXISTS')).toEqual([]);
  });
});

describe('response heads with decoded views', () => {
  // What the heads were told by before they were read from the octets: a pattern over the first 32.
  const HEAD = /^\* (?:(LIST|LSUB|STATUS) |(\d+) (FETCH) )/i;
  const head = fc
    .tuple(
      fc.constantFrom('* ', '*', '+ ', 'a1 ', '** '),
      fc.oneof(fc.constantFrom('', '0', '7', '12', '4294967295', '1234567890123456', '12345678901234567890123', '123456789012345678901234'), fc.stringMatching(/^\d{1,25}$/)),
      fc.constantFrom(' FETCH ', ' fetch ', ' FeTcH ', ' FETCH', ' FETCHES ', ' FETC ', '  FETCH ', ' EXISTS', ' F\u00c9TCH ', ' \u0192ETCH '),
      fc.constantFrom('(BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1))', '(UID 1)', ''),
    )
    .map(([star, number, fetch, rest]) => star + number + fetch + rest);

  it('are the FETCH, LIST, LSUB and STATUS the pattern over the first 32 octets finds, message numbers as it reads them', () => {
    fc.assert(
      fc.property(fc.oneof(head, fc.constantFrom('* LIST () "/" x', '* status x (MESSAGES 1)', '* LSUB', '* 1 EXISTS')), (text) => {
        const bytes = Buffer.from(text, 'latin1');
        const m = HEAD.exec(bytes.subarray(0, 32).toString('latin1'));
        expect(mayHaveDecodedView(bytes)).toBe(m !== null);
        const shown = decodedViews([bytes], []);
        if (m?.[3] && text.endsWith('1))')) expect(shown[0]!.lines[0]).toBe(`BODYSTRUCTURE of message ${Number(m[2])}:`);
        else if (!m) expect(shown).toEqual([]);
      }),
      { numRuns: 2000 },
    );
    // At the edges: the longest number that leaves " FETCH " within 32 octets, one digit more, the
    // first inexact number, one letter away from FETCH.
    for (const digits of [15, 16, 22, 23, 24]) {
      const text = `* ${'9'.repeat(digits)} FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1))`;
      expect(mayHaveDecodedView(Buffer.from(text))).toBe(digits <= 23);
      expect(decodedViews([Buffer.from(text)], [])[0]?.lines[0]).toBe(digits <= 23 ? `BODYSTRUCTURE of message ${Number('9'.repeat(digits))}:` : undefined);
    }
    for (const word of ['FESCH', 'FETCI', 'GETCH', 'FDTCH', 'FETBH', 'FETCH(']) expect(mayHaveDecodedView(Buffer.from(`* 1 ${word} (UID 1)`))).toBe(false);
  });
});

describe('the session shows decoded views beside the raw lines', () => {
  it('after the RFC 3501 §8 FETCH FULL response: the BODY tree, right under the response', () => {
    const t = readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt');
    const result = playImap(new ImapSession(() => 0, { decodedViews: () => ALL_DECODED_VIEWS }), t.lines);
    const i = result.events.findIndex((e) => e.kind === 'decoded');
    expect(result.events[i]).toEqual({
      kind: 'decoded',
      view: 'bodystructure',
      lines: ['BODY of message 12:', '  [1] text/plain; charset=US-ASCII, 7bit, 3028 octets, 92 lines'],
      heading: { key: 'notice.decoded.tree', values: { item: 'BODY', n: 12 } },
    });
    const before = result.events[i - 1] as Extract<SessionEvent, { kind: 'imap-segment' }>;
    expect(before.bytes.toString()).toMatch(/^\* 12 FETCH \(FLAGS/);
    expect(result.events.filter((e) => e.kind === 'decoded')).toHaveLength(1);
  });

  it('computes no decoded view unless asked (replay, --no-decode), and only the views asked for', () => {
    const t = readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt');
    expect(playImap(new ImapSession(() => 0), t.lines).events.some((e) => e.kind === 'decoded')).toBe(false);
    const envelopeOnly = playImap(new ImapSession(() => 0, { decodedViews: () => new Set(['envelope'] as const) }), t.lines);
    // The §8 ENVELOPE holds no encoded-word: nothing to show without the BODY tree.
    expect(envelopeOnly.events.some((e) => e.kind === 'decoded')).toBe(false);
  });

  it('renders them as indented # lines, escaped, only when asked to (never in a recorded transcript)', () => {
    const event: SessionEvent = { kind: 'decoded', view: 'mailbox', lines: ['mailbox: evil\x1b[2J'] };
    expect(new TranscriptRenderer({ colorLevel: 0, annotate: false }).render(event)).toBe('');
    const shown = new TranscriptRenderer({ colorLevel: 0, annotate: false, decodedViews: ALL_DECODED_VIEWS });
    expect(shown.render(event)).toBe('#   mailbox: evil\\x1b[2J\n');
    shown.setDecodedViews(new Set(['bodystructure']));
    expect(shown.render(event)).toBe('');
  });
});

describe('ImapResponseCollector', () => {
  const seg = (text: string, literalSize: number | null, first = true): SessionEvent => ({ kind: 'imap-segment', bytes: Buffer.from(text), first, literalSize });

  it('gathers a response with its literals, and keeps a literal over the cap as null', () => {
    const c = new ImapResponseCollector({ wants: () => true, maxLiteralBytes: 4 });
    expect(c.push(seg('* 1 FETCH (A {3}', 3))).toBeNull();
    c.push({ kind: 'imap-literal-data', bytes: Buffer.from('ab') });
    c.push({ kind: 'imap-literal-data', bytes: Buffer.from('c') });
    c.push({ kind: 'imap-literal-end', size: 3 });
    expect(c.push(seg(' B {5}', 5, false))).toBeNull();
    c.push({ kind: 'imap-literal-data', bytes: Buffer.from('12345') });
    c.push({ kind: 'imap-literal-end', size: 5 });
    const r = c.push(seg(')', null, false));
    expect(r?.segments.map(String)).toEqual(['* 1 FETCH (A {3}', ' B {5}', ')']);
    expect(r?.literals).toEqual([Buffer.from('abc'), null]);
  });

  it('skips responses it does not want', () => {
    const c = new ImapResponseCollector({ wants: (b) => b.toString().startsWith('* LIST'), maxLiteralBytes: 10 });
    expect(c.push(seg('* 3 EXISTS', null))).toBeNull();
    expect(c.push(seg('* LIST () "/" x', null))?.segments.map(String)).toEqual(['* LIST () "/" x']);
  });
});
