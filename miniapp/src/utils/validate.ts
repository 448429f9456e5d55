import { LIMITS, PHONE_PATTERN } from '@xinyuan/shared';

/** The server's phone rule: a mobile number or a landline with area code. */
export const PHONE_RE = PHONE_PATTERN;

export function checkPhone(v: string): string | null {
  const s = v.replace(/\s+/g, '');
  if (!s) return '请填写联系电话';
  if (!PHONE_RE.test(s)) return '请填写11位手机号，或带区号的固定电话';
  return null;
}

export function checkText(v: string, label: string, min: number, max: number): string | null {
  const n = Array.from(v.trim()).length;
  if (n === 0) return `请填写${label}`;
  if (n < min) return `${label}至少${min}个字`;
  if (n > max) return `${label}最多${max}个字`;
  return null;
}

export { LIMITS };
