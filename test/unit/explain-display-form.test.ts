/**
 * Explanations of a transcript's lines (step, lint --explain, handout) read the text a line stands
 * for, not its escapes: a quoted string's backslashes are IMAP's own. What they say is shown in
 * display form, as the line is: a real ESC as `\x1b`, the text `\x41` as `\x5cx41`.
 */
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { handoutHtml } from '../../src/transcript/handout.js';
import { stepExchanges } from '../../src/transcript/step.js';

const SOURCE = ['# protocol: imap', 'S: * OK ready', 'C: a1 LIST "" *', 'S: * LIST () "/" "evil\\x1b[31mname"', 'S: * LIST () "/" "C:\\\\x5cx41"', 'S: a1 OK done', ''].join('\n');
const TRANSCRIPT = parseTranscript(SOURCE);

describe('explanations of a transcript line with escapes', () => {
  it('step: a mailbox name holding an ESC, and one holding the text \\x41', () => {
    const shown = stepExchanges(TRANSCRIPT, 'imap', 'en').flatMap((x) => x.lines.map((spans) => spans.map((s) => s.text).join('')));
    expect(shown).toContain('#   mailbox evil\\x1b[31mname, hierarchy delimiter "/" (RFC 3501 §7.2.2)');
    expect(shown).toContain('#   mailbox C:\\x5cx41, hierarchy delimiter "/" (RFC 3501 §7.2.2)');
  });

  it('handout: the same on the page', () => {
    const page = handoutHtml([{ file: 'list.txt', source: SOURCE, transcript: TRANSCRIPT }], 'en');
    expect(page).toContain('mailbox evil<span class="esc">\\x1b</span>[31mname');
    expect(page).toContain('mailbox C:<span class="esc">\\x5c</span>x41');
  });
});
