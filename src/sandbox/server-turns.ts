/**
 * The turns of one connection of the sandbox's servers (IMAP and POP3 alike): the frames read but
 * not yet worked on, and the share of work a turn may take. After COMMANDS_PER_TURN commands, or
 * OUTPUT_PER_TURN octets of output, with more input waiting, the session yields (ServerAction
 * 'yield'): reading stops until its output has drained, so one client's pipelined commands never
 * hold the other clients up and its output never piles up unread. Pure.
 */

/** A turn's share of work. */
export const COMMANDS_PER_TURN = 64;
export const OUTPUT_PER_TURN = 1024 * 1024;

export class ServerTurns<F> {
  /** The framer's batches, and where in the first one the next frame is. */
  private queue: F[][] = [];
  private at = 0;
  private commands = 0;
  private output = 0;
  /** Set when the session yielded: nothing is worked on until the next turn begins. */
  yielded = false;

  /** Frames read from the client. */
  push(frames: F[]): void {
    if (frames.length > 0) this.queue.push(frames);
  }

  /** The next frame to work on, or undefined when all that was read is done. */
  next(): F | undefined {
    while (this.queue.length > 0) {
      const frames = this.queue[0] as F[];
      if (this.at < frames.length) return frames[this.at++];
      this.queue.shift();
      this.at = 0;
    }
    return undefined;
  }

  /** The frame last taken is worked on later (a command waiting for its user's rate). */
  putBack(): void {
    if (this.at > 0) this.at--;
  }

  /** Input read but not yet worked on. */
  get waiting(): boolean {
    return this.queue.length > 1 || (this.queue.length === 1 && this.at < (this.queue[0] as F[]).length);
  }

  /** Drops what was read (STARTTLS/STLS: what came after the command in plaintext; a closed connection). */
  clear(): void {
    this.queue = [];
    this.at = 0;
  }

  /** Octets sent in this turn. */
  sent(octets: number): void {
    this.output += octets;
  }

  /** A command is done: true when the turn's share is used up while more input waits (time to yield). */
  commandDone(): boolean {
    this.commands++;
    return !this.yielded && this.waiting && (this.commands >= COMMANDS_PER_TURN || this.output >= OUTPUT_PER_TURN);
  }

  /** A new turn, after a yield: the share is whole again. */
  begin(): void {
    this.yielded = false;
    this.commands = 0;
    this.output = 0;
  }
}
