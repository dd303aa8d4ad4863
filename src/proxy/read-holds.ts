/**
 * Why one leg of a proxied connection has stopped reading. Several causes pause the same leg at once
 * (the other leg cannot take more; the live view's output is full), and each ends on its own: the leg
 * reads again only when none is left, so that one cause ending never undoes another's pause. Pure
 * bookkeeping around the leg's pause and resume.
 */

/** A cause of a pause: the other leg's output, or the live view's. */
export type HoldReason = 'peer-output' | 'view-output';

export class ReadHolds {
  private readonly reasons = new Set<HoldReason>();

  constructor(
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  /** Stops reading for `reason` (once per reason; the leg is paused on the first). */
  hold(reason: HoldReason): void {
    if (this.reasons.has(reason)) return;
    if (this.reasons.size === 0) this.pause();
    this.reasons.add(reason);
  }

  /** `reason` is over; the leg reads again when no other reason is left. */
  release(reason: HoldReason): void {
    if (!this.reasons.delete(reason)) return;
    if (this.reasons.size === 0) this.resume();
  }

  holds(reason: HoldReason): boolean {
    return this.reasons.has(reason);
  }
}
