import type { CommunityClass, PolicyWindow, Tier } from '@xinyuan/shared';

const DAY = 9 * 60; // one working day of the default 09:00–18:00 hours, in minutes

/**
 * Built-in windows per community class and tier, in working minutes. Denser and
 * older communities (B) get shorter claim windows; rural ones (D) longer.
 * City admins replace them through the API; these apply until they do.
 */
const TABLE: Record<CommunityClass, [claim: number, fulfil: number][]> = {
  A: [[2 * DAY, 5 * DAY], [DAY, 5 * DAY], [DAY, 5 * DAY], [DAY / 2, 3 * DAY]],
  B: [[DAY, 5 * DAY], [DAY, 5 * DAY], [DAY, 5 * DAY], [DAY / 2, 3 * DAY]],
  C: [[DAY * 1.5, 5 * DAY], [DAY, 5 * DAY], [DAY, 5 * DAY], [DAY / 2, 3 * DAY]],
  D: [[2 * DAY, 7 * DAY], [DAY * 1.5, 7 * DAY], [DAY * 1.5, 7 * DAY], [DAY, 5 * DAY]],
};

export const DEFAULT_POLICY: PolicyWindow[] = (Object.keys(TABLE) as CommunityClass[]).flatMap((cls) =>
  TABLE[cls].map(([claimMinutes, fulfilMinutes], i) => ({ communityClass: cls, tier: (i + 1) as Tier, claimMinutes, fulfilMinutes })),
);
