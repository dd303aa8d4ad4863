/**
 * Commands the user may type without their secret, so it never lands in a shell history or a script:
 * IMAP `LOGIN user`, POP3 `PASS` and POP3 `APOP user` (whose digest is computed here from the
 * greeting's timestamp: RFC 1939 §7). Pure: the secret comes from the caller.
 */
import { MailwireError } from '../errors.js';
import { analyzeImapLine } from '../protocol/imap/request.js';
import { apopCommandLine, parseApopRequest } from '../protocol/pop3/apop.js';

/** What secret a command still needs, if any. */
export type SecretRequest =
  | { kind: 'imap-login'; tag: string | null; user: string; prompt: string }
  | { kind: 'pop3-pass'; prompt: string }
  | { kind: 'apop'; user: string; prompt: string };

const ATOM_OR_QUOTED = String.raw`(?:"(?:[^"\\]|\\.)*"|[^\s"(){]+)`;
const SINGLE_ARGUMENT = new RegExp(`^(${ATOM_OR_QUOTED})\\s*$`);

/** RFC 3501 §4.3: a quoted string, with `"` and `\` escaped. */
export function imapQuoted(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function unquote(arg: string): string {
  return arg.startsWith('"') ? arg.slice(1, -1).replace(/\\(.)/g, '$1') : arg;
}

/** Does this IMAP command line need a password added? (`LOGIN joe`, `a1 LOGIN "joe"`.) */
export function imapSecretRequest(line: string): SecretRequest | null {
  const a = analyzeImapLine(line);
  if (a.command !== 'LOGIN' || a.literal) return null;
  const m = SINGLE_ARGUMENT.exec(a.args.trim());
  if (!m) return null;
  const user = unquote(m[1] ?? '');
  return { kind: 'imap-login', tag: a.tag, user, prompt: `IMAP password for ${user}: ` };
}

/** The LOGIN line with the password added as a quoted string. */
export function imapLoginWithPassword(line: string, password: string): string {
  if (/[\r\n\0]/.test(password)) throw new MailwireError('input', 'the password contains CR, LF or NUL, which LOGIN cannot carry');
  return `${line.replace(/\s+$/, '')} ${imapQuoted(password)}`;
}

/** Does this POP3 command line need a secret? (`PASS` alone, `APOP mrose` without digest.) */
export function pop3SecretRequest(line: string): SecretRequest | null {
  if (/^\s*PASS\s*$/i.test(line)) return { kind: 'pop3-pass', prompt: 'POP3 password: ' };
  const apop = parseApopRequest(line);
  if (apop && apop.digest === null) return { kind: 'apop', user: apop.user, prompt: `APOP secret for ${apop.user}: ` };
  return null;
}

/** The POP3 line to send once the secret is known. */
export function pop3LineWithSecret(request: SecretRequest, secret: string, apopTimestamp: string | null, greeting: string | null = null): string {
  switch (request.kind) {
    case 'pop3-pass':
      return `PASS ${secret}`;
    case 'apop':
      if (apopTimestamp === null) {
        // "<...>" that is no msg-id (a blank or a control inside, no "@"): said as such, not as none.
        const odd = /<[^<>]*>/.exec(greeting ?? '')?.[0];
        const why = odd === undefined ? 'has no APOP timestamp <...>' : `holds ${odd}, which is no APOP timestamp (RFC 1939 §7: a msg-id, as <1896.697170952@dbc.mtview.ca.us>)`;
        throw new MailwireError('input', `the server greeting ${why}: this server does not offer APOP; nothing sent`);
      }
      return apopCommandLine(request.user, apopTimestamp, secret);
    case 'imap-login':
      throw new Error('imap-login is not a POP3 request');
  }
}
