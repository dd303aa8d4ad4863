/**
 * Handouts in a real browser: headless Chromium opens the pages `mailwire handout` wrote. The DOM it
 * built holds the lines, explanations, diagram states and lint marks in file order, and a hostile
 * transcript's markup as text only; a screenshot is a page with the handout's colors on it (so the
 * style sheet passed the page's own Content-Security-Policy); printed, each session starts a page.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeChromium } from '../support/chromium.js';
import { runMain } from '../support/cli.js';
import { HOSTILE_FILE_NAME, HOSTILE_SHOWN_AS, HOSTILE_TRANSCRIPT } from '../support/hostile-transcript.js';
import { colorCounts, decodePng } from '../support/png.js';

const SEED = fileURLToPath(new URL('../../transcripts/seed/', import.meta.url));
const IMAP_LIST = join(SEED, 'imap-list-create-rename-delete.txt');
const IMAP_SELECT = join(SEED, 'imap-select-status.txt');
const APOP = join(SEED, 'pop3-apop-session.txt');
const BROWSER_TIMEOUT = 300_000;

/** Writes a handout with mailwire itself, as a teacher would. */
async function handout(files: string[], out: string, lang: 'en' | 'ru'): Promise<string> {
  const r = await runMain(['handout', ...files, '-o', out, '--lang', lang]);
  if (r.code !== 0) throw new Error(`mailwire handout failed (${r.code}): ${r.stderr}`);
  return out;
}

/** Opening tags of the serialized DOM, in document order: [name, attributes]. */
function elements(dom: string): Array<[string, string]> {
  return [...dom.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*)?)>/g)].map((m) => [(m[1] as string).toLowerCase(), m[2] ?? '']);
}

describeChromium('handouts in headless Chromium', (chromium) => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'mailwire-handout-browser-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds a DOM with every line, its explanation, the diagram and the lint marks, in order', async () => {
    const page = await handout([IMAP_LIST, APOP], join(work, 'lecture.html'), 'ru');
    const dom = await chromium().dumpDom(page);
    const rows = [...dom.matchAll(/<tr class="(\w+) line[^"]*" id="s(\d)-l(\d+)">/g)].map((m) => `${m[2]}:${m[3]}:${m[1]}`);
    // Session 1: the LIST/CREATE/RENAME/DELETE slide (wire lines 7-..); session 2: the POP3 session, lines 11-32.
    const pop3Rows = rows.filter((r) => r.startsWith('2:'));
    expect(pop3Rows).toEqual(Array.from({ length: 22 }, (_, i) => `2:${11 + i}:${[12, 14, 19, 23, 25, 29, 31].includes(11 + i) ? 'client' : 'server'}`));
    expect(rows.indexOf('1:7:client')).toBe(0);
    expect(rows.filter((r) => r.startsWith('1:')).map((r) => Number(r.split(':')[1]))).toEqual(
      [...rows.filter((r) => r.startsWith('1:')).map((r) => Number(r.split(':')[1]))].sort((a, b) => a - b),
    );

    // The explanation beside the line, in the chosen language, in the same table row.
    expect(dom).toMatch(/id="s2-l13">.*?<td class="explain"><p><span class="r-explanation">[^<]*в почтовом ящике 2 сообщения[^<]*<\/span>/s);
    expect(dom).toMatch(/id="s2-l32">.*?теперь состояние «Обновление» \(UPDATE\)/s);

    // The diagram: the states in the machine's order, the ones passed numbered in order, the moves named.
    const pop3 = dom.slice(dom.indexOf('id="s2"'));
    const states = [...pop3.matchAll(/<li class="(state[^"]*)"><span class="state-name">([^<]*)<\/span>/g)].map((m) => [m[1], m[2]]);
    expect(states).toEqual([
      ['state visited', '«Авторизация» (AUTHORIZATION)'],
      ['state visited', '«Транзакция» (TRANSACTION)'],
      ['state visited last', '«Обновление» (UPDATE)'],
    ]);
    expect(pop3).toMatch(/<ol class="path">\s*<li>.*?после приветствия сервера \(строка 11\).*?<li>.*?переход по команде APOP \(строка 13\).*?<li>.*?переход по команде QUIT \(строка 32\)/s);

    // Lint marks: the line itself flagged, the finding right after it.
    expect(dom).toMatch(/<tr class="server line flagged" id="s1-l9">.*?<\/tr>\s*<tr class="finding error">.*?ошибка.*?\[grammar\].*?не соответствует правилу response-tagged/s);
    expect(dom).toMatch(/<tr class="server line flagged" id="s1-l13">/);
    expect(dom).toMatch(/<tr class="client line flagged" id="s2-l12">.*?<\/tr>\s*<tr class="finding error">.*?\[apop\]/s);
    expect(dom).not.toMatch(/<tr class="[^"]*flagged[^"]*" id="s2-l13">/);
  }, BROWSER_TIMEOUT);

  it('shows a hostile transcript\'s markup and control bytes as text: no element of the file\'s own', async () => {
    const file = join(work, HOSTILE_FILE_NAME);
    writeFileSync(file, HOSTILE_TRANSCRIPT);
    const page = await handout([file], join(work, 'hostile.html'), 'en');
    const dom = await chromium().dumpDom(page);
    const names = new Set(elements(dom).map(([n]) => n));
    for (const forbidden of ['script', 'img', 'iframe', 'svg', 'b', 'object', 'embed', 'link', 'base', 'form']) {
      expect(names.has(forbidden), `<${forbidden}> in the DOM`).toBe(false);
    }
    // Nothing the file wrote became an attribute either (no handler, no javascript: URL).
    for (const [, attributes] of elements(dom)) expect(attributes).not.toMatch(/\bon[a-z]+=|javascript:/i);
    // The payloads are there, as text.
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(dom).toContain('"&gt;&lt;img src=x onerror=alert(6)&gt;.txt');
    expect(dom).toContain('&lt;iframe src=javascript:alert(4)&gt;&lt;/iframe&gt;');
    expect(dom).toContain('&lt;svg onload=alert(5)&gt;');
    const text = dom.replace(/<[^>]*>/g, '');
    for (const shown of HOSTILE_SHOWN_AS) expect(text).toContain(shown);
    expect(dom).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  }, BROWSER_TIMEOUT);

  it('screenshots as a page with the handout\'s colors on it, not a blank one', async () => {
    const page = await handout([IMAP_SELECT, IMAP_LIST], join(work, 'imap.html'), 'en');
    const image = decodePng(await chromium().screenshot(page, 1280, 1600));
    expect([image.width, image.height]).toEqual([1280, 1600]);
    const counts = colorCounts(image);
    const total = image.width * image.height;
    expect(counts.size).toBeGreaterThan(50);
    // White paper, mostly; no dark background.
    expect((counts.get('ffffff') ?? 0) / total).toBeGreaterThan(0.5);
    // The style sheet applied (its hash matched the page's CSP): client lines' blue rule, the lint mark's
    // red rule, the visited states' teal boxes, each a solid border of the exact color.
    expect(counts.get('1747c8') ?? 0).toBeGreaterThan(200);
    expect(counts.get('b3121b') ?? 0).toBeGreaterThan(100);
    expect(counts.get('00727f') ?? 0).toBeGreaterThan(100);
  }, BROWSER_TIMEOUT);

  it('lays out the Russian page at 1000 pixels: the state diagram top to bottom, no column heading cut', async () => {
    const page = await handout([IMAP_SELECT], join(work, 'layout.html'), 'ru');
    // A copy that measures itself: the page's own policy forbids scripts, so the copy goes without it.
    const measure = `<script>
      const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
      document.body.setAttribute('data-layout', JSON.stringify({
        headings: [...document.querySelectorAll('table.lines th')].map((e) => ({ text: e.textContent, scroll: e.scrollWidth, client: e.clientWidth })),
        machine: [...document.querySelector('ol.machine').children].map(box),
        figure: box(document.querySelector('figure.diagram')),
      }));
    </script>`;
    const copy = join(work, 'layout-measured.html');
    writeFileSync(copy, readFileSync(page, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${measure}</body>`));
    const dom = await chromium().dumpDom(copy, { width: 1000, height: 900 });
    const attribute = /data-layout="([^"]*)"/.exec(dom)?.[1];
    expect(attribute, 'the measuring script ran').toBeDefined();
    type Box = { left: number; top: number; right: number; bottom: number };
    const layout = JSON.parse((attribute as string).replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as { headings: Array<{ text: string; scroll: number; client: number }>; machine: Box[]; figure: Box };
    expect(layout.headings.map((h) => h.text)).toEqual(['Строка', 'Что передано', 'Что это значит']);
    for (const h of layout.headings) expect(h.scroll, `"${h.text}" fits its column`).toBeLessThanOrEqual(h.client);
    // Four states and the three moves between them, each below the one before, all inside the figure.
    expect(layout.machine).toHaveLength(7);
    layout.machine.forEach((b, i) => {
      if (i > 0) expect(b.top, `item ${i + 1} below item ${i}`).toBeGreaterThanOrEqual((layout.machine[i - 1] as Box).bottom - 1);
      expect(b.left).toBeGreaterThanOrEqual(layout.figure.left);
      expect(b.right).toBeLessThanOrEqual(layout.figure.right);
    });
  }, BROWSER_TIMEOUT);

  it('prints every session of the lecture on pages of its own', async () => {
    const page = await handout([SEED], join(work, 'print.html'), 'ru');
    const pdf = await chromium().printToPdf(page);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
    // The legend and contents, then 11 sessions, each starting a page.
    expect(pages).toBeGreaterThanOrEqual(12);
  }, BROWSER_TIMEOUT);
});
