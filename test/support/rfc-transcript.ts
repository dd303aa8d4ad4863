/**
 * Reads the RFC example transcripts under test/fixtures/rfc into wire bytes, by direction (imap/,
 * pop3/, and sasl/ for SASL mechanisms' own messages, before base64).
 *
 * The format is the RFCs' own: "S: " starts a server line, "C: " a client line, a bare "S:" or "C:"
 * is an empty line, "#" starts a comment (source, notes), and any other line is the RFC's annotation
 * or elision ("...", "<TLS negotiation ...>"), which carries no protocol data. On the wire every
 * shown line ends in CRLF, literal contents included: a literal that ends mid-line (RFC 3501 §7.5,
 * "FRED FOOBAR {7}") needs nothing special, because the framer counts the literal's octets and
 * reads the rest of the line as the next segment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/', import.meta.url));
const CRLF = '\r\n';

/**
 * RFC 1939 §10 writes TCP events as protocol lines ("S: <wait for connection on TCP port 110>",
 * "C: <open connection>"); they are not sent. Placeholders for elided data, like
 * "<the POP3 server sends message 1>", are kept: they stand where the data goes.
 */
const TCP_EVENT = /^<(?:wait for [^>]*|open connection|close connection)>$/;

export type Direction = 'C' | 'S';

/** One protocol line of a transcript, without its line ending. */
export interface TranscriptLine {
  direction: Direction;
  text: string;
}

export interface RfcTranscript {
  /** The file name, e.g. "rfc3501-8-sample-connection.txt". */
  file: string;
  /** The protocol lines in transcript order. */
  lines: TranscriptLine[];
  /** What the client sends: every C: line followed by CRLF. */
  client: Buffer;
  /** What the server sends: every S: line followed by CRLF. */
  server: Buffer;
}

/** The transcript file names for one protocol, sorted. */
export function rfcTranscriptFiles(protocol: 'imap' | 'pop3' | 'sasl'): string[] {
  return readdirSync(FIXTURES + protocol)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

/** Reads one transcript, e.g. `readRfcTranscript('imap', 'rfc3501-6.3.11-append.txt')`. */
export function readRfcTranscript(protocol: 'imap' | 'pop3' | 'sasl', file: string): RfcTranscript {
  const lines: TranscriptLine[] = [];
  for (const raw of readFileSync(`${FIXTURES}${protocol}/${file}`, 'utf8').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const direction = line.startsWith('C:') ? 'C' : line.startsWith('S:') ? 'S' : null;
    if (direction === null) continue;
    if (line.length > 2 && line[2] !== ' ') continue; // "S:foo" is not a protocol line
    const text = line.slice(3);
    if (TCP_EVENT.test(text)) continue;
    lines.push({ direction, text });
  }
  const wire = (direction: Direction): Buffer =>
    Buffer.from(
      lines
        .filter((l) => l.direction === direction)
        .map((l) => l.text + CRLF)
        .join(''),
      'utf8',
    );
  return { file, lines, client: wire('C'), server: wire('S') };
}
