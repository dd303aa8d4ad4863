/**
 * COMPRESS in the sans-io IMAP session (RFC 4978 §3): the octets after the tagged OK are deflate data,
 * handed to the runner with the start-compression action however the reads split them; nothing of
 * them is framed as lines.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SessionAction } from '../../src/session/actions.js';
import { ImapSession } from '../../src/session/imap-session.js';

function session(): ImapSession {
  const s = new ImapSession(() => 0);
  s.receive(Buffer.from('* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\n'));
  s.submit({ segments: [Buffer.from('COMPRESS DEFLATE')], literals: [] });
  return s;
}

describe('COMPRESS DEFLATE in the session', () => {
  const compressed = deflateRawSync(Buffer.from('* 3 EXISTS\r\n'));
  const wire = Buffer.concat([Buffer.from('* OK still plain\r\nA001 OK DEFLATE active\r\n'), compressed]);

  it.each([...Array(wire.length).keys()].map((i) => [i + 1]))('hands over exactly the octets after the OK (split at %i)', (at) => {
    const s = session();
    const okEnd = wire.indexOf('DEFLATE active\r\n') + 'DEFLATE active\r\n'.length;
    const actions: SessionAction[] = s.receive(wire.subarray(0, at));
    // Once compression has started, later reads go to the inflater, not to the session.
    if (at < okEnd) actions.push(...s.receive(wire.subarray(at)));
    const starts = actions.filter((a) => a.type === 'start-compression');
    expect(starts).toHaveLength(1);
    // Octets past the OK that came in the same read as its end go with the action.
    const handed = (starts[0] as { pending: Buffer }).pending;
    expect(handed).toEqual(at < okEnd ? wire.subarray(okEnd) : wire.subarray(okEnd, at));
    expect(s.compressed).toBe(true);
    const segments = actions.flatMap((a) => (a.type === 'show' && a.event.kind === 'imap-segment' ? [a.event.bytes.toString('latin1')] : []));
    expect(segments).toEqual(['* OK still plain', 'A001 OK DEFLATE active']);
  });

  it('a NO leaves the connection plain', () => {
    const s = session();
    const actions = s.receive(Buffer.from('A001 NO [COMPRESSIONACTIVE] already\r\n'));
    expect(actions.some((a) => a.type === 'start-compression')).toBe(false);
    expect(s.compressed).toBe(false);
  });
});
