// Closure codes on the desk (DOMAIN.md "Closure"): what a rejection at review or the
// committee's cancellation says about why the wish closed. Pure, so the form's checks
// and the body it sends are tested without the page.
import { CLOSURE_CODES, CLOSURE_LABELS, LIMITS, type ClosureCode, type ClosureRequest } from '@xinyuan/shared';
import { checkText } from '../../utils/validate';
import { parseWishRef } from './logic';

/** The code picker's options, in the order of CLOSURE_CODES. */
export const CLOSURE_OPTIONS = CLOSURE_CODES.map((c) => ({ value: c, label: CLOSURE_LABELS[c] }));

export interface ClosureInput {
  code: ClosureCode | null;
  /** What the person typed or tapped for a duplicate: a wish number (XY…) or an id. */
  duplicateOf: string;
  /** Where a redirected wish went (12345热线…). */
  channel: string;
}

export interface ClosureProblems {
  code: string | null;
  duplicateOf: string | null;
  channel: string | null;
}

/** What is wrong with the closure fields (all null: fine). `selfId`: the wish being closed. */
export function closureProblems(input: ClosureInput, selfId: number): ClosureProblems {
  const out: ClosureProblems = { code: null, duplicateOf: null, channel: null };
  if (!input.code) {
    out.code = '请选择结案类别';
    return out;
  }
  if (input.code === 'duplicate') {
    const ref = parseWishRef(input.duplicateOf);
    out.duplicateOf = !input.duplicateOf.trim() ? '请填写或点选重复的心愿编号' : ref === null ? '编号格式不对，应为 XY 开头的14位数字编号' : ref === selfId ? '不能选这条心愿本身' : null;
  }
  if (input.code === 'redirected') out.channel = checkText(input.channel, '转往的渠道', 1, LIMITS.channelMax);
  return out;
}

export function hasProblem(p: ClosureProblems): boolean {
  return !!(p.code || p.duplicateOf || p.channel);
}

/**
 * The body of POST /wishes/:id/reject or /cancel for a valid input: the code, the reason
 * when there is one, the duplicate's id only with `duplicate`, the channel only with
 * `redirected` (the server refuses either field with another code).
 */
export function closureBody(input: ClosureInput, reason: string): ClosureRequest {
  const code = input.code!;
  return {
    code,
    ...(reason ? { reason } : {}),
    ...(code === 'duplicate' ? { duplicateOf: parseWishRef(input.duplicateOf)! } : {}),
    ...(code === 'redirected' ? { channel: input.channel.trim() } : {}),
  };
}

/** How a closure reads on a wish: "转其他渠道办理（12345热线）". */
export function closureText(code: ClosureCode, channel?: string | null, duplicateNo?: string | null): string {
  const extra = code === 'redirected' && channel ? `（${channel}）` : code === 'duplicate' && duplicateNo ? `（与心愿 ${duplicateNo} 重复）` : '';
  return `${CLOSURE_LABELS[code]}${extra}`;
}
