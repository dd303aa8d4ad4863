/**
 * TLS records out of the bytes a server sends (RFC 8446 §5.1, RFC 5246 §6.2): a 5-octet header (content
 * type, legacy version, length) and a fragment of that length. Incremental: chunks in, whole records
 * out, the same records wherever the chunks were cut. Server bytes are hostile: the header is checked
 * before its length is trusted, and no record longer than TLS allows is waited for. Pure.
 */
import { PendingOctets } from './pending-octets.js';

/** Content types (RFC 8446 §5.1, B.1). */
export const CHANGE_CIPHER_SPEC = 20;
export const ALERT = 21;
export const HANDSHAKE = 22;
export const APPLICATION_DATA = 23;

const HEADER = 5;
/**
 * The longest fragment any version allows: TLSCiphertext of TLS 1.2 and below, 2^14 + 2048 (RFC 5246
 * §6.2.3); TLS 1.3 allows less (2^14 + 256, RFC 8446 §5.2).
 */
export const MAX_FRAGMENT = 16384 + 2048;

export interface TlsRecord {
  type: number;
  /** legacy_record_version, e.g. 0x0303. */
  version: number;
  fragment: Buffer;
}

/** What a chunk completed: whole records, then (once) why the bytes after them are not TLS. */
export interface RecordsRead {
  records: TlsRecord[];
  /** Set when a header is not one of TLS: nothing after it can be read, and the reader reads no more. */
  problem: string | null;
}

export class TlsRecordReader {
  private readonly pending = new PendingOctets();
  private failed = false;

  push(chunk: Buffer): RecordsRead {
    const records: TlsRecord[] = [];
    if (this.failed) return { records, problem: null };
    this.pending.push(chunk);
    for (;;) {
      const problem = this.headerProblem();
      if (problem !== null) {
        this.failed = true;
        this.pending.clear();
        return { records, problem };
      }
      if (this.pending.length < HEADER) break;
      const length = ((this.pending.at(3) as number) << 8) | (this.pending.at(4) as number);
      if (this.pending.length < HEADER + length) break;
      const header = this.pending.take(HEADER);
      records.push({ type: header[0] as number, version: header.readUInt16BE(1), fragment: this.pending.take(length) });
    }
    return { records, problem: null };
  }

  /** What is wrong with the header at the front, as far as it has come; null while it may still be TLS. */
  private headerProblem(): string | null {
    const type = this.pending.at(0);
    if (type !== undefined && (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA)) return `content type ${type} is not one of TLS (20 to 23)`;
    const major = this.pending.at(1);
    if (major !== undefined && major !== 3) return `record version ${major}.x is not TLS (3.x)`;
    const high = this.pending.at(3);
    const low = this.pending.at(4);
    if (high === undefined || low === undefined) return null;
    const length = (high << 8) | low;
    return length > MAX_FRAGMENT ? `a record of ${length} octets, over the ${MAX_FRAGMENT} TLS allows` : null;
  }

  /** Octets held for an unfinished record. */
  get bufferedOctets(): number {
    return this.pending.length;
  }
}
