// Tells whether a server (or a restore) holds the database (Node only). The holder keeps an
// exclusive SQLite lock on `<database>.lock` for as long as it runs: the lock is the kernel's
// (fcntl), so it ends with the process however that ends (a crash, kill -9, a power cut), and
// no stale PID file can claim a database that nobody holds.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export class DatabaseBusyError extends Error {}

/** Takes the database's lock or throws DatabaseBusyError; `release()` gives it back. */
export function holdDatabase(dbFile: string): { release(): void } {
  if (dbFile === ':memory:') return { release() {} };
  mkdirSync(dirname(resolve(dbFile)), { recursive: true });
  const lock = new Database(`${dbFile}.lock`, { timeout: 0 });
  try {
    // In exclusive locking mode the lock a write takes is kept until the connection closes.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new DatabaseBusyError(
      `数据库 ${dbFile} 正由另一个进程使用（正在运行的服务，或正在进行的恢复）：请先停止它。`,
    );
  }
  return { release: () => lock.close() };
}
