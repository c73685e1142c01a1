// Every feature, in routing order: commands are tried feature by feature, then fallbacks.
// Q&A takes any question no command claims; help comes last because its fallback answers anything.

import type { Duty } from '../domain/duties';
import type { FormDefinition } from '../domain/forms';
import type { AppDb } from '../storage/db';
import { bind } from './bind';
import { checkinFeature } from './checkin';
import { consoleFeature } from './console';
import { dutiesFeature } from './duties';
import type { Feature } from './feature';
import { help } from './help';
import type { LinkSigner } from './links';
import { qaFeature } from './qa';
import { Knowledge } from './qa/knowledge';
import type { LlmConfig } from './qa/llm';
import { selfcheckFeature } from './selfcheck';
import { whoami } from './whoami';

export interface FeatureOptions {
  llm?: LlmConfig;
  links?: LinkSigner;
  /** The recurring duties in force (their cards and 走访 / 上报研判). */
  duties?: readonly Duty[];
  /** The self-check forms in force (自查). */
  forms?: readonly FormDefinition[];
}

export function buildFeatures(db: AppDb, opts: FeatureOptions = {}): Feature[] {
  return [
    bind,
    whoami,
    checkinFeature(opts.links ? { links: opts.links } : {}),
    dutiesFeature(opts.duties ?? []),
    selfcheckFeature(opts.forms ?? [], opts.links),
    qaFeature(new Knowledge(db, opts.llm)),
    // After Q&A: its command outranks none (commands are all tried before any fallback), and the help
    // card's first buttons stay what members use most.
    consoleFeature(opts.links),
    help,
  ];
}
