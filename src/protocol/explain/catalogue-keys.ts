/**
 * The keys every catalogue must have that come from the protocol tables: one per command, response,
 * response code, POP3 reply kind and CAPA tag, so that adding a row to a table without words for it
 * in every language fails a test. The catalogues' other keys (variants, state names, shell help) are
 * checked against the English catalogue.
 */
import { IMAP_COMMANDS } from '../imap/commands.js';
import { IMAP_DATA_RESPONSES, IMAP_RESPONSE_CODES, IMAP_STATUS_RESPONSES } from '../imap/response-kinds.js';
import { POP3_COMMANDS } from '../pop3/commands.js';
import { POP3_CAPABILITIES, POP3_REPLY_KINDS, POP3_RESPONSE_CODES } from '../pop3/replies.js';

export const imapCommandKey = (name: string): string => `imap.command.${name}`;
export const imapSummaryKey = (name: string): string => `imap.summary.${name}`;
export const imapStatusKey = (name: string): string => `imap.status.${name}`;
export const imapResponseKey = (name: string): string => `imap.response.${name}`;
export const imapCodeKey = (name: string): string => `imap.code.${name}`;
export const pop3CommandKey = (name: string): string => `pop3.command.${name}`;
export const pop3SummaryKey = (name: string): string => `pop3.summary.${name}`;
export const pop3ReplyKey = (name: string): string => `pop3.reply.${name}`;
export const pop3CodeKey = (name: string): string => `pop3.code.${name}`;
export const pop3CapabilityKey = (name: string): string => `pop3.capa.${name}`;

/** Keys by the table they come from, for the coverage figures. */
export function tableKeys(): Record<string, string[]> {
  return {
    'IMAP commands': IMAP_COMMANDS.flatMap((c) => [imapCommandKey(c.name), imapSummaryKey(c.name)]),
    'IMAP status responses': IMAP_STATUS_RESPONSES.map((r) => imapStatusKey(r.name)),
    'IMAP data responses': IMAP_DATA_RESPONSES.map((r) => imapResponseKey(r.name)),
    'IMAP response codes': IMAP_RESPONSE_CODES.map((r) => imapCodeKey(r.name)),
    'POP3 commands': POP3_COMMANDS.flatMap((c) => [pop3CommandKey(c.name), pop3SummaryKey(c.name)]),
    'POP3 replies': POP3_REPLY_KINDS.map((r) => pop3ReplyKey(r.name)),
    'POP3 response codes': POP3_RESPONSE_CODES.map((r) => pop3CodeKey(r.name)),
    'POP3 capabilities': POP3_CAPABILITIES.map((r) => pop3CapabilityKey(r.name)),
  };
}
