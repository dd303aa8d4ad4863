/** A recording that must be a new file (the proxy's): a name taken by another writer is not written over. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingExists, TranscriptRecorder } from '../../src/transcript/recorder.js';

const HEADER = { protocol: 'imap' as const, target: 'imap://127.0.0.1:143', tls: 'none' as const, date: '2026-12-05T00:17:38.000Z' };

describe('TranscriptRecorder with newFile', () => {
  it('refuses a name that exists, leaving that file as it was; writes a new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-recorder-'));
    const taken = join(dir, '2026-12-05T00-17-38Z-1.txt');
    writeFileSync(taken, 'another proxy\'s recording\n');
    expect(() => new TranscriptRecorder(taken, HEADER, { newFile: true })).toThrow(RecordingExists);
    expect(readFileSync(taken, 'utf8')).toBe('another proxy\'s recording\n');
    const fresh = new TranscriptRecorder(join(dir, '2026-12-05T00-17-38Z-1b.txt'), HEADER, { newFile: true });
    fresh.close();
    expect(readFileSync(join(dir, '2026-12-05T00-17-38Z-1b.txt'), 'utf8')).toMatch(/^# mailwire transcript v1\n# protocol: imap\n/);
    // Without newFile, a file is written over as before (--record FILE names it on purpose).
    new TranscriptRecorder(taken, HEADER).close();
    expect(readFileSync(taken, 'utf8')).toMatch(/^# mailwire transcript v1\n/);
  });
});
