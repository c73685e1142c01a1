// A platform's access token as every adapter keeps it: fetched once for everyone waiting, renewed
// five minutes before it ends, and optionally shared through a store (the Worker keeps it in D1,
// so that invocations do not each fetch a new one). A token the platform refused is not taken
// again from the store, where another invocation may not yet have replaced it.
import type { AccessToken, TokenStore } from '../../storage/tokens';

const RENEW_EARLY_MS = 5 * 60_000;

/** A token as the platform hands it out: its value and how long it lives. */
export interface FreshToken {
  value: string;
  ttlMs: number;
}

export class AccessTokenCache {
  private token: AccessToken | null = null;
  private refused: string | null = null;
  private fetching: Promise<string> | null = null;

  constructor(
    private readonly fetchNew: () => Promise<FreshToken>,
    private readonly now: () => number,
    private readonly store?: TokenStore,
  ) {}

  /** A live token: the one in memory, else a live stored one, else a new one (then stored). */
  async get(): Promise<string> {
    if (this.token && this.token.renewAt > this.now()) return this.token.value;
    this.fetching ??= (async () => {
      try {
        const stored = await this.store?.get();
        if (stored && stored.renewAt > this.now() && stored.value !== this.refused) {
          this.token = stored;
          return stored.value;
        }
        const fresh = await this.fetchNew();
        this.token = { value: fresh.value, renewAt: this.now() + fresh.ttlMs - RENEW_EARLY_MS };
        await this.store?.put(this.token);
        return fresh.value;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }

  /** The platform called this token invalid or expired: the next `get` fetches a new one. */
  refuse(token: string): void {
    this.refused = token;
    this.token = null;
  }
}
