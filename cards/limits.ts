// How many form items one card carries on each platform: a WeCom template card holds at most 3
// selects (multiple_interaction); a DingTalk card (the bot's template) and the simulator have no
// such limit, and take 8, so that a card stays readable on a phone (a longer section turns a page).

import { WECOM_LIMITS } from '../bot/wecom/cards';
import type { Platform } from '../storage/schema';

export const FORM_ITEMS_PER_CARD: Record<Platform, number> = { wecom: WECOM_LIMITS.selects, dingtalk: 8, sim: 8 };
