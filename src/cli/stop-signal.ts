/**
 * How mailwire's servers (sandbox, serve, proxy) are stopped: Ctrl-C (SIGINT) or a service
 * manager's TERM is the normal way out, followed by their own orderly close and summary, not an
 * abrupt exit. The handlers are taken off again once the wait is over, so that a second signal
 * during the close gets Node's default (the process ends) rather than being swallowed.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Resolves with the signal that came, or with null when `otherwise` (e.g. serve's --once) settled
 * first.
 */
export function untilStopSignal(otherwise?: Promise<unknown>): Promise<StopSignal | null> {
  return new Promise((resolve) => {
    const finish = (signal: StopSignal | null): void => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(signal);
    };
    const onInterrupt = (): void => finish('SIGINT');
    const onTerminate = (): void => finish('SIGTERM');
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onTerminate);
    otherwise?.then(
      () => finish(null),
      () => finish(null),
    );
  });
}
