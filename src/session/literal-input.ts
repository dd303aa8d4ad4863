/**
 * Scripted input (-c lines, standard input) into whole IMAP commands with their literals: the lines
 * after a `{n}` marker are the literal's octets (ImapInputAssembler), and `{file:PATH}` stands for a
 * literal read from a file, announced as a notice before it goes out. The session then sends each
 * literal as RFC 3501 §7.5 wants: after the server's "+", or at once for `{n+}` (RFC 7888).
 */
import { englishNotice } from '../protocol/explain/notices.js';
import type { SessionEvent } from './events.js';
import { describeFileLiteral, splitFileLiterals } from './file-literals.js';
import { ImapInputAssembler, type ImapCommandPlan } from './imap-input.js';

export class LiteralInput {
  private readonly assembler = new ImapInputAssembler();

  /**
   * @param readFile reads the file of a `{file:PATH}` literal; without it, `{file:...}` is sent as typed
   * @param show where the notices about file literals go
   */
  constructor(
    private readonly readFile: ((path: string) => Promise<Buffer>) | undefined,
    private readonly show: (event: SessionEvent) => void,
  ) {}

  /** A command has started and needs more input lines. */
  get incomplete(): boolean {
    return this.assembler.incomplete;
  }

  /** Octets the literal being read still needs. */
  get literalOctetsLeft(): number {
    return this.assembler.literalOctetsLeft;
  }

  /**
   * The command that starts with `first`, taking more lines from `next` while its literals need them;
   * null when the input ends first (`incomplete` then says so).
   */
  async command(first: Buffer, next: () => Promise<Buffer | null>): Promise<ImapCommandPlan | null> {
    let plan: ImapCommandPlan | null = await this.push(first);
    while (plan === null) {
      const more = await next();
      if (more === null) return null;
      plan = await this.push(more);
    }
    return plan;
  }

  /** One input line into the command being assembled, with `{file:PATH}` literals read from their files. */
  private async push(line: Buffer): Promise<ImapCommandPlan | null> {
    const files = this.readFile && !this.assembler.readingLiteral ? splitFileLiterals(line.toString('utf8')) : null;
    if (!files || !this.readFile) return this.assembler.push(line);
    const read = this.readFile;
    const data: Buffer[] = [];
    for (const path of files.paths) data.push(await read(path));
    files.paths.forEach((path, i) => {
      const { info, warning } = describeFileLiteral(path, data[i] as Buffer);
      this.show({ kind: 'notice', level: 'info', text: englishNotice(info), said: info });
      if (warning) this.show({ kind: 'notice', level: 'warning', text: englishNotice(warning), said: warning });
    });
    return this.assembler.pushWithLiterals(files.texts.map((t) => Buffer.from(t, 'utf8')), data);
  }
}
