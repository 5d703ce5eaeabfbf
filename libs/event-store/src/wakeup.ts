/**
 * Wakes every waiter at once. A waiter passes the generation it saw before it last looked for work, so a
 * signal that arrives between looking and waiting is never lost.
 */
export class Wakeup {
  private waiters = new Set<() => void>();
  private gen = 0;

  get generation(): number {
    return this.gen;
  }

  signal(): void {
    this.gen++;
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves true on a signal (or if one came after `seen`), false on timeout or abort. */
  wait(seen: number, timeoutMs: number, abort: AbortSignal): Promise<boolean> {
    if (this.gen !== seen) return Promise.resolve(true);
    if (abort.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (signalled: boolean): void => {
        clearTimeout(timer);
        abort.removeEventListener('abort', onAbort);
        this.waiters.delete(onSignal);
        resolve(signalled);
      };
      const onSignal = (): void => finish(true);
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      abort.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(onSignal);
    });
  }
}
