/**
 * The POP3 side of the proxy, sans-io: the client's bytes and the server's bytes in, relay actions out.
 * The client's lines are commands (RFC 1939 §3); each tells the POP3 framer what its reply looks like,
 * so the server's multi-line bodies are streamed line by line and passed on with their dot-stuffing as
 * it was. What the proxy changes:
 *
 * - the CAPA body (RFC 2449 §5): STLS and SASL's -PLUS mechanisms (capabilities.ts), with notes;
 * - STLS from the client is answered by the proxy itself (RFC 2595 §4) and upgrades the client's leg.
 *
 * Shown and recorded: every line of both sides, PASS and AUTH's responses masked as `--record` masks
 * them.
 */
import { LineSplitter } from '../protocol/line-splitter.js';
import { Pop3Framer } from '../protocol/pop3/framer.js';
import { findPop3Command, maskPop3AuthResponse, maskPop3Secrets, pop3ReplyShapeFor } from '../protocol/pop3/commands.js';
import { adjustPop3CapaLine, type CapabilityPolicy } from './capabilities.js';
import { ClientTlsUpgrade } from './client-tls-upgrade.js';
import { saslResponseUser } from './sasl-user.js';
import { SecretEchoes } from './secret-echoes.js';
import { RelayQueue, type Relay, type RelayAction, type RelayOptions } from './relay-actions.js';
import { displayForm } from '../protocol/display-form.js';

const CRLF = Buffer.from('\r\n');
const DOT = Buffer.from('.');
/** RFC 2449 §4: a POP3 command line is at most 255 octets; SASL responses may be longer (RFC 5034 §4). */
const DEFAULT_MAX_CLIENT_LINE = 64 * 1024;

export class Pop3Relay implements Relay {
  private readonly out = new RelayQueue();
  private readonly clientLines: LineSplitter;
  private readonly framer: Pop3Framer;
  private readonly clientTls: ClientTlsUpgrade;
  /** The names of the commands relayed whose replies have not come, oldest first. */
  private waiting: string[] = [];
  /** The body being relayed answers CAPA. */
  private capaBody = false;
  private capaHadStls = false;
  /** AUTH has started a SASL exchange: client lines are responses until its final reply (RFC 5034 §4). */
  private inAuth = false;
  /** The SASL exchange relayed: its mechanism and the client's responses so far. */
  private sasl: { mechanism: string; responses: number } | null = null;
  /**
   * AUTH's final reply has just come and no command has come since: a line of one word that names
   * no command now is a response the client sent late, into an exchange refused before it came.
   */
  private authEnded = false;
  /** The client's SASL responses: masked in the server's lines too (a server may quote a "command"). */
  private readonly echoes = new SecretEchoes();
  private clientFailed = false;
  private loggedIn = false;

  constructor(private readonly options: RelayOptions) {
    this.clientLines = new LineSplitter(options.maxClientLineBytes ?? DEFAULT_MAX_CLIENT_LINE);
    this.framer = new Pop3Framer(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes });
    this.clientTls = new ClientTlsUpgrade(this.out, 'STLS', 'RFC 2595 §4', options.canStartTls, options.clientSecure);
  }

  fromServer(chunk: Buffer): RelayAction[] {
    for (const frame of this.framer.push(chunk)) {
      switch (frame.type) {
        case 'status': {
          if (!frame.greeting && frame.status !== '+') {
            const name = this.waiting.shift() ?? '';
            // RFC 1939 §7 / RFC 5034 §4: +OK to PASS, APOP or AUTH's last step is a login.
            if (frame.status === '+OK' && (name === 'PASS' || name === 'APOP' || (name === 'AUTH' && this.inAuth)) && !this.loggedIn) {
              this.loggedIn = true;
              this.out.push({ type: 'logged-in' });
            }
            this.capaBody = name === 'CAPA' && frame.multiline;
            this.capaHadStls = false;
            if (name === 'AUTH') {
              this.authEnded = this.inAuth;
              this.inAuth = false;
              this.sasl = null;
            }
          }
          this.toClient(frame.bytes);
          this.out.show({ kind: 'pop3-status', bytes: this.echoes.mask(frame.bytes), multiline: frame.multiline });
          break;
        }
        case 'body-line': {
          // Shown and recorded as the server sent it; the client gets the adjusted CAPA.
          let bytes: Buffer | null = frame.bytes;
          if (this.capaBody) {
            if (/^STLS\b/i.test(bytes.toString('latin1'))) this.capaHadStls = true;
            const adjusted = adjustPop3CapaLine(bytes, this.policy());
            if (adjusted) {
              bytes = adjusted.line;
              for (const note of adjusted.notes) this.out.noteOnce(note);
            }
          }
          if (bytes !== null) this.toClient(frame.stuffed ? Buffer.concat([DOT, bytes]) : bytes);
          this.out.show({ kind: 'pop3-body-line', bytes: this.echoes.mask(frame.bytes), stuffed: frame.stuffed });
          break;
        }
        case 'end':
          if (this.capaBody && !this.capaHadStls && this.policy().offerStartTls) {
            const stls = Buffer.from('STLS');
            this.toClient(stls);
            this.out.noteOnce('STLS added: the proxy answers it with its own certificate');
          }
          this.capaBody = false;
          this.toClient(DOT);
          this.out.show({ kind: 'pop3-end' });
          break;
        case 'error':
          this.out.fail('the server', frame.message);
          break;
      }
    }
    return this.out.drain();
  }

  fromClient(chunk: Buffer): RelayAction[] {
    // A client whose line passed the cap has lost both legs: what it still sends is dropped, not
    // held (the splitter would keep it all) nor reported again.
    if (this.clientFailed) return this.out.drain();
    if (this.clientTls.waiting) {
      this.clientTls.drop(chunk.length);
      return this.out.drain();
    }
    this.clientLines.read(chunk, {
      line: (line) => {
        if (this.clientTls.waiting) {
          this.clientTls.drop(line.bytes.length + 2);
          return;
        }
        this.clientLine(line.bytes);
      },
      tooLong: () => {
        this.clientFailed = true;
        this.clientLines.reset();
        this.out.fail('the client', `line exceeds ${this.clientLines.maxLineBytes} octets without a line ending`);
      },
      failed: () => this.clientFailed,
    });
    return this.out.drain();
  }

  clientTlsEstablished(): void {
    this.clientTls.established();
    this.clientLines.reset();
  }

  finish(): RelayAction[] {
    return this.out.drain();
  }

  private policy(): CapabilityPolicy {
    // POP3 has no COMPRESS: nothing of the kind to follow or take out.
    return { offerStartTls: this.clientTls.offered, serverLegSecure: this.options.serverSecure, followCompress: true };
  }


  private clientLine(bytes: Buffer): void {
    this.out.push({ type: 'client-command' });
    // In display form, as the transcript format writes the octets: U+FFFD would lose an octet that
    // is no UTF-8, and the text `\x41` must not read back as "A".
    const text = displayForm(bytes);
    const wire = Buffer.concat([bytes, CRLF]);
    // A SASL response is base64 (RFC 5034 §4), one word: a command line during the exchange is the
    // client's next command, pipelined, and is shown as one.
    if (this.inAuth && !isCommandLine(text)) {
      this.noteUser(text);
      this.showResponse(text, bytes);
      this.out.push({ type: 'to-server', bytes: wire });
      return;
    }
    if (this.authEnded && !isCommandLine(text)) {
      // Sent after the exchange was over: the server reads it as a command (and answers it with one
      // line), the proxy masks it as the response it was meant to be.
      this.showResponse(text, bytes);
      this.waiting.push('');
      this.framer.expect('single');
      this.out.push({ type: 'to-server', bytes: wire });
      return;
    }
    this.authEnded = false;
    const name = (/^\S*/.exec(text)?.[0] ?? '').toUpperCase();
    const shown = { kind: 'client-line', protocol: 'pop3', text: maskPop3Secrets(text).masked, part: 'command' } as const;
    if (name === 'STLS') {
      this.out.showOwn(shown);
      this.answerStls();
      return;
    }
    this.out.show(shown);
    // AUTH with a mechanism starts an exchange; AUTH alone lists the mechanisms (RFC 5034 §4).
    if (name === 'AUTH' && /^\S+\s+\S/.test(text)) {
      this.inAuth = true;
      const args = text.trim().split(/\s+/);
      this.sasl = { mechanism: args[1] ?? '', responses: 0 };
      if (args[2] !== undefined && args[2] !== '=') this.noteUser(args[2]);
    }
    this.waiting.push(name);
    this.framer.expect(pop3ReplyShapeFor(text));
    this.out.push({ type: 'to-server', bytes: wire });
  }

  /** Reads the user out of a SASL response before it is masked (sasl-user.ts). */
  private noteUser(response: string): void {
    if (!this.sasl) return;
    const user = saslResponseUser(this.sasl.mechanism, this.sasl.responses++, response);
    if (user !== null) this.out.push({ type: 'secret-user', user });
  }

  private answerStls(): void {
    const why = this.clientTls.refusal();
    if (why !== null) {
      this.answer(`-ERR STLS refused by the proxy: ${why}`);
      return;
    }
    this.answer("+OK Begin TLS negotiation now (the proxy's own TLS)");
    this.clientTls.begin();
  }

  private answer(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    this.toClient(bytes);
    this.out.showOwn({ kind: 'pop3-status', bytes, multiline: false });
  }

  private toClient(line: Buffer): void {
    this.out.push({ type: 'to-client', bytes: Buffer.concat([line, CRLF]) });
  }

  /** A SASL response: shown masked, the secret kept so that a server quoting it is masked too. */
  private showResponse(text: string, bytes: Buffer): void {
    const masked = maskPop3AuthResponse(text);
    if (masked.secretFound) this.echoes.remember(bytes);
    this.out.show({ kind: 'client-line', protocol: 'pop3', text: masked.masked, part: 'response' });
  }
}

/**
 * A line that reads as a POP3 command rather than a SASL response: words (base64 has no space), or
 * one word that names a command (RFC 1939 §3: keywords are case-insensitive).
 */
function isCommandLine(text: string): boolean {
  const trimmed = text.trim();
  return /\s/.test(trimmed) || findPop3Command(trimmed) !== undefined;
}
