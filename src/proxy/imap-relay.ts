/**
 * The IMAP side of the proxy, sans-io: the client's bytes and the server's bytes in, relay actions out.
 * Both directions are framed by the one IMAP framer (lines, and literals streamed by octet count,
 * RFC 3501 §4.3) and passed on frame by frame, as they came; what the proxy changes is listed here:
 *
 * - capability lists (capabilities.ts), with a note for each change;
 * - STARTTLS from the client is answered by the proxy itself (RFC 3501 §6.2.1) and upgrades the
 *   client's leg only; the server's leg has its own TLS, set up before the greeting was relayed;
 * - COMPRESS DEFLATE (RFC 4978) is relayed, and when the server's tagged OK has been passed on, both
 *   legs switch to deflate at that very octet (a `compress` action); the relay goes on seeing, showing
 *   and recording the inflated stream. With --no-compress the proxy answers NO itself (RFC 4978 §3
 *   allows NO) and takes COMPRESS=DEFLATE out of the capabilities.
 *
 * Shown and recorded: every line of both sides, the client's secrets masked as `--record` masks them
 * (LOGIN's password, AUTHENTICATE's responses), and the decoded views the session command shows.
 */
import { decodedViews, mayHaveDecodedView, type DecodedViewKind } from '../protocol/imap/decoded-views.js';
import { ImapFramer } from '../protocol/imap/framer.js';
import { findImapCommand } from '../protocol/imap/commands.js';
import { literalIsSecret, maskImapContinuationResponse, maskImapSecrets } from '../protocol/imap/request.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { loginUser } from '../transcript/secrets.js';
import { ImapResponseCollector } from '../session/imap-response-collector.js';
import { adjustImapCapabilityLine, type CapabilityPolicy } from './capabilities.js';
import { ClientLiteralLines } from './client-literal-lines.js';
import { ClientTlsUpgrade } from './client-tls-upgrade.js';
import { saslResponseUser } from './sasl-user.js';
import { SecretEchoes } from './secret-echoes.js';
import { RelayQueue, type Relay, type RelayAction, type RelayOptions } from './relay-actions.js';
import { displayForm, joinDisplayForms } from '../protocol/display-form.js';

const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');
const ALL_VIEWS: ReadonlySet<DecodedViewKind> = new Set(['mailbox', 'envelope', 'bodystructure']);
/** Literals kept for the decoded views (an ENVELOPE's subject, a mailbox name): never a message body. */
const MAX_VIEW_LITERAL = 64 * 1024;

/** A client command being read: its first line and the text after each of its literals. */
interface ClientCommand {
  tag: string;
  name: string;
  segments: string[];
  /** The literal being read is a secret (LOGIN's password). */
  secretLiteral: boolean;
  /** LOGIN's first literal, when the user name is sent as one (`LOGIN {3}`): its first octets. */
  firstLiteral: Buffer[];
}

/** A user name sent as a literal longer than this is not declared for replay (nobody has one). */
const MAX_USER_LITERAL = 1024;

export class ImapRelay implements Relay {
  private readonly out = new RelayQueue();
  private readonly clientFramer: ImapFramer;
  private readonly serverFramer: ImapFramer;
  private readonly collector = new ImapResponseCollector({ wants: mayHaveDecodedView, maxLiteralBytes: MAX_VIEW_LITERAL });
  private readonly clientTls: ClientTlsUpgrade;
  private command: ClientCommand | null = null;
  private literalLines = new ClientLiteralLines();
  /** The last line of a literal that did not end in CRLF: shown with the text that follows it. */
  private literalTail: string | null = null;
  /** A command whose later client lines answer "+" requests (AUTHENTICATE, IDLE) until its tagged reply. */
  private continuing: { tag: string; name: string } | null = null;
  /** The SASL exchange relayed (AUTHENTICATE, RFC 3501 §6.2.2): its mechanism and responses so far. */
  private sasl: { mechanism: string; responses: number } | null = null;
  /**
   * A SASL exchange has just ended (its tagged reply came) and no command has come since: a line of
   * one word from the client now is a response it sent late, not a command (RFC 3501 §9: a command
   * is a tag, a space and more). A refused AUTHENTICATE's pipelined response reaches the proxy so.
   */
  private saslEnded = false;
  /** Secrets the client sent (SASL responses, a password literal): masked in the server's lines too. */
  private readonly echoes = new SecretEchoes();
  /** The secret literal being read, for `echoes`. */
  private secretLiteralData: Buffer[] = [];
  /** The tag of a COMPRESS relayed whose tagged reply has not come: the OK ends the clear stream. */
  private compressTag: string | null = null;
  /** The server's OK to COMPRESS was just framed: what follows it is deflate, not lines. */
  private compressStarts = false;
  /** The tag of a LOGIN or AUTHENTICATE relayed whose tagged reply has not come: an OK is a login. */
  private loginTag: string | null = null;
  /** The greeting has been relayed (a PREAUTH greeting is a login, RFC 3501 §7.1.4). */
  private greeted = false;

  constructor(private readonly options: RelayOptions) {
    this.clientFramer = new ImapFramer(options.maxClientLineBytes === undefined ? {} : { maxLineBytes: options.maxClientLineBytes });
    this.serverFramer = new ImapFramer(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes });
    this.clientTls = new ClientTlsUpgrade(this.out, 'STARTTLS', 'RFC 3501 §6.2.1', options.canStartTls, options.clientSecure);
  }

  fromServer(chunk: Buffer): RelayAction[] {
    if (this.compressTag === null) {
      this.serverFrames(chunk);
      return this.out.drain();
    }
    // RFC 4978 §3: deflate starts right after the CRLF of the tagged OK, perhaps in the middle of this
    // chunk. Framed a line at a time (the framer is incremental, so nothing else changes) until the
    // OK; what follows it goes to the server leg's inflater with the compress action.
    let offset = 0;
    while (offset < chunk.length) {
      const lf = chunk.indexOf(0x0a, offset);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.serverFrames(chunk.subarray(offset, end));
      offset = end;
      if (this.compressStarts) {
        this.compressStarts = false;
        this.out.noteOnce('COMPRESS=DEFLATE in force on both legs (RFC 4978): shown and recorded inflated');
        this.out.push({ type: 'compress', serverPending: Buffer.from(chunk.subarray(offset)) });
        break;
      }
    }
    return this.out.drain();
  }

  private serverFrames(chunk: Buffer): void {
    for (const frame of this.serverFramer.push(chunk)) {
      switch (frame.type) {
        case 'segment': {
          // Shown and recorded as the server sent it (replay meets the same server); the client gets the
          // adjusted line, and the notes say what changed.
          let bytes = frame.bytes;
          if (frame.first) {
            const text = bytes.toString('latin1');
            if (!this.greeted) {
              this.greeted = true;
              if (/^\* PREAUTH\b/i.test(text)) this.out.push({ type: 'logged-in' });
            }
            const tagged = /^([^ *+][^ ]*) /.exec(text);
            if (tagged && this.loginTag === tagged[1]) {
              if (/^\S+ OK\b/i.test(text)) this.out.push({ type: 'logged-in' });
              this.loginTag = null;
            }
            if (tagged && this.continuing?.tag === tagged[1]) {
              if (this.sasl) this.saslEnded = true;
              this.continuing = null;
              this.sasl = null;
            }
            if (tagged && this.compressTag === tagged[1]) {
              this.compressStarts = /^\S+ OK\b/i.test(bytes.toString('latin1'));
              this.compressTag = null;
            }
            const adjusted = adjustImapCapabilityLine(bytes, this.policy());
            if (adjusted) {
              bytes = adjusted.line;
              for (const note of adjusted.notes) this.out.noteOnce(note);
            }
          }
          this.out.push({ type: 'to-client', bytes: Buffer.concat([bytes, frame.bareLf ? LF : CRLF]) });
          this.showServer({ kind: 'imap-segment', bytes: this.echoes.mask(frame.bytes), first: frame.first, literalSize: frame.literal?.size ?? null });
          break;
        }
        case 'literal-data':
          this.out.push({ type: 'to-client', bytes: frame.bytes });
          this.showServer({ kind: 'imap-literal-data', bytes: frame.bytes });
          break;
        case 'literal-end':
          this.showServer({ kind: 'imap-literal-end', size: frame.size });
          break;
        case 'error':
          this.out.fail('the server', frame.message);
          break;
      }
    }
  }

  fromClient(chunk: Buffer): RelayAction[] {
    if (this.clientTls.waiting) {
      this.clientTls.drop(chunk.length);
      return this.out.drain();
    }
    for (const frame of this.clientFramer.push(chunk)) {
      if (this.clientTls.waiting) {
        // Frames of the same read after STARTTLS: injected plaintext (CVE-2011-0411), not relayed.
        if (frame.type === 'segment') this.clientTls.drop(frame.bytes.length + 2);
        else if (frame.type === 'literal-data') this.clientTls.drop(frame.bytes.length);
        continue;
      }
      switch (frame.type) {
        case 'segment':
          if (frame.literal === null) this.out.push({ type: 'client-command' });
          this.clientSegment(frame.bytes, frame.first, frame.literal !== null, frame.bareLf);
          break;
        case 'literal-data': {
          this.out.push({ type: 'to-server', bytes: frame.bytes });
          if (this.command?.secretLiteral) {
            this.secretLiteralData.push(frame.bytes);
            break;
          }
          if (this.command?.name === 'LOGIN' && this.command.segments.length === 1 && Buffer.concat(this.command.firstLiteral).length < MAX_USER_LITERAL) this.command.firstLiteral.push(frame.bytes.subarray(0, MAX_USER_LITERAL));
          for (const text of this.literalLines.push(frame.bytes)) this.out.show({ kind: 'client-line', protocol: 'imap', text, part: 'literal' });
          break;
        }
        case 'literal-end': {
          if (this.command?.secretLiteral) {
            this.echoes.remember(Buffer.concat(this.secretLiteralData));
            this.secretLiteralData = [];
            this.out.show({ kind: 'client-line', protocol: 'imap', text: SECRET_PLACEHOLDER, part: 'literal' });
            break;
          }
          // A literal that does not end in CRLF shares its last line with the text after it (`joe {8}`
          // of `LOGIN {3}`), as the session writes it: one line, so the recording's octets add up.
          this.literalTail = this.literalLines.end();
          break;
        }
        case 'error':
          this.out.fail('the client', frame.message);
          break;
      }
    }
    return this.out.drain();
  }

  clientTlsEstablished(): void {
    this.clientTls.established();
    this.clientFramer.reset();
  }

  finish(): RelayAction[] {
    const rest = this.literalTail ?? this.literalLines.end();
    this.literalTail = null;
    if (rest !== null) this.out.show({ kind: 'client-line', protocol: 'imap', text: rest, part: 'literal' });
    return this.out.drain();
  }

  private policy(): CapabilityPolicy {
    return { offerStartTls: this.clientTls.offered, serverLegSecure: this.options.serverSecure, followCompress: this.followCompress };
  }

  private get followCompress(): boolean {
    return this.options.followCompress !== false;
  }


  private clientSegment(bytes: Buffer, first: boolean, endsInLiteral: boolean, bareLf: boolean): void {
    // In display form, as the transcript format writes the octets: U+FFFD would lose an octet that
    // is no UTF-8, and the text `\x41` must not read back as "A".
    const text = displayForm(bytes);
    const wire = Buffer.concat([bytes, bareLf ? LF : CRLF]);
    if (!first && this.command) {
      // Text going on after a literal of the same command (RFC 3501 §7.5's `FRED FOOBAR {7}`).
      const masked = maskImapSecrets(text, { earlierSegments: this.command.segments });
      this.command.segments.push(text);
      const tail = this.literalTail;
      this.literalTail = null;
      if (tail === null) this.out.show({ kind: 'client-line', protocol: 'imap', text: masked.masked, part: 'continued' });
      else {
        const joined = joinDisplayForms(tail, masked.masked);
        this.out.show({ kind: 'client-line', protocol: 'imap', text: joined, part: 'literal', literalChars: joined.length - masked.masked.length });
      }
      this.out.push({ type: 'to-server', bytes: wire });
      this.afterSegment(endsInLiteral);
      return;
    }
    // A SASL response is base64 (RFC 3501 §6.2.2), one word: a tagged command line during the exchange
    // is the client's next command, pipelined, and is shown as one.
    if (this.continuing && !(this.sasl && isCommandLine(text))) {
      if (this.sasl) this.noteUser(text);
      // A response to "+" (AUTHENTICATE's, RFC 3501 §6.2.2) or IDLE's DONE (RFC 2177 §3).
      this.relayResponse(this.continuing.name, text, bytes, wire);
      return;
    }
    if (this.saslEnded && !endsInLiteral && !text.includes(' ')) {
      // A response sent after the exchange was over (refused before it came): the server reads it as
      // a command, the proxy masks it as the response it was meant to be.
      this.relayResponse('AUTHENTICATE', text, bytes, wire);
      return;
    }
    this.saslEnded = false;
    const words = /^(\S+)(?: (\S+))?/.exec(text);
    const tag = words?.[1] ?? '';
    const name = (words?.[2] ?? '').toUpperCase();
    if (name === 'STARTTLS' && !endsInLiteral) {
      this.answerStartTls(tag, text);
      return;
    }
    if (name === 'COMPRESS' && !endsInLiteral) {
      if (!this.followCompress) {
        this.out.showOwn({ kind: 'client-line', protocol: 'imap', text, part: 'command' });
        this.answer(`${tag} NO [CANNOT] the proxy does not relay COMPRESS (--no-compress, RFC 4978 §3)`);
        this.out.noteOnce('COMPRESS answered NO by the proxy (--no-compress): it relays uncompressed streams only');
        return;
      }
      this.compressTag = tag;
    }
    if (name === 'LOGIN' || name === 'AUTHENTICATE') this.loginTag = tag;
    this.command = { tag, name, segments: [text], secretLiteral: false, firstLiteral: [] };
    this.out.show({ kind: 'client-line', protocol: 'imap', text: maskImapSecrets(text).masked, part: 'command' });
    this.out.push({ type: 'to-server', bytes: wire });
    const spec = findImapCommand(name);
    if (spec?.continuation === 'sasl' || spec?.continuation === 'idle') this.continuing = { tag, name };
    if (spec?.continuation === 'sasl') {
      // AUTHENTICATE mechanism [initial-response] (RFC 4959 §3).
      const args = text.split(' ');
      this.sasl = { mechanism: args[2] ?? '', responses: 0 };
      if (args[3] !== undefined && args[3] !== '=') this.noteUser(args[3]);
    }
    this.afterSegment(endsInLiteral);
  }

  /** A line answering a continuation request of `command`: shown masked (a secret kept for echoes), relayed as it came. */
  private relayResponse(command: string, text: string, bytes: Buffer, wire: Buffer): void {
    const masked = maskImapContinuationResponse(command, text);
    if (masked.secretFound) this.echoes.remember(bytes);
    this.out.show({ kind: 'client-line', protocol: 'imap', text: masked.masked, part: 'response' });
    this.out.push({ type: 'to-server', bytes: wire });
  }

  /** Reads the user out of a SASL response before it is masked (sasl-user.ts). */
  private noteUser(response: string): void {
    if (!this.sasl) return;
    const user = saslResponseUser(this.sasl.mechanism, this.sasl.responses++, response);
    if (user !== null) this.out.push({ type: 'secret-user', user });
  }

  /** After a command's segment: whether a literal follows, and whether it is a secret. */
  private afterSegment(endsInLiteral: boolean): void {
    if (!this.command) return;
    if (!endsInLiteral) {
      this.command = null;
      return;
    }
    const index = this.command.segments.length - 1;
    this.command.secretLiteral = literalIsSecret(this.command.segments[0] ?? '', index, this.command.segments.slice(1));
    this.literalLines = new ClientLiteralLines();
    if (this.command.secretLiteral) {
      // LOGIN's password as a literal: the recording says whose secret `<secret>` stands for, so that
      // replay and serve know whom to ask for (the command line itself holds no placeholder).
      const literals = this.command.firstLiteral.length > 0 ? [{ data: Buffer.concat(this.command.firstLiteral) }] : [];
      const user = loginUser({ segments: [Buffer.from(this.command.segments[0] ?? '', 'utf8')], literals });
      if (user !== null) this.out.push({ type: 'secret-user', user });
    }
  }

  private answerStartTls(tag: string, text: string): void {
    this.out.showOwn({ kind: 'client-line', protocol: 'imap', text, part: 'command' });
    const why = this.clientTls.refusal();
    if (why !== null) {
      this.answer(`${tag} NO [CANNOT] STARTTLS refused by the proxy: ${why}`);
      return;
    }
    this.answer(`${tag} OK Begin TLS negotiation now (the proxy's own TLS)`);
    this.clientTls.begin();
  }

  /** A reply the proxy gives itself, shown as the server's. */
  private answer(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    this.out.push({ type: 'to-client', bytes: Buffer.concat([bytes, CRLF]) });
    this.out.showOwn({ kind: 'imap-segment', bytes, first: true, literalSize: null });
  }

  private showServer(event: Parameters<RelayQueue['show']>[0]): void {
    this.out.show(event);
    const response = this.collector.push(event);
    if (!response) return;
    for (const v of decodedViews(response.segments, response.literals, ALL_VIEWS)) this.out.show({ kind: 'decoded', view: v.view, lines: v.lines, ...(v.heading ? { heading: v.heading } : {}) });
  }
}

/** A line that reads as an IMAP command: a tag, a space, a command name the table knows (RFC 3501 §9). */
function isCommandLine(text: string): boolean {
  const m = /^\S+ (\S+)/.exec(text);
  return m !== null && findImapCommand(m[1] ?? '') !== undefined;
}
