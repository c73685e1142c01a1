// WeCom has two ways out: the self-built app reaches a person, the smart bot reaches a group
// (and a person too). Group sends go through the smart bot; one-to-one through the app when
// there is one.

import type { ChatRef, Output } from '../../cards/message';
import { type Attempt, SendError, type Sender } from '../core/delivery';

export class WecomSender implements Sender {
  constructor(
    private readonly app: Sender | undefined,
    private readonly smartBot: Sender | undefined,
  ) {}

  deliver(target: ChatRef, output: Output, context?: unknown, attempt?: Attempt): Promise<void> {
    const via = target.kind === 'group' ? this.smartBot : (this.app ?? this.smartBot);
    if (!via) throw new SendError(`no WeCom channel can reach a ${target.kind} chat`, false);
    return via.deliver(target, output, context, attempt);
  }
}
