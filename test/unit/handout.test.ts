/**
 * Handouts as pages (transcript/handout.ts, render/handout-page.ts), without a browser: each line
 * colored by the render layer's roles and explained in the chosen language, lint's findings at their
 * lines, the states the session went through, and a hostile file that cannot put one element of its
 * own on the page. (test/integration/handout-chromium.test.ts shows the same pages in Chromium.)
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/protocol/explain/language.js';
import { decodedMarkingInvalid } from '../../src/protocol/display-form.js';
import { parseTranscript } from '../../src/transcript/format.js';
import { handoutHtml, handoutSession } from '../../src/transcript/handout.js';
import { HOSTILE_FILE_NAME, HOSTILE_SHOWN_AS, HOSTILE_TRANSCRIPT } from '../support/hostile-transcript.js';

function input(path: string, bytes: Buffer = readFileSync(path)) {
  const source = decodedMarkingInvalid(bytes);
  return { file: path, source, transcript: parseTranscript(source) };
}

function page(paths: string[], language: Language): string {
  return handoutHtml(paths.map((p) => input(p)), language);
}

/** The table row of a line: `<tr ... id="s1-l12">...</tr>`. */
function row(html: string, session: number, lineNo: number): string {
  const m = new RegExp(`<tr class="([^"]*)" id="s${session}-l${lineNo}">(.*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row for line ${lineNo} of session ${session}`);
  return m[0];
}

/** Every element name the page opens. */
function elementNames(html: string): Set<string> {
  return new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => (m[1] as string).toLowerCase()));
}

const PAGE_ELEMENTS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'p', 'section', 'table', 'tr', 'td', 'th', 'span',
  'nav', 'ol', 'ul', 'li', 'a', 'colgroup', 'col', 'thead', 'tbody', 'figure', 'figcaption', 'footer', 'div',
]);

const POP3 = 'transcripts/seed/pop3-apop-session.txt';
const IMAP_LIST = 'transcripts/seed/imap-list-create-rename-delete.txt';
const IMAP_SELECT = 'transcripts/seed/imap-select-status.txt';
const IMAP_APPEND = 'transcripts/seed/imap-append.txt';

describe('a handout page', () => {
  it('shows every wire line, in file order, colored with the roles the terminal uses', () => {
    const html = page([POP3], 'en');
    const lines = [...html.matchAll(/<tr class="[^"]*" id="s1-l(\d+)">/g)].map((m) => Number(m[1]));
    expect(lines).toEqual(Array.from({ length: 32 - 10 }, (_, i) => 11 + i));
    expect(row(html, 1, 11)).toContain('<span class="r-pop3-ok">+OK</span>');
    expect(row(html, 1, 12)).toContain('<span class="r-prefix-client">C: </span><span class="r-command">APOP</span>');
    // RFC 1939 §3: LIST's reply is multi-line: its lines and the "." that ends it.
    expect(row(html, 1, 16)).toContain('<span class="r-pop3-body">1 120</span>');
    expect(row(html, 1, 18)).toContain('<span class="r-pop3-terminator">.</span>');
    expect(row(html, 1, 21)).toContain('<span class="r-pop3-body">&lt;body of message 1&gt;</span>');
  });

  it('colors IMAP tags, statuses, untagged data, continuations and literals', () => {
    const html = page([IMAP_APPEND, IMAP_LIST], 'en');
    expect(row(html, 1, 6)).toContain('<span class="r-tag">A199</span>');
    expect(row(html, 1, 6)).toContain('<span class="r-literal-marker">{310}</span>');
    expect(row(html, 1, 7)).toContain('<span class="r-continuation">+</span>');
    expect(row(html, 1, 8)).toContain('<span class="r-literal">Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)</span>');
    expect(row(html, 1, 18)).toContain('<span class="r-status-ok">OK</span>');
    expect(row(html, 2, 8)).toContain('<span class="r-untagged">*</span> <span class="r-data-name">LIST</span>');
  });

  it('puts the explanation beside each line, in English or in Russian', () => {
    const en = page([POP3], 'en');
    const ru = page([POP3], 'ru');
    expect(row(en, 1, 13)).toMatch(/<td class="explain"><p><span class="r-explanation">[^<]*2 messages/);
    expect(row(ru, 1, 13)).toMatch(/<td class="explain"><p><span class="r-explanation">[^<]*почтовом ящике 2 сообщения/);
    expect(row(ru, 1, 13)).toContain('(RFC 1939 §7)');
    expect(ru).toContain('<html lang="ru">');
    expect(ru).toContain('Как читать записи сеансов');
    expect(en).toContain('How to read the sessions');
  });

  it('marks lint findings at their lines, with the rule and the RFC section', () => {
    const html = page([IMAP_LIST, POP3], 'en');
    expect(row(html, 1, 9)).toMatch(/^<tr class="server line flagged"/);
    const after9 = html.slice(html.indexOf(row(html, 1, 9)));
    expect(after9).toMatch(/^<tr[^>]*>.*?<\/tr>\n<tr class="finding error">.*\[grammar\]<\/span> not a response-tagged/);
    expect(row(html, 1, 8)).not.toContain('flagged');
    const after12 = html.slice(html.indexOf(row(html, 2, 12)));
    expect(after12).toMatch(/^<tr[^>]*>.*?<\/tr>\n<tr class="finding error">.*\[apop\]<\/span> the APOP digest is not MD5/);
    // The declared secret ("# secret: mrose tanstaaf") is for lint's digest check: the page does not show it.
    expect(html).not.toContain('mrose tanstaaf');
  });

  it('words lint\'s findings in the page\'s language: in Russian, none is left in English', () => {
    const html = page([IMAP_LIST, POP3, IMAP_SELECT, 'transcripts/seed/imap-capability-starttls-login.txt'], 'ru');
    const after9 = html.slice(html.indexOf(row(html, 1, 9)));
    expect(after9).toMatch(/^<tr[^>]*>.*?<\/tr>\n<tr class="finding error">.*<span class="severity">ошибка<\/span> <span class="rule">\[grammar\]<\/span> не соответствует правилу response-tagged формального синтаксиса: в столбце 6 ожидается /);
    const after12 = html.slice(html.indexOf(row(html, 2, 12)));
    expect(after12).toMatch(/^<tr[^>]*>.*?<\/tr>\n<tr class="finding error">.*\[apop\]<\/span> дайджест APOP не равен MD5\(/);
    const after13 = html.slice(html.indexOf(row(html, 3, 13)));
    expect(after13).toMatch(/^<tr[^>]*>.*?<\/tr>\n<tr class="finding note">.*<span class="severity">замечание<\/span> <span class="rule">\[revision\]<\/span> RFC 9051 \(IMAP4rev2\) это допускает, RFC 3501 — нет,/);
    const texts = [...html.matchAll(/<span class="rule">\[[a-z-]+\]<\/span> ([^<]*)<\/span>/g)].map((m) => m[1] as string);
    expect(texts.length).toBe(8);
    for (const text of texts) {
      expect(text).toMatch(/[а-яё]/);
      expect(text).not.toMatch(/^(not|the|a|an|no|literal|tag|at) /);
    }
    // English pages keep their English findings.
    expect(page([IMAP_SELECT], 'en')).toContain('[revision]</span> RFC 9051 (IMAP4rev2) allows this and RFC 3501 does not;');
  });

  it('shows the notes of a slide and the remark lines between the wire lines', () => {
    const html = page(['transcripts/seed/imap-capability-starttls-login.txt'], 'en');
    expect(html).toContain('<ul class="notes">');
    expect(row(html, 1, 11)).toMatch(/^<tr class="aside line flagged note-only"/);
    expect(row(html, 1, 11)).toContain('(TLS negotiation follows; further commands go over TLS)');
  });

  it('follows the states the session went through and the commands that moved it', () => {
    const session = handoutSession(input(IMAP_SELECT), 'en');
    expect(session.visits.map((v) => [v.state, v.movedBy, v.start ?? null])).toEqual([
      ['authenticated', null, 'inferred'],
      ['selected', 'A142 SELECT', null],
    ]);
    const pop3 = handoutSession(input(POP3), 'ru');
    expect(pop3.visits.map((v) => [v.state, v.lineNo, v.movedBy])).toEqual([
      ['authorization', 11, null],
      ['transaction', 13, 'APOP'],
      ['update', 32, 'QUIT'],
    ]);
    const html = page([POP3], 'ru');
    expect(html).toContain('<li class="state visited last"><span class="state-name">«Обновление» (UPDATE)</span><span class="visit">#3</span></li>');
    expect(html).toContain('переход по команде APOP (строка 13)');
  });

  it('forbids itself scripts and loads; its one style sheet is allowed by its hash', () => {
    const html = page([POP3], 'en');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(css).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });
});

describe('every transcript the project ships', () => {
  const all = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(join(dir, e.name)) : e.name.endsWith('.txt') ? [join(dir, e.name)] : []));
  const files = all('transcripts');

  it('makes a page with each of its wire lines on it, in order, and a diagram', () => {
    expect(files.length).toBeGreaterThan(300);
    for (const file of files) {
      const session = handoutSession(input(file), 'ru');
      const wire = session.rows.filter((r) => r.kind !== 'aside').map((r) => r.lineNo);
      expect(wire, file).toEqual(input(file).transcript.lines.map((l) => l.lineNo));
      const html = handoutHtml([input(file)], 'ru');
      expect(html.match(/<tr class="(client|server) line/g)?.length ?? 0, file).toBe(wire.length);
      expect(html, file).toContain('<figure class="diagram">');
    }
  });
});

describe('a hostile transcript on a handout', () => {
  const html = handoutHtml([{ ...input('x', HOSTILE_TRANSCRIPT), file: HOSTILE_FILE_NAME }, { ...input('y', HOSTILE_TRANSCRIPT), file: HOSTILE_FILE_NAME }], 'en');

  it('puts no element of its own on the page', () => {
    expect([...elementNames(html)].filter((n) => !PAGE_ELEMENTS.has(n))).toEqual([]);
    expect(html).not.toMatch(/<(script|img|iframe|svg|b)\b/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(6)&gt;.txt');
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(html).toContain('&lt;svg onload=alert(5)&gt;');
  });

  it('shows control characters, bidi overrides and bytes that are not UTF-8 as the terminal escapes them', () => {
    // No raw control character at all (the page's own line breaks aside).
    expect(html).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    const text = html.replace(/<[^>]*>/g, '');
    for (const shown of HOSTILE_SHOWN_AS) expect(text).toContain(shown);
    expect(html).toContain('<span class="esc">\\x1b</span>');
  });

  it('keeps the page\'s own elements whatever a file holds (property)', () => {
    const kinds = fc.constantFrom('C: ', 'S: ', '# note: ', '# title: ', '# source: ', '', '* ', '+ ');
    fc.assert(
      fc.property(fc.array(fc.tuple(kinds, fc.string({ unit: 'binary', maxLength: 40 })), { maxLength: 12 }), fc.string({ maxLength: 20 }), (lines, name) => {
        const source = lines.map(([k, s]) => k + s.replace(/\n/g, ' ')).join('\n');
        const out = handoutHtml([{ file: name, source, transcript: parseTranscript(source), protocol: 'imap' }], 'ru');
        expect([...elementNames(out)].filter((n) => !PAGE_ELEMENTS.has(n))).toEqual([]);
        expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
      }),
      { numRuns: 300 },
    );
  });
});
