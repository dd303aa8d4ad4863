/**
 * What mail clients send on their own, whatever the session: IMAP CAPABILITY and NOOP (RFC 3501
 * §6.1), ID (RFC 2971), NAMESPACE (RFC 2342), ENABLE (RFC 5161); POP3 CAPA (RFC 2449) and NOOP
 * (RFC 1939 §5). When the transcript serve plays does not hold such a command where a client sends
 * it, serve answers it from what the transcript shows (its capabilities, namespaces, hierarchy
 * separator), notes that it did, and the transcript goes on. Pure.
 */

/** What the transcript shows that the answers are made of. */
export interface UnscriptedContext {
  /** The capability list last advertised (greeting code, CAPABILITY, a completion's code), or null. */
  capabilities: string | null;
  /** The text of a `* NAMESPACE` response of the transcript, after the name, or null. */
  namespace: string | null;
  /** The hierarchy separator of a `* LIST` response of the transcript, or null. */
  separator: string | null;
  /** The lines of a POP3 CAPA listing of the transcript (without "+OK" and "."), or null. */
  pop3Capa: readonly string[] | null;
}

/** The capability list a server line advertises (`* CAPABILITY ...`, `[CAPABILITY ...]`), or null. */
export function advertisedCapabilities(line: string): string | null {
  const untagged = /^\* CAPABILITY (.+)$/i.exec(line);
  if (untagged) return (untagged[1] as string).trim();
  const code = /\[CAPABILITY ([^\]]*)\]/i.exec(line);
  return code ? (code[1] as string).trim() : null;
}

/** The namespace text of a `* NAMESPACE` line, or null. */
export function namespaceText(line: string): string | null {
  return /^\* NAMESPACE (.+)$/i.exec(line)?.[1] ?? null;
}

/** The hierarchy separator of a `* LIST (...) "/" name` line, or null (NIL: a flat server). */
export function listSeparator(line: string): string | null {
  return /^\* (?:X?LIST|LSUB) \([^)]*\) "((?:[^"\\]|\\.)+)" /i.exec(line)?.[1] ?? null;
}

/** The IMAP commands serve answers by itself. */
export const UNSCRIPTED_IMAP_COMMANDS: readonly string[] = ['CAPABILITY', 'NOOP', 'ID', 'NAMESPACE', 'ENABLE'];

/**
 * Serve's reply lines (without CRLF) to an IMAP command clients send on their own, or null for any
 * other command. `command` is upper case.
 */
export function unscriptedImapAnswer(tag: string, command: string, ctx: UnscriptedContext): string[] | null {
  switch (command) {
    case 'CAPABILITY':
      // RFC 3501 §7.2.1: the list must include IMAP4rev1 (or IMAP4rev2, RFC 9051).
      return [`* CAPABILITY ${ctx.capabilities ?? 'IMAP4rev1'}`, `${tag} OK CAPABILITY completed`];
    case 'NOOP':
      return [`${tag} OK NOOP completed`];
    case 'ID':
      // RFC 2971 §3.2: NIL, a server that tells nothing about itself.
      return ['* ID NIL', `${tag} OK ID completed`];
    case 'NAMESPACE': {
      // Without a NAMESPACE or LIST in the transcript: one personal namespace, "/" as most servers use.
      return [`* NAMESPACE ${ctx.namespace ?? `(("" "${ctx.separator ?? '/'}")) NIL NIL`}`, `${tag} OK NAMESPACE completed`];
    }
    case 'ENABLE':
      // RFC 5161 §3.2: ENABLED lists what was enabled; serve enables nothing the transcript did not.
      return ['* ENABLED', `${tag} OK ENABLE completed`];
    default:
      return null;
  }
}

/** Serve's reply lines to a POP3 command clients send on their own (CAPA, NOOP), or null. */
export function unscriptedPop3Answer(command: string, ctx: UnscriptedContext): string[] | null {
  switch (command) {
    case 'CAPA':
      // RFC 2449 §5: a multi-line listing; what the transcript listed, else what serve can play.
      return ['+OK Capability list follows', ...(ctx.pop3Capa ?? ['TOP', 'UIDL', 'USER']), '.'];
    case 'NOOP':
      return ['+OK'];
    default:
      return null;
  }
}
