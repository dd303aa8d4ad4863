import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImapInputAssembler, oneLinePlan, type ImapCommandPlan } from '../../src/session/imap-input.js';
import { readRfcTranscript } from '../support/rfc-transcript.js';

const readClientLines = (file: string) =>
  readRfcTranscript('imap', file.replace(/^imap\//, '')).lines.flatMap((l) => (l.direction === 'C' ? [l.text] : []));

function assemble(lines: string[]): { plans: ImapCommandPlan[]; assembler: ImapInputAssembler } {
  const assembler = new ImapInputAssembler();
  const plans: ImapCommandPlan[] = [];
  for (const line of lines) {
    const plan = assembler.push(Buffer.from(line, 'utf8'));
    if (plan) plans.push(plan);
  }
  return { plans, assembler };
}

/** The bytes a plan puts on the wire (literals sent whole). */
function wire(plan: ImapCommandPlan): string {
  let out = '';
  plan.segments.forEach((s, i) => {
    out += `${s.toString('utf8')}\r\n`;
    const lit = plan.literals[i];
    if (lit) out += lit.data.toString('utf8');
  });
  return out;
}

describe('ImapInputAssembler', () => {
  it('passes a plain line through as one command', () => {
    const { plans } = assemble(['a001 CAPABILITY', 'NOOP']);
    expect(plans.map(wire)).toEqual(['a001 CAPABILITY\r\n', 'NOOP\r\n']);
  });

  it('lays out APPEND as RFC 3501 §6.3.11 prints it: 310 octets of lines, then an empty line', () => {
    const lines = readClientLines('imap/rfc3501-6.3.11-append.txt');
    const { plans, assembler } = assemble(lines);
    expect(plans).toHaveLength(1);
    const plan = plans[0] as ImapCommandPlan;
    expect(plan.literals).toHaveLength(1);
    expect(plan.literals[0]?.data.length).toBe(310);
    expect(plan.literals[0]?.data.toString().endsWith('tomorrow?\r\n')).toBe(true);
    expect(plan.segments.map((s) => s.toString())).toEqual(['A003 APPEND saved-messages (\\Seen) {310}', '']);
    expect(assembler.incomplete).toBe(false);
  });

  it('continues the command on the line a literal ends in (RFC 3501 §7.5 FRED FOOBAR {7})', () => {
    const lines = readClientLines('imap/rfc3501-7.5-continuation-literals.txt');
    const { plans, assembler } = assemble(lines.slice(0, 3));
    expect(plans).toHaveLength(1);
    expect(wire(plans[0] as ImapCommandPlan)).toBe('A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n');
    expect(plans[0]?.literals.map((l) => l.data.toString())).toEqual(['FRED FOOBAR', 'fat man']);
    expect(assembler.incomplete).toBe(false);
  });

  it('sends LITERAL+ the same way (RFC 7888)', () => {
    const { plans } = assemble(['A001 APPEND INBOX {5+}', 'abc', '']);
    expect(plans[0]?.literals[0]?.marker.nonSynchronizing).toBe(true);
    expect(wire(plans[0] as ImapCommandPlan)).toBe('A001 APPEND INBOX {5+}\r\nabc\r\n\r\n');
  });

  it('counts octets, not characters', () => {
    // "é" is two octets in UTF-8: "é\r\n" is 4 octets.
    const { plans } = assemble(['APPEND INBOX {4}', 'é', '']);
    expect(plans[0]?.literals[0]?.data).toEqual(Buffer.from('é\r\n'));
  });

  it('handles {0} and reports octets left while inside a literal', () => {
    const { plans } = assemble(['LOGIN {0}', ' x']);
    expect(wire(plans[0] as ImapCommandPlan)).toBe('LOGIN {0}\r\n x\r\n');
    const { assembler } = assemble(['APPEND INBOX {10}', 'abc']);
    expect(assembler.incomplete).toBe(true);
    expect(assembler.literalOctetsLeft).toBe(5);
    expect(assembler.reset()).toBe(true);
    expect(assembler.incomplete).toBe(false);
  });
});

describe('oneLinePlan', () => {
  // Endings that are markers, almost markers and no markers at all.
  const ending = fc.constantFrom('', '}', '{}', '{5}', '{0}', '{7+}', '~{3}', '{12-}', '{x}', '{99999999999999999999}', ' {3', '"{4}"');
  const line = fc.tuple(fc.uint8Array({ maxLength: 12 }), ending).map(([bytes, end]) => Buffer.concat([Buffer.from(bytes), Buffer.from(end, 'latin1')]));

  it('is the plan the assembler makes of one line, and null where the assembler reads on (fast-check)', () => {
    fc.assert(
      fc.property(line, (bytes) => {
        const assembler = new ImapInputAssembler();
        const reference = assembler.push(bytes);
        expect(oneLinePlan(bytes)).toEqual(reference);
        expect(reference === null).toBe(assembler.incomplete);
      }),
      { numRuns: 2000 },
    );
  });
});
