import { describe, expect, it } from 'vitest';
import { untilStopSignal } from '../../src/cli/stop-signal.js';

const listeners = (): [number, number] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

describe('untilStopSignal', () => {
  it('resolves with the signal that came and takes both handlers off again', async () => {
    const before = listeners();
    const waiting = untilStopSignal();
    expect(listeners()).toEqual([before[0] + 1, before[1] + 1]);
    process.emit('SIGTERM', 'SIGTERM');
    await expect(waiting).resolves.toBe('SIGTERM');
    expect(listeners()).toEqual(before);
  });

  it('tells Ctrl-C from TERM', async () => {
    const waiting = untilStopSignal();
    process.emit('SIGINT', 'SIGINT');
    await expect(waiting).resolves.toBe('SIGINT');
  });

  it('resolves with null when the other way out comes first, and leaves no handler behind', async () => {
    const before = listeners();
    let done: () => void = () => undefined;
    const once = new Promise<void>((resolve) => (done = resolve));
    const waiting = untilStopSignal(once);
    done();
    await expect(waiting).resolves.toBeNull();
    expect(listeners()).toEqual(before);
  });
});
