// Masking of personal information for readers who may not see it in full
// (DOMAIN.md, Privacy). Pure functions so the server and the tests share them.

/** 张三 → 张*, 欧阳娜娜 → 欧***; an empty name stays empty. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 13812341234 → 138****1234; shorter numbers keep at most their last 2 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length >= 11) return digits.slice(0, 3) + '****' + digits.slice(-4);
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 2) + digits.slice(-2);
}

/**
 * Keeps the compound and building only: "3号楼2单元501" → "3号楼".
 * Without a recognisable building the detail is dropped entirely.
 */
export function maskAddress(compoundName: string | null, address: string): string {
  return maskedAddress(compoundName, addressBuilding(address));
}

/** The building of an address ("3号楼2单元501" → "3号楼"), or '' when it names none: what a masked address keeps. */
export function addressBuilding(address: string): string {
  const m = address.match(/^\s*([0-9A-Za-z一二三四五六七八九十]+\s*(号楼|栋|幢|座))/);
  return m ? m[1].replace(/\s+/g, '') : '';
}

/** The masked address from its compound and building (kept beside the sealed address, so lists never open it). */
export function maskedAddress(compoundName: string | null, building: string): string {
  return [compoundName ?? '', building].filter(Boolean).join(' ') || '***';
}
