// Numbers written in Chinese characters, as people type them in chat: 二十, 十五, 一百零五, 两.

const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** The characters a Chinese number is written with (for patterns). */
export const HAN_NUMBER = '[零〇一二两三四五六七八九十百]+';

/** 二十 → 20, 一百零五 → 105, 十五 → 15, 八 → 8; null for anything else. */
export function chineseNumber(text: string): number | null {
  let total = 0;
  let digit: number | null = null;
  for (const ch of text) {
    const d = DIGIT[ch];
    if (d !== undefined) digit = d;
    else if (ch === '十' || ch === '百') {
      total += (digit ?? 1) * (ch === '十' ? 10 : 100);
      digit = null;
    } else return null;
  }
  return text ? total + (digit ?? 0) : null;
}

/** An Arabic or a Chinese number. */
export const numberIn = (s: string): number | null => (/^-?\d/.test(s) ? Number(s) : chineseNumber(s));
