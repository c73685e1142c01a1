// Platform access tokens kept where every process and Worker invocation finds them (kv), so that
// a Worker does not fetch a new WeCom token for each invocation that sends.
import type { AppDb } from './db';
import { readValues, writeValue } from './kv';

export interface AccessToken {
  value: string;
  /** When it is to be renewed (before the platform's own expiry). */
  renewAt: number;
}

export interface TokenStore {
  get(): Promise<AccessToken | undefined>;
  put(token: AccessToken): Promise<void>;
}

export function kvTokenStore(db: AppDb, name: string): TokenStore {
  const key = `token:${name}`;
  return {
    async get() {
      const raw = (await readValues(db, [key])).get(key);
      return raw ? (JSON.parse(raw) as AccessToken) : undefined;
    },
    async put(token) {
      await writeValue(db, key, JSON.stringify(token));
    },
  };
}
