// The simulator's sender: a send is delivered once the outbox marks it sent, and the
// simulator's inbox reads it from there. Nothing leaves the process.
import type { Sender } from '../core/delivery';

export const simSender: Sender = {
  async deliver() {},
};
