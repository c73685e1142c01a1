// Every feature, in routing order: commands are tried feature by feature, then fallbacks.
// Q&A takes any question no command claims; help comes last because its fallback answers anything.
import type { Feature } from '../bot/core/feature';
import type { AppDb } from '../storage/db';
import { bind } from './bind';
import { checkin } from './checkin';
import { help } from './help';
import { qaFeature } from './qa';
import { Knowledge } from './qa/knowledge';
import type { LlmConfig } from './qa/llm';
import { whoami } from './whoami';

export function buildFeatures(db: AppDb, llm?: LlmConfig): Feature[] {
  return [bind, whoami, checkin, qaFeature(new Knowledge(db, llm)), help];
}
