import { describe, expect, it } from 'vitest';
import { findImapCommand, IMAP_COMMANDS, IMAP_UID_SUBCOMMANDS, imapCapabilityOffers } from '../../src/protocol/imap/commands.js';
import { IMAP_STATE_MOVES, imapStateMove } from '../../src/protocol/imap/state-moves.js';

// RFC 3501 §6: every command of IMAP4rev1, with the section that defines it.
const RFC3501: Record<string, string> = {
  CAPABILITY: '6.1.1',
  NOOP: '6.1.2',
  LOGOUT: '6.1.3',
  STARTTLS: '6.2.1',
  AUTHENTICATE: '6.2.2',
  LOGIN: '6.2.3',
  SELECT: '6.3.1',
  EXAMINE: '6.3.2',
  CREATE: '6.3.3',
  DELETE: '6.3.4',
  RENAME: '6.3.5',
  SUBSCRIBE: '6.3.6',
  UNSUBSCRIBE: '6.3.7',
  LIST: '6.3.8',
  LSUB: '6.3.9',
  STATUS: '6.3.10',
  APPEND: '6.3.11',
  CHECK: '6.4.1',
  CLOSE: '6.4.2',
  EXPUNGE: '6.4.3',
  SEARCH: '6.4.4',
  FETCH: '6.4.5',
  STORE: '6.4.6',
  COPY: '6.4.7',
  UID: '6.4.8',
};

const EXTENSIONS: Record<string, { rfc: RegExp; capability: string }> = {
  IDLE: { rfc: /^RFC 2177 §3$/, capability: 'IDLE' },
  NAMESPACE: { rfc: /^RFC 2342 §5$/, capability: 'NAMESPACE' },
  GETQUOTA: { rfc: /^RFC 9208 §4\.1\.1$/, capability: 'QUOTA' },
  GETQUOTAROOT: { rfc: /^RFC 9208 §4\.1\.2$/, capability: 'QUOTA' },
  SETQUOTA: { rfc: /^RFC 9208 §4\.1\.3$/, capability: 'QUOTA' },
  ENABLE: { rfc: /^RFC 5161 §3\.1$/, capability: 'ENABLE' },
  ID: { rfc: /^RFC 2971 §3\.1$/, capability: 'ID' },
  UNSELECT: { rfc: /^RFC 3691 §2$/, capability: 'UNSELECT' },
  MOVE: { rfc: /^RFC 6851 §3\.1$/, capability: 'MOVE' },
  COMPRESS: { rfc: /^RFC 4978 §3$/, capability: 'COMPRESS=' },
  GETMETADATA: { rfc: /^RFC 5464 §4\.2$/, capability: 'METADATA' },
  SETMETADATA: { rfc: /^RFC 5464 §4\.3$/, capability: 'METADATA' },
  SORT: { rfc: /^RFC 5256 §3$/, capability: 'SORT' },
  THREAD: { rfc: /^RFC 5256 §3$/, capability: 'THREAD=' },
};

// The IANA "IMAP Commands" registry (https://www.iana.org/assignments/imap-commands), each command
// with the RFC the registry names for it.
const IANA_REGISTRY: Record<string, number> = {
  APPEND: 3501, AUTHENTICATE: 3501, CAPABILITY: 3501, CHECK: 3501, CLOSE: 3501, COPY: 3501, CREATE: 3501,
  DELETE: 3501, EXAMINE: 3501, EXPUNGE: 3501, FETCH: 3501, LIST: 3501, LOGIN: 3501, LOGOUT: 3501, LSUB: 3501,
  NOOP: 3501, RENAME: 3501, SEARCH: 3501, SELECT: 3501, STARTTLS: 3501, STATUS: 3501, STORE: 3501,
  SUBSCRIBE: 3501, UID: 3501, UNSUBSCRIBE: 3501,
  SETACL: 4314, DELETEACL: 4314, GETACL: 4314, LISTRIGHTS: 4314, MYRIGHTS: 4314,
  RESETKEY: 4467, GENURLAUTH: 4467, URLFETCH: 4467,
  GETMETADATA: 5464, SETMETADATA: 5464,
  GETQUOTA: 9208, GETQUOTAROOT: 9208, SETQUOTA: 9208,
  LANGUAGE: 5255, COMPARATOR: 5255, CANCELUPDATE: 5267, CONVERT: 5259, NOTIFY: 5465, ESEARCH: 7377,
  UNAUTHENTICATE: 8437, REPLACE: 8508, RLIST: 2193, RLSUB: 2193, GETJMAPACCESS: 9698,
  COMPRESS: 4978, ENABLE: 5161, ID: 2971, IDLE: 2177, MOVE: 6851, NAMESPACE: 2342, SORT: 5256, THREAD: 5256,
  UNSELECT: 3691,
};

describe('IMAP command table', () => {
  it('has every command of the IANA registry, citing its RFC', () => {
    for (const [name, rfc] of Object.entries(IANA_REGISTRY)) {
      const spec = findImapCommand(name);
      expect(spec, name).toBeDefined();
      expect(spec?.experimental, name).toBeUndefined();
      expect(spec?.rfc, name).toMatch(new RegExp(`^RFC ${rfc}\\b`));
    }
    // The commands UID applies to in the registry: UID EXPUNGE (RFC 4315), UID MOVE, UID REPLACE, UID SORT, UID THREAD.
    for (const sub of ['EXPUNGE', 'MOVE', 'REPLACE', 'SORT', 'THREAD']) expect(IMAP_UID_SUBCOMMANDS, sub).toContain(sub);
  });

  it('has every RFC 3501 command with its section', () => {
    for (const [name, section] of Object.entries(RFC3501)) {
      const spec = findImapCommand(name);
      expect(spec, name).toBeDefined();
      expect(spec?.rfc).toBe(`RFC 3501 §${section}`);
    }
  });

  it('has the common extensions with their RFC and capability', () => {
    for (const [name, { rfc, capability }] of Object.entries(EXTENSIONS)) {
      const spec = findImapCommand(name);
      expect(spec?.rfc, name).toMatch(rfc);
      expect(spec?.capability, name).toBe(capability);
    }
  });

  it('has unique upper-case names, a syntax starting with the name, a summary and states', () => {
    const names = IMAP_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of IMAP_COMMANDS) {
      expect(c.name).toBe(c.name.toUpperCase());
      expect(c.syntax.startsWith(c.name), c.name).toBe(true);
      expect(c.summary.length, c.name).toBeGreaterThan(10);
      expect(c.states.length, c.name).toBeGreaterThan(0);
      expect(c.states, c.name).not.toContain('logout');
      // A reference without a section names the RFC as the IANA registry does.
      expect(c.rfc, c.name).toMatch(/^RFC \d+( §\d+(\.\d+)*)?$/);
      for (const ref of c.seeAlso ?? []) expect(ref, c.name).toMatch(/^RFC \d+ §\d+(\.\d+)*$/);
    }
  });

  it('puts commands in the states RFC 3501 §6 gives them', () => {
    expect(findImapCommand('LOGIN')?.states).toEqual(['not-authenticated']);
    expect(findImapCommand('NOOP')?.states).toEqual(['not-authenticated', 'authenticated', 'selected']);
    // §6.4: the authenticated-state commands stay valid once a mailbox is selected.
    expect(findImapCommand('SELECT')?.states).toEqual(['authenticated', 'selected']);
    expect(findImapCommand('FETCH')?.states).toEqual(['selected']);
    // RFC 5161 §3.1: ENABLE only before any mailbox is selected.
    expect(findImapCommand('ENABLE')?.states).toEqual(['authenticated']);
  });

  it('marks the arguments that carry credentials', () => {
    expect(findImapCommand('LOGIN')?.secretArgsFrom).toBe(1);
    expect(findImapCommand('AUTHENTICATE')?.secretArgsFrom).toBe(1);
    expect(findImapCommand('AUTHENTICATE')?.continuation).toBe('sasl');
    expect(findImapCommand('IDLE')?.continuation).toBe('idle');
    expect(IMAP_COMMANDS.filter((c) => c.secretArgsFrom !== undefined).map((c) => c.name)).toEqual(['AUTHENTICATE', 'LOGIN']);
  });

  it('finds commands case-insensitively', () => {
    expect(findImapCommand('select')?.name).toBe('SELECT');
    expect(findImapCommand('Uid')?.name).toBe('UID');
    expect(findImapCommand('a001')).toBeUndefined();
    expect(findImapCommand('')).toBeUndefined();
    expect(findImapCommand('BLURDYBLOOP')).toBeUndefined();
  });

  it('describes any X<atom> as an experimental command (RFC 3501 §6.5.1)', () => {
    const spec = findImapCommand('xpig-latin');
    expect(spec).toMatchObject({ name: 'XPIG-LATIN', rfc: 'RFC 3501 §6.5.1', experimental: true });
    expect(spec?.states.length).toBeGreaterThan(0);
    expect(findImapCommand('X')).toBeUndefined();
    expect(findImapCommand('X(')).toBeUndefined();
    expect(findImapCommand('SELECT')?.experimental).toBeUndefined();
  });

  it('lists the UID sub-commands, each a command of its own', () => {
    for (const sub of IMAP_UID_SUBCOMMANDS) expect(findImapCommand(sub), sub).toBeDefined();
  });

  it('tells whether advertised capabilities offer a command', () => {
    const caps = ['IMAP4rev1', 'IDLE', 'AUTH=PLAIN', 'THREAD=REFERENCES', 'SORT=DISPLAY'];
    const offers = (name: string) => imapCapabilityOffers(findImapCommand(name)!, caps);
    expect(offers('SELECT')).toBe(true);
    expect(offers('IDLE')).toBe(true);
    expect(offers('AUTHENTICATE')).toBe(true);
    expect(offers('THREAD')).toBe(true);
    expect(offers('SORT')).toBe(true);
    expect(offers('MOVE')).toBe(false);
    expect(offers('COMPRESS')).toBe(false);
  });
});

describe('IMAP state moves (state-moves.ts)', () => {
  it('each leaves only from states in which its commands are valid, to a state of RFC 3501 §3', () => {
    for (const move of IMAP_STATE_MOVES) {
      for (const name of move.commands) {
        const spec = findImapCommand(name);
        expect(spec, name).toBeDefined();
        for (const from of move.from) expect(spec?.states, `${name} from ${from}`).toContain(from);
      }
      expect(['not-authenticated', 'authenticated', 'selected', 'logout']).toContain(move.to);
      expect(move.rfc).toMatch(/^RFC \d+ §\d/);
    }
  });

  it('moves by the completion: OK, a failure, from a state not known', () => {
    expect(imapStateMove('unauthenticate', true, 'selected')?.to).toBe('not-authenticated');
    expect(imapStateMove('UNAUTHENTICATE', false, 'selected')).toBeNull();
    expect(imapStateMove('SELECT', false, 'selected')?.to).toBe('authenticated');
    expect(imapStateMove('SELECT', false, 'authenticated')).toBeNull();
    // From a state not known a success lands where it lands; a failure tells nothing.
    expect(imapStateMove('LOGIN', true, 'unknown')?.to).toBe('authenticated');
    expect(imapStateMove('SELECT', false, 'unknown')).toBeNull();
    // A LOGIN the server accepts when already logged in moves nothing.
    expect(imapStateMove('LOGIN', true, 'selected')).toBeNull();
  });
});
