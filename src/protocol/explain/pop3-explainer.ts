/**
 * What a POP3 line means here: the client's commands (RFC 1939 and its extensions) and the server's
 * replies (RFC 1939 §3-§7, RFC 2449's CAPA and response codes, RFC 3206), explained with the numbers
 * of the line and what the context knows: the command a reply answers, the greeting's timestamp
 * (APOP's digest is MD5(timestamp + secret)), the messages marked deleted. Pure; the context is
 * updated by SessionExplainer.
 */
import { findPop3Command } from '../pop3/commands.js';
import { isPreliminaryGreeting } from '../preliminary-greetings.js';
import { findPop3Capability, findPop3ResponseCode, pop3ReplyKind } from '../pop3/replies.js';
import { shortValue } from './arguments.js';
import { pop3CapabilityKey, pop3CodeKey, pop3CommandKey, pop3ReplyKey } from './catalogue-keys.js';
import type { CommandInFlight, ExplainContext } from './context.js';
import type { Explanation, Words } from './words.js';

function rfcOf(kind: string): string {
  return pop3ReplyKind(kind)?.rfc ?? 'RFC 1939 §3';
}

/** Blank-separated words of a line (POP3 has no quoting: RFC 1939 §3). */
function words(line: string): string[] {
  return line.trim().split(/[ \t]+/).filter((w) => w !== '').slice(0, 16);
}

/** A message number as RFC 1939 §3 writes it, or null. */
function messageNumber(word: string | undefined): number | null {
  return word !== undefined && /^[1-9]\d{0,9}$/.test(word) ? Number(word) : null;
}

/** The explanation of a command line. */
export function explainPop3Command(line: string, ctx: ExplainContext, w: Words): Explanation[] {
  const [name = '', ...args] = words(line);
  const spec = findPop3Command(name);
  if (!spec) return name === '' ? [] : [w.say('pop3.command.unknown', 'RFC 1939 §3', { name: shortValue(name) })];
  const key = pop3CommandKey(spec.name);
  const rfc = spec.rfc;
  const msg = messageNumber(args[0]);
  const out: Explanation[] = [];
  switch (spec.name) {
    case 'USER':
      out.push(w.say(key, rfc, { name: shortValue(args[0] ?? '') }));
      break;
    case 'APOP': {
      const user = shortValue(args[0] ?? '');
      const digest = shortValue(args[1] ?? '');
      if (ctx.greetingTimestamp === null) out.push(w.say('pop3.command.APOP.no-timestamp', rfc, { name: user }));
      else out.push(w.say(key, rfc, { name: user, timestamp: shortValue(ctx.greetingTimestamp), digest }));
      break;
    }
    case 'QUIT':
      // RFC 1939 §4: QUIT before a login ends the session without an UPDATE state.
      if (ctx.state !== 'transaction') out.push(w.say(key, 'RFC 1939 §4'));
      else if (ctx.markedDeleted.size > 0) out.push(w.say('pop3.command.QUIT.deletes', rfc, { n: ctx.markedDeleted.size }));
      else out.push(w.say('pop3.command.QUIT.transaction', rfc));
      break;
    case 'LIST':
    case 'UIDL':
      out.push(msg === null ? w.say(key, rfc) : w.say(`${key}.one`, rfc, { msg }));
      break;
    case 'RETR':
    case 'DELE':
      out.push(w.say(key, rfc, { msg: msg ?? shortValue(args[0] ?? '?') }));
      break;
    case 'TOP': {
      const lines = Number(args[1] ?? 0);
      out.push(w.say(key, rfc, { msg: msg ?? shortValue(args[0] ?? '?'), lines: Number.isSafeInteger(lines) ? lines : 0 }));
      break;
    }
    case 'PASS':
      out.push(w.say(ctx.tls ? `${key}.tls` : key, rfc));
      break;
    case 'AUTH':
      // AUTH without a mechanism is in no RFC (the words say where the list is): no section to cite.
      out.push(args.length === 0 ? w.say('pop3.command.AUTH.list', '') : w.say(key, rfc, { mechanism: shortValue(args[0] ?? '').toUpperCase() }));
      break;
    case 'LANG':
      out.push(args.length === 0 ? w.say('pop3.command.LANG.list', rfc) : w.say(key, rfc, { lang: shortValue(args[0] ?? '') }));
      break;
    default:
      out.push(w.say(key, rfc));
  }
  if (ctx.state !== 'greeting' && ctx.state !== 'unknown' && !spec.states.includes(ctx.state as never)) {
    out.push(w.say('state.invalid', rfc, { command: spec.name, state: w.text(`state.pop3.${ctx.state}`) }));
  }
  return out;
}

/** The explanation of a line answering a "+ " challenge (RFC 5034 §4). */
export function explainPop3Answer(line: string, w: Words): Explanation[] {
  if (line.trim() === '*') return [w.say('pop3.client.sasl-cancel', 'RFC 5034 §4')];
  return [w.say(line.trim() === '' ? 'pop3.client.sasl-empty' : 'pop3.client.sasl-response', 'RFC 5034 §4')];
}

/** `-ERR [IN-USE] ...` / `+OK [SYS/TEMP] ...`: the code, if any (RFC 2449 §8). */
function responseCode(text: string, w: Words): Explanation[] {
  const m = /^\[([^\]\s]{1,64})\]/.exec(text);
  if (!m) return [];
  const code = m[1] as string;
  const kind = findPop3ResponseCode(code) ?? findPop3ResponseCode(code.split('/')[0] ?? '');
  if (!kind) return [w.say('pop3.code.unknown', 'RFC 2449 §8', { name: shortValue(code) })];
  return [w.say(pop3CodeKey(kind.name), kind.rfc)];
}

/** The explanation of a status line: the greeting, +OK, -ERR, or "+ " (a SASL challenge). */
export function explainPop3Status(line: string, command: CommandInFlight | undefined, ctx: ExplainContext, w: Words): Explanation[] {
  if (ctx.state === 'greeting') {
    if (isPreliminaryGreeting(line, 'pop3')) return [w.say('pop3.reply.greeting.preliminary', '')];
    const values = { state: w.text('state.pop3.authorization') };
    if (ctx.greetingTimestamp !== null) return [w.say('pop3.reply.greeting.timestamp', rfcOf('greeting'), { ...values, timestamp: shortValue(ctx.greetingTimestamp) })];
    return [w.say(pop3ReplyKey('greeting'), rfcOf('greeting'), values)];
  }
  if (line === '+' || line.startsWith('+ ')) return [w.say(pop3ReplyKey('+'), rfcOf('+'))];
  const [status = '', ...rest] = words(line);
  const text = line.slice(line.indexOf(status) + status.length).trim();
  if (status.toUpperCase() === '-ERR') {
    const name = command?.name;
    const code = responseCode(text, w);
    const login = name === 'PASS' || name === 'APOP';
    // A login refused with a code other than [AUTH] (RFC 3206 §4: [SYS/TEMP], [IN-USE], ...) was not
    // refused for a wrong secret: the code's own line says why.
    const coded = code.some((e) => e.key !== 'pop3.code.unknown' && e.key !== pop3CodeKey('AUTH'));
    const key = login ? (coded ? 'pop3.reply.-ERR.login.coded' : 'pop3.reply.-ERR.login') : command ? pop3ReplyKey('-ERR') : 'pop3.reply.-ERR.unknown';
    const rfc = login ? 'RFC 1939 §7' : rfcOf('-ERR');
    return [w.say(key, rfc, { command: name ?? '' }), ...code];
  }
  if (status.toUpperCase() !== '+OK') return [w.say('pop3.reply.malformed', 'RFC 1939 §3')];
  return [okReply(command, rest, text, ctx, w), ...responseCode(text, w)];
}

function okReply(command: CommandInFlight | undefined, rest: string[], text: string, ctx: ExplainContext, w: Words): Explanation {
  const rfc = rfcOf('+OK');
  const first = Number(rest[0]);
  const second = Number(rest[1]);
  const msg = messageNumber(command?.args.split(/[ \t]+/)[0]);
  switch (command?.name) {
    case 'USER':
      return w.say('pop3.reply.+OK.USER', 'RFC 1939 §7');
    case 'PASS':
    case 'APOP':
    case 'AUTH': {
      if (command.name === 'AUTH' && command.args.trim() === '') return w.say('pop3.reply.+OK.AUTH-list', '');
      // "+OK mrose's maildrop has 2 messages (320 octets)" (RFC 1939 §7): the counts, when the text says them.
      const m = /(\d{1,9}) messages? \((\d{1,15}) octets?\)/i.exec(text.slice(0, 200));
      const loginRfc = findPop3Command(command.name)?.rfc ?? rfc;
      if (m) return w.say('pop3.reply.+OK.login-counts', loginRfc, { n: Number(m[1]), size: Number(m[2]) });
      return w.say('pop3.reply.+OK.login', loginRfc);
    }
    case 'STAT':
      if (Number.isSafeInteger(first) && Number.isSafeInteger(second)) return w.say('pop3.reply.+OK.STAT', 'RFC 1939 §5', { n: first, size: second });
      break;
    case 'LIST':
      if (msg !== null && Number.isSafeInteger(second)) return w.say('pop3.reply.+OK.LIST-one', 'RFC 1939 §5', { msg, size: second });
      return w.say('pop3.reply.+OK.LIST', 'RFC 1939 §5');
    case 'UIDL':
      if (msg !== null && rest[1] !== undefined) return w.say('pop3.reply.+OK.UIDL-one', 'RFC 1939 §7', { msg, uid: shortValue(rest[1]) });
      return w.say('pop3.reply.+OK.UIDL', 'RFC 1939 §7');
    case 'RETR':
      if (Number.isSafeInteger(first) && /^octets?$/i.test(rest[1] ?? '')) return w.say('pop3.reply.+OK.RETR-size', 'RFC 1939 §5', { msg: msg ?? '?', size: first });
      return w.say('pop3.reply.+OK.RETR', 'RFC 1939 §5', { msg: msg ?? '?' });
    case 'TOP':
      return w.say('pop3.reply.+OK.TOP', 'RFC 1939 §7', { msg: msg ?? '?' });
    case 'DELE':
      return w.say('pop3.reply.+OK.DELE', 'RFC 1939 §5', { msg: msg ?? '?' });
    case 'RSET':
      return w.say('pop3.reply.+OK.RSET', 'RFC 1939 §5');
    case 'NOOP':
      return w.say('pop3.reply.+OK.NOOP', 'RFC 1939 §5');
    case 'QUIT':
      return w.say(ctx.state === 'transaction' && ctx.markedDeleted.size > 0 ? 'pop3.reply.+OK.QUIT-update' : 'pop3.reply.+OK.QUIT', ctx.state === 'transaction' ? 'RFC 1939 §6' : 'RFC 1939 §4');
    case 'CAPA':
      return w.say('pop3.reply.+OK.CAPA', 'RFC 2449 §5');
    case 'STLS':
      return w.say('pop3.reply.+OK.STLS', 'RFC 2595 §4');
    case 'LANG':
      return w.say(command.args.trim() === '' ? 'pop3.reply.+OK.LANG-list' : 'pop3.reply.+OK', command.args.trim() === '' ? 'RFC 6856 §3' : rfc);
    default:
      break;
  }
  return w.say(pop3ReplyKey('+OK'), rfc);
}

/**
 * The explanation of a line of a multi-line reply, as on the wire (dot-stuffed); `index` counts from
 * 0. Message lines get one under the first, and one under each line the server stuffed.
 */
export function explainPop3BodyLine(line: string, command: CommandInFlight | undefined, index: number, w: Words): Explanation[] {
  const [first, second, ...more] = words(line);
  switch (command?.name) {
    case 'LIST': {
      const msg = messageNumber(first);
      const size = Number(second);
      if (msg !== null && Number.isSafeInteger(size)) return [w.say(pop3ReplyKey('scan-listing'), rfcOf('scan-listing'), { msg, size })];
      break;
    }
    case 'UIDL': {
      const msg = messageNumber(first);
      if (msg !== null && second !== undefined) return [w.say(pop3ReplyKey('uid-listing'), rfcOf('uid-listing'), { msg, uid: shortValue(second) })];
      break;
    }
    case 'CAPA': {
      if (first === undefined) return [];
      const kind = findPop3Capability(first);
      const args = shortValue([second, ...more].filter((x) => x !== undefined).join(' '));
      if (!kind) return [w.say('pop3.capa.unknown', 'RFC 2449 §6', { name: shortValue(first), args })];
      if (kind.name === 'EXPIRE') return [expireExplanation(second, more, kind.rfc, w)];
      return [w.say(pop3CapabilityKey(kind.name), kind.rfc, { args, n: Number.isSafeInteger(Number(second)) ? Number(second) : 0 })];
    }
    case 'AUTH':
      if (first !== undefined) return [w.say(pop3ReplyKey('mechanism-line'), rfcOf('mechanism-line'), { mechanism: shortValue(first) })];
      break;
    case 'LANG':
      if (first !== undefined) return [w.say(pop3ReplyKey('language-line'), rfcOf('language-line'), { lang: shortValue(first) })];
      break;
    default:
      break;
  }
  const said = index === 0 ? [w.say(pop3ReplyKey('message-line'), rfcOf('message-line'))] : [];
  // RFC 1939 §3: the line as it went (a session shows it so, as a transcript holds it), its first "."
  // the one the server added; `..` is the message line ".", not the end.
  if (line.length > 1 && line.startsWith('.')) said.push(w.say(pop3ReplyKey('stuffed-line'), rfcOf('stuffed-line'), { line: shortValue(line.slice(1)) }));
  return said;
}

/** The "." ending a multi-line reply. */
export function explainPop3End(w: Words): Explanation[] {
  return [w.say(pop3ReplyKey('end'), rfcOf('end'))];
}

/**
 * RFC 2449 §6.7: `EXPIRE days [USER]` is the least number of days a message stays under any policy
 * of the site; 0 forbids leaving mail on the server (an implicit DELE of what RETR fetched), NEVER
 * says the server deletes nothing; USER, before login, that each user's own value follows it.
 */
function expireExplanation(value: string | undefined, more: readonly string[], rfc: string, w: Words): Explanation {
  const upper = value?.toUpperCase();
  if (upper === 'NEVER' && more.length === 0) return w.say('pop3.capa.EXPIRE.NEVER', rfc);
  if (value !== undefined && /^\d{1,9}$/.test(value)) {
    const n = Number(value);
    const user = more.length === 1 && more[0]?.toUpperCase() === 'USER';
    if (more.length === 0 || user) {
      if (n === 0 && !user) return w.say('pop3.capa.EXPIRE.0', rfc);
      return w.say(user ? 'pop3.capa.EXPIRE.user' : 'pop3.capa.EXPIRE', rfc, { n });
    }
  }
  return w.say('pop3.capa.EXPIRE.other', rfc, { args: shortValue([value, ...more].filter((x) => x !== undefined).join(' ')) });
}
