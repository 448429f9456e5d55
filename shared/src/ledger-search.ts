// How the ledger's search box (台账检索) reads what was typed: a wish number, a phone number,
// or a part of the title. The server filters by it; the desk names the kind beside the total.

/** A wish number as wishNo writes it: XY + the Beijing submission day + the id (6 digits or more). */
const WISH_NO = /^XY(\d{4})(\d{2})(\d{2})(\d{6,12})$/i;
/** A phone as people type it: digits with spaces, dashes or a +86 / 0086 prefix. */
const PHONE_CHARS = /^[+\d\s()-]+$/;
export const LEDGER_SEARCH_MAX = 100;

export type LedgerSearch =
  | { kind: 'no'; id: number; day: string }
  | { kind: 'phone'; digits: string }
  | { kind: 'title'; text: string };

export const LEDGER_SEARCH_LABELS: Record<LedgerSearch['kind'], string> = { no: '心愿编号', phone: '受益人电话', title: '标题' };

/** The digits of a phone number (a country code 86 in front dropped); the keyed hash is taken over these. */
export function phoneDigits(phone: string): string {
  const d = phone.replace(/\D/g, '');
  return d.length === 13 && d.startsWith('86') ? d.slice(2) : d.length === 15 && d.startsWith('0086') ? d.slice(4) : d;
}

/** What a search text asks for; null for an empty one. */
export function parseLedgerSearch(raw: string | undefined | null): LedgerSearch | null {
  const s = (raw ?? '').trim();
  if (!s) return null;
  const no = WISH_NO.exec(s);
  if (no) return { kind: 'no', id: Number(no[4]), day: `${no[1]}-${no[2]}-${no[3]}` };
  if (PHONE_CHARS.test(s)) {
    const digits = phoneDigits(s);
    if (digits.length >= 7) return { kind: 'phone', digits };
  }
  return { kind: 'title', text: s };
}
