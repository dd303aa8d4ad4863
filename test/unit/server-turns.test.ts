/**
 * The turns the sandbox's IMAP and POP3 sessions share (server-turns.ts): frames come out in the
 * order read across batches, one can be put back, and a turn ends after 64 commands or 1 MiB of
 * output only while more input waits.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS_PER_TURN, OUTPUT_PER_TURN, ServerTurns } from '../../src/sandbox/server-turns.js';

describe('ServerTurns', () => {
  it('hands out frames in the order read, across batches; putBack gives the last one again; clear drops the rest', () => {
    const t = new ServerTurns<string>();
    t.push(['a', 'b']);
    t.push([]);
    t.push(['c']);
    expect([t.next(), t.next()]).toEqual(['a', 'b']);
    t.putBack();
    expect([t.next(), t.waiting, t.next(), t.waiting, t.next()]).toEqual(['b', true, 'c', false, undefined]);
    t.push(['d', 'e']);
    t.clear();
    expect([t.waiting, t.next()]).toEqual([false, undefined]);
  });

  it('ends a turn after its share of commands or output, and only while more input waits', () => {
    const t = new ServerTurns<number>();
    t.push(Array.from({ length: 200 }, (_, i) => i));
    let done = 0;
    while (t.next() !== undefined && !t.commandDone()) done++;
    expect(done + 1).toBe(COMMANDS_PER_TURN);
    t.begin();
    t.next();
    t.sent(OUTPUT_PER_TURN);
    expect(t.commandDone()).toBe(true);
    // The last command of what was read ends no turn: nothing waits.
    const last = new ServerTurns<number>();
    last.push([1]);
    last.next();
    last.sent(OUTPUT_PER_TURN * 2);
    expect(last.commandDone()).toBe(false);
  });
});
