// WeChat subscribe-message fields and their limits. A value over a limit makes the
// whole send fail with 47003, so every value goes through cutField first.
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { localDay, localMinute } from '../../common/time';

export const FIELD_TYPES = ['thing', 'phrase', 'character_string', 'time'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Maximum length in characters (Unicode code points, as WeChat counts), per field type. */
export const FIELD_LIMITS: Record<Exclude<FieldType, 'time'>, number> = {
  thing: 20,
  phrase: 5,
  character_string: 32,
};

/** 'YYYY-MM-DD HH:mm' and 'YYYY-MM-DD' in working time (Beijing): common/time.ts. */
export { localMinute as beijingMinute, localDay as beijingDay };

/** Cuts to n code points (never splitting a surrogate pair), ending in '…' when something was cut. */
function cut(chars: string[], n: number, ellipsis: boolean): string {
  if (chars.length <= n) return chars.join('');
  return ellipsis ? chars.slice(0, n - 1).join('') + '…' : chars.slice(0, n).join('');
}

/**
 * A value WeChat accepts for a field of this type:
 * - thing: ≤ 20 characters, one line, cut with '…';
 * - phrase: ≤ 5 characters, Chinese characters only (WeChat refuses others), cut without a mark;
 * - character_string: ≤ 32 printable ASCII characters (digits, letters, symbols), others dropped;
 * - time: a Date or a parseable time, as 'YYYY-MM-DD HH:mm' Beijing time.
 * Empty results become a placeholder, since WeChat refuses empty values.
 */
export function cutField(type: FieldType, value: string | Date): string {
  if (type === 'time') {
    const d = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(value)}`);
    return localMinute(d);
  }
  const text = value instanceof Date ? localMinute(value) : value;
  switch (type) {
    case 'thing': {
      const oneLine = text.replace(/\s+/gu, ' ').trim();
      return cut(Array.from(oneLine), FIELD_LIMITS.thing, true) || '-';
    }
    case 'phrase': {
      const han = Array.from(text).filter((c) => /\p{Script=Han}/u.test(c));
      return cut(han, FIELD_LIMITS.phrase, false) || '无';
    }
    case 'character_string': {
      const ascii = Array.from(text).filter((c) => c >= '!' && c <= '~');
      return cut(ascii, FIELD_LIMITS.character_string, false) || '-';
    }
  }
}
