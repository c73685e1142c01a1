// What one card carries on every platform: form items (a WeCom template card holds at most 3
// selects, a DingTalk card and the simulator a section) and body text (WeCom cuts a template
// card's text at 1,000 characters, the strictest).
import type { Platform } from '../storage/schema';
import { WECOM_LIMITS } from './render/wecom';

/** Characters of body a card shows whole on every platform; longer text goes as a message of its own. */
export const CARD_BODY_MAX = WECOM_LIMITS.bodyChars;

export const FORM_ITEMS_PER_CARD: Record<Platform, number> = { wecom: WECOM_LIMITS.selects, dingtalk: 8, sim: 8 };
