import {
  TRANSITIONS,
  WISH_STATES,
  WISH_ACTIONS,
  TERMINAL_STATES,
  CAPACITIES,
  findTransition,
  availableActions,
  conflictOf,
  type WishState,
} from './wish-machine';
import { CLAIMERS_BY_TIER, ROLES } from './domain';

describe('wish transitions table', () => {
  it('reaches every state from creation', () => {
    const seen = new Set<WishState>();
    const queue: WishState[] = TRANSITIONS.filter((t) => t.from === null).map((t) => t.to);
    while (queue.length) {
      const s = queue.shift()!;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const t of TRANSITIONS) if (t.from?.includes(s)) queue.push(t.to);
    }
    expect([...seen].sort()).toEqual([...WISH_STATES].sort());
  });

  it('keeps terminal states final', () => {
    for (const s of TERMINAL_STATES) {
      expect(TRANSITIONS.filter((t) => t.from?.includes(s))).toEqual([]);
      for (const a of WISH_ACTIONS) expect(findTransition(a, s, CAPACITIES)).toBeUndefined();
    }
  });

  it('refuses every move that is not in the table', () => {
    let refused = 0;
    for (const from of [null, ...WISH_STATES] as (WishState | null)[]) {
      for (const action of WISH_ACTIONS) {
        for (const cap of CAPACITIES) {
          const inTable = TRANSITIONS.some(
            (t) => t.action === action && t.capacity === cap && (from === null ? t.from === null : !!t.from?.includes(from)),
          );
          const found = findTransition(action, from, [cap]);
          if (inTable) expect(found).toBeDefined();
          else {
            expect(found).toBeUndefined();
            refused++;
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(300);
  });

  it('matches the DOMAIN.md diagram for the main path', () => {
    expect(findTransition('submit', null, ['submitter'])?.to).toBe('pending_review');
    expect(findTransition('approve', 'pending_review', ['staff'])?.to).toBe('open');
    expect(findTransition('claim', 'open', ['tier_claimer'])?.to).toBe('claimed');
    expect(findTransition('complete', 'claimed', ['claimant'])?.to).toBe('awaiting_confirmation');
    expect(findTransition('confirm', 'awaiting_confirmation', ['submitter'])?.to).toBe('resolved');
    expect(findTransition('dispute', 'awaiting_confirmation', ['submitter'])?.to).toBe('claimed');
    expect(findTransition('release', 'claimed', ['claimant'])?.to).toBe('open');
  });

  it('lets a resident cancel only before a claim, staff also after, with a reason', () => {
    expect(findTransition('cancel', 'open', ['submitter'])).toBeDefined();
    expect(findTransition('cancel', 'claimed', ['submitter'])).toBeUndefined();
    const staff = findTransition('cancel', 'claimed', ['staff']);
    expect(staff?.needsReason).toBe(true);
  });

  it('never lets a person make a system move', () => {
    const people = CAPACITIES.filter((c) => c !== 'system');
    for (const a of ['escalate', 'supervise', 'overdue', 'expire_claim', 'auto_confirm'] as const) {
      for (const s of WISH_STATES) expect(findTransition(a, s, people)).toBeUndefined();
    }
  });

  it('lists only real roles, and claimers per tier', () => {
    for (const t of TRANSITIONS) for (const r of t.roles) expect(ROLES).toContain(r);
    expect(CLAIMERS_BY_TIER[1]).toEqual(['member']);
    expect(CLAIMERS_BY_TIER[4]).toEqual(['street_handler']);
  });

  it('checks the role held in a capacity against the table', () => {
    expect(findTransition('assign', 'claimed', [{ capacity: 'claimant', role: 'community_admin' }])).toBeDefined();
    expect(findTransition('assign', 'claimed', [{ capacity: 'claimant', role: 'member' }])).toBeUndefined();
    expect(findTransition('approve', 'pending_review', [{ capacity: 'staff', role: 'member' }])).toBeUndefined();
    expect(findTransition('escalate', 'open', [{ capacity: 'system', role: 'system' }])?.to).toBe('open');
    expect(availableActions('claimed', [{ capacity: 'claimant', role: 'member' }]).sort()).toEqual(['complete', 'release']);
  });

  it('offers the UI the same moves the server accepts', () => {
    expect(availableActions('open', ['tier_claimer'])).toEqual(['claim']);
    expect(availableActions('awaiting_confirmation', ['submitter']).sort()).toEqual(['confirm', 'dispute']);
    expect(availableActions('resolved', CAPACITIES)).toEqual([]);
  });

  it('keeps four eyes (DOMAIN: nobody approves a wish they submitted; a rating is never recorded by the wish\'s handler)', () => {
    const staff = [{ capacity: 'staff' as const, role: 'grid_worker' as const }, { capacity: 'submitter' as const, role: 'grid_worker' as const }];
    // The grid worker who filed it may cancel it as its submitter, never approve or reject it.
    expect(availableActions('pending_review', staff, { submitter: true, handler: false }).sort()).toEqual(['cancel']);
    expect(availableActions('pending_review', [staff[0]], { submitter: false, handler: false }).sort()).toEqual(['approve', 'reject']);
    expect(conflictOf(findTransition('approve', 'pending_review', staff)!, { submitter: true, handler: false })).toBe('submitter');
    // Claiming one's own wish.
    const claimer = [{ capacity: 'tier_claimer' as const, role: 'member' as const }];
    expect(availableActions('open', claimer, { submitter: true, handler: false })).toEqual([]);
    expect(conflictOf(findTransition('claim', 'open', claimer)!, { submitter: true, handler: false })).toBe('submitter');
    // Confirming or disputing one's own work.
    const both = [{ capacity: 'submitter' as const, role: 'grid_worker' as const }];
    expect(availableActions('awaiting_confirmation', both, { submitter: true, handler: true })).toEqual([]);
    expect(availableActions('awaiting_confirmation', both, { submitter: true, handler: false }).sort()).toEqual(['confirm', 'dispute']);
    // Marking one's own submission urgent publishes it: refused too.
    expect(conflictOf(findTransition('mark_urgent', 'pending_review', [{ capacity: 'staff', role: 'community_admin' }])!, { submitter: true, handler: false })).toBe('submitter');
  });

  it('gives tier 2 to the committee and the branch only, and the committee’s moves to the committee only', () => {
    expect(CLAIMERS_BY_TIER[2]).toEqual(['community_admin', 'branch_secretary']);
    const grid = [{ capacity: 'staff' as const, role: 'grid_worker' as const }];
    for (const [action, from] of [['cancel', 'open'], ['mark_urgent', 'open'], ['release', 'claimed']] as const) expect(findTransition(action, from, grid)).toBeUndefined();
    expect(findTransition('claim', 'open', [{ capacity: 'tier_claimer', role: 'grid_worker' }])).toBeUndefined();
    // An assignee completes the work but neither releases nor re-assigns the claim.
    expect(availableActions('claimed', [{ capacity: 'assignee', role: 'member' }])).toEqual(['complete']);
  });
});
