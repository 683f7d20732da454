/**
 * A fixed allowance of costly requests per client and window (recommendations cost about half
 * a second of CPU each at scale): past it, the client is told when to come back instead of
 * the server being kept busy for everyone. Pure: the caller gives the time.
 */
export class RequestBudget {
  private readonly spent = new Map<string, { windowStart: number; count: number }>();

  constructor(
    readonly perWindow: number,
    readonly windowMs: number,
  ) {}

  /** Spend one request of `client`'s allowance; when none is left, how many seconds until there is. */
  take(client: string, nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const entry = this.spent.get(client);
    if (!entry || nowMs - entry.windowStart >= this.windowMs) {
      if (this.spent.size > 10_000) this.forgetOld(nowMs);
      this.spent.set(client, { windowStart: nowMs, count: 1 });
      return { ok: true };
    }
    if (entry.count < this.perWindow) {
      entry.count++;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((entry.windowStart + this.windowMs - nowMs) / 1000)),
    };
  }

  private forgetOld(nowMs: number): void {
    for (const [client, entry] of this.spent) {
      if (nowMs - entry.windowStart >= this.windowMs) this.spent.delete(client);
    }
  }
}
