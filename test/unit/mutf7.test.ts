import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModifiedUtf7, encodeModifiedUtf7, hasModifiedUtf7Shift } from '../../src/protocol/imap/mutf7.js';

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it('decodes the RFC example: "~peter/mail/&U,BTFw-/&ZeVnLIqe-" is ~peter/mail/台北/日本語', () => {
    expect(decodeModifiedUtf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(encodeModifiedUtf7('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
  });

  it('writes "&" as "&-" and leaves printable ASCII as it is', () => {
    expect(decodeModifiedUtf7('Tom &- Jerry')).toBe('Tom & Jerry');
    expect(encodeModifiedUtf7('Tom & Jerry')).toBe('Tom &- Jerry');
    expect(decodeModifiedUtf7('INBOX.Sent Items')).toBe('INBOX.Sent Items');
  });

  it('decodes names seen in the wild: German umlauts, characters outside the BMP (surrogate pairs)', () => {
    expect(decodeModifiedUtf7('Entw&APw-rfe')).toBe('Entwürfe');
    expect(decodeModifiedUtf7('Gel&APY-schte Elemente')).toBe('Gelöschte Elemente');
    expect(encodeModifiedUtf7('📬 Post')).toBe('&2D3c7A- Post');
    expect(decodeModifiedUtf7('&2D3c7A- Post')).toBe('📬 Post');
  });

  it('refuses what is not well-formed, rather than guessing', () => {
    expect(decodeModifiedUtf7('&U,BTFw')).toBeNull(); // no closing "-"
    expect(decodeModifiedUtf7('&U/BTFw-')).toBeNull(); // "/" is "," in modified BASE64
    expect(decodeModifiedUtf7('&AGE-')).toBeNull(); // "a" must be written directly
    expect(decodeModifiedUtf7('&2D0-')).toBeNull(); // a lone high surrogate
    expect(decodeModifiedUtf7('&U,BTF2-')).toBeNull(); // leftover bits not zero
    expect(decodeModifiedUtf7('caf\u00e9')).toBeNull(); // 8-bit is not modified UTF-7
  });

  it('tells names that decoding changes from plain ones', () => {
    expect(hasModifiedUtf7Shift('Entw&APw-rfe')).toBe(true);
    expect(hasModifiedUtf7Shift('Tom &- Jerry')).toBe(true);
    expect(hasModifiedUtf7Shift('INBOX')).toBe(false);
  });

  it('round-trips any name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (name) => {
        const encoded = encodeModifiedUtf7(name);
        expect(encoded).toMatch(/^[\x20-\x7e]*$/);
        expect(decodeModifiedUtf7(encoded)).toBe(name);
      }),
    );
  });
});
