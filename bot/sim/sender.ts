// The simulator's sender: a send is delivered when it lands in its chat's history (the page shows
// it there; the inbox reads the outbox's sent rows). Nothing leaves the process.
import type { AppDb } from '../../storage/db';
import { addToHistory } from '../../storage/sim-history';
import type { Sender } from '../core/delivery';
import { answers } from './history';

export function simSender(db: AppDb): Sender {
  return {
    async deliver(target, output) {
      await addToHistory(db, target, answers([output]), Date.now());
    },
  };
}
