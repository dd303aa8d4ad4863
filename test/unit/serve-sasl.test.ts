/**
 * serve's `<secret>` in a SASL exchange is one SASL response: a single base64 token (RFC 4959 §3 and
 * RFC 5034 §4 for an initial response after the mechanism, RFC 3501 §6.2.2 and RFC 5034 §4 for a line
 * answering a "+"), never the rest of the line, never a quoted string or a literal. "*" is the
 * client cancelling the exchange, not a secret: where the transcript shows a response it is refused
 * as a cancel (a tagged BAD, RFC 3501 §6.2.2; -ERR, RFC 5034 §4), and where the transcript shows the
 * "*" it is met. What the client sends in a SASL exchange is masked in every report. Pure: the sans-io
 * TranscriptServer, client bytes in, bytes out.
 */
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { TranscriptServer, type ServeAction } from '../../src/transcript/serve.js';

const clock = () => new Date('2026-12-03T12:00:00Z');

interface Played {
  server: TranscriptServer;
  /** What serve sent back to each client chunk. */
  replies: string[];
  /** Every report, as JSON. */
  reports: string[];
}

function play(protocol: 'imap' | 'pop3', lines: string[], chunks: string[]): Played {
  const server = new TranscriptServer(parseTranscript([`# protocol: ${protocol}`, ...lines, ''].join('\n')), { protocol, clock });
  const reports: string[] = [];
  const take = (actions: ServeAction[]): string => {
    for (const a of actions) if (a.type === 'report') reports.push(JSON.stringify(a.report));
    return actions.flatMap((a) => (a.type === 'send' ? [a.bytes.toString('utf8')] : [])).join('');
  };
  take(server.start());
  const replies = chunks.map((c) => take(server.receive(Buffer.from(c, 'utf8'))));
  return { server, replies, reports };
}

const PLAIN = Buffer.from('\0joe\0hunter2').toString('base64');

describe('POP3 AUTH with an initial response (RFC 5034 §4)', () => {
  const LINES = ['S: +OK ready', 'C: AUTH PLAIN <secret>', 'S: +OK Logged in.', 'C: QUIT', 'S: +OK bye'];

  it('`<secret>` is one token: `AUTH PLAIN abc EXTRA` is refused, `AUTH PLAIN abc` met', () => {
    const p = play('pop3', LINES, ['AUTH PLAIN abc EXTRA\r\n', 'AUTH PLAIN abc\r\n', 'QUIT\r\n']);
    expect(p.replies[0]).toMatch(/^-ERR mailwire serve: /);
    expect(p.replies[1]).toBe('+OK Logged in.\r\n');
    expect(p.replies[2]).toBe('+OK bye\r\n');
    expect(p.server.mismatches).toBe(1);
    expect(p.reports[0]).toContain('one SASL response, a single base64 token');
    expect(p.server.done).toBe(true);
  });

  it('meets a real PLAIN response, the keyword in any case; refuses "=", a quoted string, a second word', () => {
    expect(play('pop3', LINES, [`AUTH PLAIN ${PLAIN}\r\n`]).replies).toEqual(['+OK Logged in.\r\n']);
    expect(play('pop3', LINES, [`auth PLAIN ${PLAIN}\r\n`]).replies).toEqual(['+OK Logged in.\r\n']);
    for (const wrong of ['AUTH PLAIN =', `AUTH PLAIN "${PLAIN}"`, `AUTH PLAIN ${PLAIN} ${PLAIN}`, 'AUTH PLAIN', 'AUTH PLAIN *']) {
      const p = play('pop3', LINES, [`${wrong}\r\n`]);
      expect(p.replies[0], wrong).toMatch(/^-ERR /);
      expect(p.server.mismatches, wrong).toBe(1);
    }
  });

  it('PASS <secret> still takes the rest of the line (RFC 1939 §7), the keyword in any case', () => {
    const lines = ['S: +OK ready', 'C: USER joe', 'S: +OK', 'C: PASS <secret>', 'S: +OK in'];
    expect(play('pop3', lines, ['USER joe\r\n', 'PASS pass word\r\n']).replies).toEqual(['+OK\r\n', '+OK in\r\n']);
    expect(play('pop3', lines, ['user joe\r\n', 'pass hunter2\r\n']).replies).toEqual(['+OK\r\n', '+OK in\r\n']);
  });
});

describe('IMAP AUTHENTICATE with an initial response (RFC 4959 §3)', () => {
  const LINES = ['S: * OK ready', 'C: a1 AUTHENTICATE PLAIN <secret>', 'S: a1 OK Logged in', 'C: a2 LOGOUT', 'S: * BYE', 'S: a2 OK done'];

  it('`<secret>` is one base64 token, never a quoted string or a literal (base64 / "=" is no astring)', () => {
    expect(play('imap', LINES, [`x1 AUTHENTICATE PLAIN ${PLAIN}\r\n`]).replies).toEqual(['x1 OK Logged in\r\n']);
    expect(play('imap', LINES, [`x1 authenticate plain ${PLAIN}\r\n`]).replies).toEqual(['x1 OK Logged in\r\n']);
    for (const wrong of [`x1 AUTHENTICATE PLAIN "${PLAIN}"`, `x1 AUTHENTICATE PLAIN ${PLAIN} MORE`, 'x1 AUTHENTICATE PLAIN =', 'x1 AUTHENTICATE PLAIN *']) {
      const p = play('imap', LINES, [`${wrong}\r\n`]);
      expect(p.replies[0], wrong).toMatch(/^x1 BAD mailwire serve: /);
      expect(p.server.mismatches, wrong).toBe(1);
    }
    // Sent as a literal, it is read whole (a "+" for it), and refused then.
    const literal = play('imap', LINES, [`x1 AUTHENTICATE PLAIN {${PLAIN.length}}\r\n`, `${PLAIN}\r\n`, `x2 AUTHENTICATE PLAIN ${PLAIN}\r\n`]);
    expect(literal.replies).toEqual([expect.stringMatching(/^\+ /), expect.stringMatching(/^x1 BAD /), 'x2 OK Logged in\r\n']);
    expect(literal.reports.join('\n')).not.toContain(PLAIN);
  });
});

describe.each(['imap', 'pop3'] as const)('%s: a SASL response answering a "+"', (protocol) => {
  const imap = protocol === 'imap';
  const command = imap ? 'a1 AUTHENTICATE PLAIN' : 'AUTH PLAIN';
  const LINES = [imap ? 'S: * OK ready' : 'S: +OK ready', `C: ${command}`, 'S: + ', 'C: <secret>', imap ? 'S: a1 OK Logged in' : 'S: +OK Logged in'];
  const send = (n: number) => (imap ? `x${n} AUTHENTICATE PLAIN\r\n` : 'AUTH PLAIN\r\n');
  const ok = imap ? 'x2 OK Logged in\r\n' : '+OK Logged in\r\n';
  const refused = (n: number) => (imap ? new RegExp(`^x${n} BAD mailwire serve: `) : /^-ERR mailwire serve: /);

  it('`<secret>` is one token: a response with more after it is refused, and the exchange starts over', () => {
    const p = play(protocol, LINES, [send(1), `${PLAIN} EXTRA\r\n`, send(2), `${PLAIN}\r\n`]);
    expect(p.replies[0]).toBe('+ \r\n');
    // IMAP: the refusal carries the AUTHENTICATE's tag, as a tagged BAD ends the exchange.
    expect(p.replies[1]).toMatch(refused(1));
    expect(p.replies[2]).toBe('+ \r\n');
    expect(p.replies[3]).toBe(ok);
    expect(p.server.mismatches).toBe(1);
    expect(p.server.done).toBe(true);
  });

  it('"*" is the client cancelling, not a secret: refused as such, with the command\'s tag', () => {
    const p = play(protocol, LINES, [send(1), '*\r\n', send(2), `${PLAIN}\r\n`]);
    expect(p.replies[1]).toMatch(refused(1));
    expect(JSON.parse(p.reports[0] ?? '{}').message).toContain('the client sent "*", which cancels the exchange');
    expect(p.replies[3]).toBe(ok);
    expect(p.server.mismatches).toBe(1);
  });

  it('a recorded cancel "*" meets the client\'s "*"; a response sent instead is refused and never shown', () => {
    const cancelled = [LINES[0] as string, `C: ${command}`, 'S: + ', 'C: *', imap ? 'S: a1 BAD Authentication aborted' : 'S: -ERR Authentication aborted'];
    const met = play(protocol, cancelled, [send(1), '*\r\n']);
    expect(met.replies[1]).toBe(imap ? 'x1 BAD Authentication aborted\r\n' : '-ERR Authentication aborted\r\n');
    expect(met.server.mismatches).toBe(0);
    const answered = play(protocol, cancelled, [send(1), `${PLAIN}\r\n`]);
    expect(answered.replies[1]).toMatch(refused(1));
    expect(answered.server.mismatches).toBe(1);
    expect(answered.reports.join('\n')).toContain('"received":"C: <secret>"');
    expect(answered.reports.join('\n')).not.toContain(PLAIN);
  });

  it('an empty line is no `<secret>` (an empty response is recorded as it is)', () => {
    const p = play(protocol, LINES, [send(1), '\r\n']);
    expect(p.replies[1]).toMatch(refused(1));
  });
});
