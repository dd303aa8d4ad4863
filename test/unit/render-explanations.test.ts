/**
 * Explanations in the rendered session: under each command and response, as `#` lines with their RFC
 * section, only while they are on, with server values escaped like every other server byte.
 */
import { describe, expect, it } from 'vitest';
import { SessionExplainer } from '../../src/protocol/explain/session-explainer.js';
import { TranscriptRenderer } from '../../src/render/transcript-renderer.js';
import type { SessionEvent } from '../../src/session/events.js';

function renderer(explain: boolean, language: 'en' | 'ru' = 'en'): TranscriptRenderer {
  return new TranscriptRenderer({ colorLevel: 0, annotate: false, explainerFor: (p) => new SessionExplainer(p, language), explain });
}

const segment = (text: string, literalSize: number | null = null): SessionEvent => ({ kind: 'imap-segment', bytes: Buffer.from(text, 'utf8'), first: true, literalSize });
const client = (text: string, part: 'command' | 'literal' = 'command'): SessionEvent => ({ kind: 'client-line', protocol: 'imap', text, part });

describe('explanations in the rendered session', () => {
  it('come under the line they explain, with the RFC section', () => {
    const r = renderer(true);
    const out = [segment('* OK ready'), client('a1 LOGIN joe <secret>'), segment('a1 OK done'), client('a2 SELECT INBOX'), segment('* 18 EXISTS')]
      .map((e) => r.render(e))
      .join('');
    expect(out).toBe(
      [
        'S: * OK ready',
        '#   greeting: the server is ready; the client logs in next (RFC 3501 §7.1.1)',
        '#   now in the Not Authenticated state (RFC 3501 §3)',
        'C: a1 LOGIN joe <secret>',
        '#   logs in as joe; the password travels in the clear, so only over TLS (RFC 3501 §6.2.3)',
        'S: a1 OK done',
        '#   LOGIN (a1) completed successfully (RFC 3501 §7.1.1)',
        '#   now in the Authenticated state (RFC 3501 §3)',
        'C: a2 SELECT INBOX',
        '#   opens the mailbox INBOX read-write; the server first reports how many messages it holds, its flags and its UID values (RFC 3501 §6.3.1)',
        'S: * 18 EXISTS',
        '#   the mailbox holds 18 messages (RFC 3501 §7.3.1)',
        '',
      ].join('\n'),
    );
  });

  it('are followed while off, so that turning them on mid-session knows the session', () => {
    const r = renderer(false, 'ru');
    const quiet = [segment('* OK ready'), client('a1 LOGIN joe <secret>'), segment('a1 OK done'), client('a2 EXAMINE Archive')].map((e) => r.render(e)).join('');
    expect(quiet).not.toContain('#');
    r.setExplain(true);
    expect(r.render(segment('a2 OK [READ-ONLY] done'))).toContain('#   теперь состояние «Выбран» (Selected): почтовый ящик Archive, только чтение (RFC 3501 §3)');
  });

  it('escape what the server sent: a mailbox name with ESC and a bidi override', () => {
    const r = renderer(true);
    r.render(segment('* OK ready'));
    const out = r.render(segment('* LIST () "/" "evil\x1b[31m\u202Ename"'));
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\u202E');
    expect(out).toContain('#   mailbox evil\\x1b[31m\\u{202e}name, hierarchy delimiter "/" (RFC 3501 §7.2.2)');
  });

  it('POP3: the scan listing line by line, the end, nothing under message text after its first line but a stuffed line', () => {
    const r = renderer(true);
    const events: SessionEvent[] = [
      { kind: 'pop3-status', bytes: Buffer.from('+OK ready <1.2@x>'), multiline: false },
      { kind: 'client-line', protocol: 'pop3', text: 'USER mrose', part: 'command' },
      { kind: 'pop3-status', bytes: Buffer.from('+OK'), multiline: false },
      { kind: 'client-line', protocol: 'pop3', text: 'PASS <secret>', part: 'command' },
      { kind: 'pop3-status', bytes: Buffer.from('+OK'), multiline: false },
      { kind: 'client-line', protocol: 'pop3', text: 'LIST', part: 'command' },
      { kind: 'pop3-status', bytes: Buffer.from('+OK 1 message'), multiline: true },
      { kind: 'pop3-body-line', bytes: Buffer.from('1 120'), stuffed: false },
      { kind: 'pop3-end' },
      { kind: 'client-line', protocol: 'pop3', text: 'RETR 1', part: 'command' },
      { kind: 'pop3-status', bytes: Buffer.from('+OK'), multiline: true },
      { kind: 'pop3-body-line', bytes: Buffer.from('Subject: hi'), stuffed: false },
      { kind: 'pop3-body-line', bytes: Buffer.from('.hidden'), stuffed: true },
      { kind: 'pop3-end' },
    ];
    const lines = events.map((e) => r.render(e)).join('').split('\n');
    expect(lines.slice(lines.indexOf('S: 1 120'), lines.indexOf('S: 1 120') + 4)).toEqual([
      'S: 1 120',
      '#   message 1: 120 octets (RFC 1939 §5)',
      'S: .',
      '#   end of the multi-line reply (RFC 1939 §3)',
    ]);
    const subject = lines.indexOf('S: Subject: hi');
    expect(lines[subject + 1]).toMatch(/^# {3}the message itself/);
    // As on the wire, and said what it is: a message line ".hidden", not the end and something after it.
    expect(lines[subject + 2]).toBe('S: ..hidden');
    expect(lines[subject + 3]).toBe('#   a message line that starts with ".", sent with one more "." in front so that it is not taken for the end; the line itself: .hidden (RFC 1939 §3)');
    expect(lines[subject + 4]).toBe('S: .');
  });
});
