import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findPop3Command,
  maskPop3AuthResponse,
  maskPop3Secrets,
  POP3_COMMANDS,
  pop3ReplyShapeFor,
  type Pop3ReplyShape,
} from '../../src/protocol/pop3/commands.js';
import { SECRET_PLACEHOLDER } from '../../src/protocol/secret-placeholder.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/pop3/', import.meta.url));

interface Exchange {
  file: string;
  command: string;
  /** The server lines answering it, up to the next client line or elision. */
  reply: string[];
}

/**
 * The commands of an RFC POP3 transcript with the server lines that answer them. Lines answering an
 * AUTH challenge ("+ ...") are SASL responses, not commands; pseudo-lines such as "<open connection>"
 * are skipped.
 */
function exchanges(file: string): Exchange[] {
  const out: Exchange[] = [];
  let current: Exchange | null = null;
  let inAuth = false;
  for (const raw of readFileSync(FIXTURES + file, 'utf8').split('\n')) {
    if (raw.startsWith('S:')) {
      const text = raw.slice(3);
      if (current) current.reply.push(text);
      if (inAuth && (text.startsWith('+OK') || text.startsWith('-ERR'))) inAuth = false;
      continue;
    }
    if (!raw.startsWith('C:')) {
      if (raw.startsWith('...')) current = null;
      continue;
    }
    const text = raw.slice(3);
    if (inAuth || !findPop3Command(text.split(' ')[0] ?? '')) {
      current = null;
      continue;
    }
    current = { file, command: text, reply: [] };
    out.push(current);
    if (/^AUTH \S+$/i.test(text)) inAuth = true;
  }
  return out;
}

/** What the transcript shows: a +OK with lines after it ending in "." is a multi-line reply. */
function observedShape(reply: readonly string[]): Pop3ReplyShape | null {
  const [status, ...rest] = reply;
  if (!status?.startsWith('+OK')) return null; // -ERR and "+ " look the same in both shapes
  return rest.length > 0 && rest[rest.length - 1] === '.' ? 'multiline-if-ok' : 'single';
}

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));
const all = files.flatMap(exchanges);

describe('POP3 command table', () => {
  it('has the RFC 1939 commands and the extensions, with their sections', () => {
    const expected: Record<string, string> = {
      USER: 'RFC 1939 §7',
      PASS: 'RFC 1939 §7',
      APOP: 'RFC 1939 §7',
      QUIT: 'RFC 1939 §6',
      STAT: 'RFC 1939 §5',
      LIST: 'RFC 1939 §5',
      RETR: 'RFC 1939 §5',
      DELE: 'RFC 1939 §5',
      NOOP: 'RFC 1939 §5',
      RSET: 'RFC 1939 §5',
      TOP: 'RFC 1939 §7',
      UIDL: 'RFC 1939 §7',
      CAPA: 'RFC 2449 §5',
      STLS: 'RFC 2595 §4',
      AUTH: 'RFC 5034 §4',
      UTF8: 'RFC 6856 §2.1',
      LANG: 'RFC 6856 §3',
    };
    for (const [name, rfc] of Object.entries(expected)) expect(findPop3Command(name)?.rfc, name).toBe(rfc);
    expect(POP3_COMMANDS.map((c) => c.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it('has unique names, syntax, summaries and states', () => {
    const names = POP3_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of POP3_COMMANDS) {
      expect(c.syntax.startsWith(c.name), c.name).toBe(true);
      expect(c.summary.length, c.name).toBeGreaterThan(10);
      expect(c.states.length, c.name).toBeGreaterThan(0);
      expect(c.states, c.name).not.toContain('update');
    }
  });

  it('puts commands in the states of RFC 1939', () => {
    expect(findPop3Command('user')?.states).toEqual(['authorization']);
    expect(findPop3Command('RETR')?.states).toEqual(['transaction']);
    expect(findPop3Command('QUIT')?.states).toEqual(['authorization', 'transaction']);
    expect(findPop3Command('CAPA')?.states).toEqual(['authorization', 'transaction']);
    expect(findPop3Command('XTND')).toBeUndefined();
  });
});

describe('pop3ReplyShapeFor', () => {
  it('walks the RFC examples', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((e) => observedShape(e.reply) === 'multiline-if-ok').length).toBeGreaterThan(8);
    expect(exchanges('rfc1734-2-auth-kerberos-v4.txt').map((e) => e.command)).toEqual(['AUTH KERBEROS_V4', 'AUTH FOOBAR']);
  });

  it.each(all.map((e) => [e.file, e.command, e] as const))('%s: %s gets the reply the RFC shows', (_file, command, e) => {
    const observed = observedShape(e.reply);
    if (observed !== null) expect(pop3ReplyShapeFor(command)).toBe(observed);
    else expect(pop3ReplyShapeFor(command)).toBe(/^(RETR|TOP) /i.test(command) ? 'multiline-if-ok' : 'single');
  });

  it('expects a body after +OK for CAPA, LIST/UIDL without argument, RETR, TOP, AUTH/LANG alone', () => {
    for (const line of ['CAPA', 'LIST', 'UIDL', 'RETR 1', 'TOP 1 10', 'AUTH', 'LANG', 'list', '  uidl  ', 'Retr  2', 'capa ']) {
      expect(pop3ReplyShapeFor(line), line).toBe('multiline-if-ok');
    }
  });

  it('expects one line for everything else', () => {
    for (const line of ['LIST 2', 'UIDL 2', ' list  2 ', 'AUTH PLAIN', 'AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=', 'LANG es', 'STAT', 'USER mrose', 'PASS a b', 'APOP mrose x', 'QUIT', 'NOOP', 'RSET', 'DELE 1', 'STLS', 'UTF8', 'XTND XMIT', '']) {
      expect(pop3ReplyShapeFor(line), line).toBe('single');
    }
  });
});

describe('maskPop3Secrets', () => {
  it('masks everything after "PASS ", spaces included (RFC 1939 §7)', () => {
    expect(maskPop3Secrets('PASS secret')).toEqual({ masked: `PASS ${SECRET_PLACEHOLDER}`, secretFound: true });
    expect(maskPop3Secrets('pass my secret with spaces ')).toEqual({ masked: 'pass <secret>', secretFound: true });
    expect(maskPop3Secrets('PASS  leading')).toEqual({ masked: 'PASS <secret>', secretFound: true });
    expect(maskPop3Secrets('PASS')).toEqual({ masked: 'PASS', secretFound: false });
  });

  it('masks AUTH\'s initial response (RFC 5034 §4), not the mechanism nor "="', () => {
    expect(maskPop3Secrets('AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=')).toEqual({ masked: 'AUTH PLAIN <secret>', secretFound: true });
    expect(maskPop3Secrets('auth  plain   dGVzdA==  ')).toEqual({ masked: 'auth  plain   <secret>  ', secretFound: true });
    expect(maskPop3Secrets('AUTH PLAIN')).toEqual({ masked: 'AUTH PLAIN', secretFound: false });
    expect(maskPop3Secrets('AUTH EXTERNAL =')).toEqual({ masked: 'AUTH EXTERNAL =', secretFound: false });
    expect(maskPop3Secrets('AUTH')).toEqual({ masked: 'AUTH', secretFound: false });
  });

  it('shows the APOP digest, but masks a second argument that is no digest', () => {
    const apop = 'APOP mrose c4c9334bac560ecc979e58001b3e22fb';
    expect(maskPop3Secrets(apop)).toEqual({ masked: apop, secretFound: false });
    expect(maskPop3Secrets('APOP mrose tanstaaf')).toEqual({ masked: 'APOP mrose <secret>', secretFound: true });
    expect(maskPop3Secrets('APOP mrose')).toEqual({ masked: 'APOP mrose', secretFound: false });
  });

  it('leaves the other commands of the RFC examples alone', () => {
    for (const { command } of all.filter((e) => !/^(PASS|AUTH \S+ )/.test(e.command))) {
      expect(maskPop3Secrets(command), command).toEqual({ masked: command, secretFound: false });
    }
    expect(maskPop3Secrets('PASS secret').masked).not.toContain('secret ');
  });

  it('never shows a password or an initial response', () => {
    const secret = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '=', '+', '/', '*', '.'), minLength: 1 }).filter((s) => s.trim() !== '' && s.trim() !== '=');
    fc.assert(
      fc.property(secret, (s) => {
        expect(maskPop3Secrets(`PASS ${s}`)).toEqual({ masked: 'PASS <secret>', secretFound: true });
        const ir = s.replace(/ /g, '');
        if (ir !== '' && ir !== '=') expect(maskPop3Secrets(`AUTH PLAIN ${ir}`)).toEqual({ masked: 'AUTH PLAIN <secret>', secretFound: true });
      }),
    );
  });

  it('masks SASL responses whole, except "*" and an empty line', () => {
    expect(maskPop3AuthResponse('dGVzdAB0ZXN0AHRlc3Q=')).toEqual({ masked: '<secret>', secretFound: true });
    expect(maskPop3AuthResponse('*')).toEqual({ masked: '*', secretFound: false });
    expect(maskPop3AuthResponse('')).toEqual({ masked: '', secretFound: false });
  });
});
