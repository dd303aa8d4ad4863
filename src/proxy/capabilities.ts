/**
 * What the proxy changes in the capabilities a server announces, before its client sees them. A proxy
 * that ends TLS on each leg cannot pass on everything the server offers:
 *
 * - STARTTLS / STLS (RFC 3501 §6.2.1, RFC 2595 §4) are the proxy's own to answer: offered when it has
 *   a certificate and the client's leg is still plain, taken out otherwise;
 * - LOGINDISABLED (RFC 3501 §6.2.3) is the server's view of *its* leg: when that leg is TLS the proxy
 *   says nothing the server would not say over TLS, so it is taken out;
 * - SCRAM's -PLUS mechanisms (RFC 5802 §6) bind the login to the TLS channel the client sees, which is
 *   not the server's: they can only fail through a proxy and are taken out;
 * - COMPRESS=DEFLATE (RFC 4978) is passed on when the proxy follows deflate on both legs (its
 *   default), and taken out with --no-compress, so that a client never deflates what is not followed.
 *
 * Pure: capability words in, capability words and one note per change out.
 */

/** What the proxy knows when it adjusts an announcement. */
export interface CapabilityPolicy {
  /** The proxy can answer STARTTLS / STLS on the client's leg now. */
  offerStartTls: boolean;
  /** The server's leg is TLS (implicit or upgraded). */
  serverLegSecure: boolean;
  /** The proxy follows COMPRESS=DEFLATE on both legs; false (--no-compress) takes it out. */
  followCompress: boolean;
}

export interface AdjustedCapabilities {
  words: string[];
  /** One sentence per change, for the notes shown and recorded. */
  notes: string[];
}

const SCRAM_PLUS = /^(?:AUTH=)?SCRAM-[A-Z0-9-]+-PLUS$/i;

/**
 * Adjusts IMAP capability words (`IMAP4rev1 STARTTLS AUTH=PLAIN ...`, RFC 3501 §7.2.1) or POP3 CAPA
 * words (for the SASL line, its mechanisms; for the others, the capability's name, RFC 2449 §5).
 */
export function adjustCapabilities(words: readonly string[], policy: CapabilityPolicy, protocol: 'imap' | 'pop3'): AdjustedCapabilities {
  const upgrade = protocol === 'imap' ? 'STARTTLS' : 'STLS';
  const out: string[] = [];
  const notes: string[] = [];
  let hadUpgrade = false;
  for (const word of words) {
    const upper = word.toUpperCase();
    if (upper === upgrade) {
      hadUpgrade = true;
      if (policy.offerStartTls) out.push(word);
      else notes.push(`${upgrade} taken out: the proxy answers ${upgrade} itself, and has no certificate for it or TLS is already in force`);
      continue;
    }
    if (protocol === 'imap' && upper === 'LOGINDISABLED' && policy.serverLegSecure) {
      notes.push('LOGINDISABLED taken out: the proxy talks TLS to the server, where login is allowed');
      continue;
    }
    if (SCRAM_PLUS.test(word)) {
      notes.push(`${word} taken out: channel binding (RFC 5802 §6) cannot pass through a proxy that ends TLS`);
      continue;
    }
    if (upper === 'COMPRESS=DEFLATE' && !policy.followCompress) {
      notes.push('COMPRESS=DEFLATE taken out (--no-compress): the proxy relays uncompressed streams only (RFC 4978)');
      continue;
    }
    out.push(word);
  }
  if (!hadUpgrade && policy.offerStartTls && protocol === 'imap') {
    out.push(upgrade);
    notes.push(`${upgrade} added: the proxy answers it with its own certificate`);
  }
  return { words: out, notes };
}

/**
 * Adjusts the capability list inside one IMAP response line, if it carries one: `* CAPABILITY ...`,
 * or a `[CAPABILITY ...]` response code (RFC 3501 §7.1) in a greeting or a tagged OK. Returns null
 * when the line carries none or nothing changes.
 */
export function adjustImapCapabilityLine(line: Buffer, policy: CapabilityPolicy): { line: Buffer; notes: string[] } | null {
  const text = line.toString('latin1');
  let start: number;
  let end: number;
  const untagged = /^\* CAPABILITY /i.exec(text);
  if (untagged) {
    start = untagged[0].length;
    end = text.length;
  } else {
    const code = /^\S+ (?:OK|PREAUTH|BYE|NO|BAD) \[CAPABILITY /i.exec(text);
    if (!code) return null;
    start = code[0].length;
    end = text.indexOf(']', start);
    if (end < 0) return null;
  }
  const words = text.slice(start, end).split(' ').filter((w) => w !== '');
  const adjusted = adjustCapabilities(words, policy, 'imap');
  if (adjusted.notes.length === 0) return null;
  return { line: Buffer.from(text.slice(0, start) + adjusted.words.join(' ') + text.slice(end), 'latin1'), notes: adjusted.notes };
}

/**
 * Adjusts one line of a POP3 CAPA body (RFC 2449 §5): the STLS line, the SASL line's mechanisms
 * (RFC 5034 §3). Returns `line: null` when the whole line goes, or null when nothing changes.
 */
export function adjustPop3CapaLine(line: Buffer, policy: CapabilityPolicy): { line: Buffer | null; notes: string[] } | null {
  const text = line.toString('latin1');
  const words = text.split(' ').filter((w) => w !== '');
  const name = (words[0] ?? '').toUpperCase();
  if (name === 'SASL') {
    const adjusted = adjustCapabilities(words.slice(1), policy, 'pop3');
    if (adjusted.notes.length === 0) return null;
    return { line: Buffer.from(['SASL', ...adjusted.words].join(' '), 'latin1'), notes: adjusted.notes };
  }
  const adjusted = adjustCapabilities([name], policy, 'pop3');
  if (adjusted.notes.length === 0) return null;
  return { line: adjusted.words.length === 0 ? null : line, notes: adjusted.notes };
}
