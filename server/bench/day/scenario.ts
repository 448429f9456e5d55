// The day bench:day replays: who does what, how often per wish, and when in the day
// (README.md in this directory derives the figures). Open-loop: arrivals are Poisson at the rate
// of the simulated hour, whatever the server's latency, so a slow server shows as latency and a
// growing in-flight count rather than as fewer requests.
import sharp from 'sharp';
import type { DayClient, Reply } from './client';
import { FormData } from './client';

/** Per simulated Beijing hour 0–23: residents and members (their phones: lunch and evening peaks). */
export const PUBLIC_CURVE = [0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.6, 1.6, 3.2, 5.4, 6.6, 6.2, 7.4, 6.0, 4.4, 5.0, 5.4, 5.6, 6.0, 7.8, 8.6, 7.4, 4.2, 1.6];
/** Per simulated Beijing hour: community staff, desks and committees (office hours, a dip at lunch). */
export const OFFICE_CURVE = [0, 0, 0, 0, 0, 0, 0, 0.4, 6.0, 13.0, 14.0, 11.0, 3.0, 2.0, 10.0, 12.0, 12.5, 9.0, 3.5, 1.5, 1.0, 0.6, 0, 0];

/** How many of each operation a day brings per wish submitted (README.md: "Proportions"). */
export const OPS: { op: Op; perWish: number; curve: number[] }[] = [
  { op: 'submit', perWish: 1, curve: PUBLIC_CURVE },
  { op: 'approve', perWish: 0.92, curve: OFFICE_CURVE },
  { op: 'reject', perWish: 0.05, curve: OFFICE_CURVE },
  { op: 'claim', perWish: 0.8, curve: PUBLIC_CURVE },
  { op: 'complete', perWish: 0.75, curve: PUBLIC_CURVE },
  { op: 'confirm', perWish: 0.62, curve: PUBLIC_CURVE },
  { op: 'dispute', perWish: 0.03, curve: PUBLIC_CURVE },
  { op: 'wall', perWish: 16, curve: PUBLIC_CURVE },
  { op: 'detail', perWish: 12, curve: PUBLIC_CURVE },
  { op: 'mine', perWish: 4, curve: PUBLIC_CURVE },
  { op: 'unread', perWish: 24, curve: PUBLIC_CURVE },
  { op: 'messages', perWish: 3, curve: PUBLIC_CURVE },
  { op: 'review', perWish: 3, curve: OFFICE_CURVE },
  { op: 'dashboard', perWish: 0.3, curve: OFFICE_CURVE },
  { op: 'export', perWish: 0.02, curve: OFFICE_CURVE },
];
export type Op = 'submit' | 'approve' | 'reject' | 'claim' | 'complete' | 'confirm' | 'dispute' | 'wall' | 'detail' | 'mine' | 'unread' | 'messages' | 'review' | 'dashboard' | 'export';

/** Share of submissions that carry photos (upload first, then the wish names them), and of those, two. */
const PHOTO_SHARE = 0.6;
const TWO_PHOTOS = 0.35;
/** Share of approved wishes nobody on the wall takes up: they wait for their claim window to end and are escalated (the timers). */
const NEGLECTED_SHARE = 0.15;
const CATEGORIES = ['daily_help', 'repair', 'elderly_care', 'study', 'transport', 'environment', 'other'];
const RATINGS = ['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied'];

export interface Person {
  openid: string;
  userId: number;
  token: string;
  communityId: number;
  held: number;
}
export interface WishRef {
  id: number;
  no: string;
  communityId: number;
  resident: Person;
  claimant?: Person;
}

export interface World {
  communities: number[];
  admins: Map<number, Person>;
  residents: Map<number, Person[]>;
  members: Map<number, Person[]>;
  city: Person;
  maxClaims: number;
}

const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(Math.random() * xs.length)] : undefined);
const take = <T>(xs: T[]): T | undefined => (xs.length ? xs.splice(Math.floor(Math.random() * xs.length), 1)[0] : undefined);

let noticeVersion: string | null = null;

/** Dev login, then consent to the privacy notice (as the mini-program's first run asks) when not given yet. */
export async function login(client: DayClient, openid: string, communityId: number): Promise<Person> {
  const r = await client.call('POST /auth/dev-login', 'POST', '/auth/dev-login', null, { openid });
  if (!r || r.status !== 200) throw new Error(`dev-login ${openid}: ${r?.status} ${JSON.stringify(r?.body).slice(0, 300)} (the target needs AUTH_DEV_LOGIN)`);
  const p = { openid, userId: r.body.user.id, token: r.body.token, communityId, held: 0 };
  noticeVersion ??= (await client.call('GET /privacy/notice', 'GET', '/privacy/notice', null))?.body?.version ?? null;
  if (noticeVersion && r.body.user.consentRequired) {
    const c = await client.call('POST /me/consent', 'POST', '/me/consent', p.token, { version: noticeVersion });
    if (!c || c.status >= 300) throw new Error(`consent ${openid}: ${c?.status} ${JSON.stringify(c?.body).slice(0, 300)}`);
  }
  return p;
}

/** Residents, members (registered and verified through the API when new), staff; subscribe-message grants for all. */
export async function setUpWorld(client: DayClient, opts: { residentsPerCommunity: number; membersPerCommunity: number; maxClaims: number; tag: string }): Promise<World> {
  const city = await login(client, 'demo-city-admin', 0);
  const orgs = await client.call('GET /orgs', 'GET', '/orgs?kind=community', city.token);
  const list = (orgs?.body ?? []) as { id: number; communityClass: string }[];
  if (!list.length) throw new Error('no communities on the target (start it with the demo seed: SEED_DEMO)');
  const world: World = { communities: list.map((c) => c.id), admins: new Map(), residents: new Map(), members: new Map(), city, maxClaims: opts.maxClaims };
  // Communities side by side; people within one in order (a registration needs its committee).
  await Promise.all(
    list.map(async (c) => {
      const admin = await login(client, c.communityClass === 'B' ? 'demo-community-admin' : `demo-community-admin-${c.communityClass.toLowerCase()}`, c.id);
      world.admins.set(c.id, admin);
      const residents = await Promise.all(Array.from({ length: opts.residentsPerCommunity }, (_, i) => login(client, `day-${opts.tag}-res-${c.id}-${i}`, c.id)));
      world.residents.set(c.id, residents);
      const members: Person[] = [];
      for (let i = 0; i < opts.membersPerCommunity; i++) {
        const m = await login(client, `day-${opts.tag}-mem-${c.id}-${i}`, c.id);
        const phone = `139${String(c.id).padStart(2, '0')}${String(i).padStart(6, '0')}`.slice(0, 11);
        const key = client.newKey('reg');
        const reg = await client.call('POST /members/registrations', 'POST', '/members/registrations', m.token, { communityId: c.id, realName: '压测队员', phone, workUnit: '压测单位' }, { key });
        if (reg && reg.status < 300) {
          client.logAck({ kind: 'registration', key, userId: m.userId, regId: reg.body.id, replayed: reg.headers['idempotent-replayed'] === 'true' });
          const vkey = client.newKey('verify');
          const v = await client.call('POST /members/registrations/:id/verify', 'POST', `/members/registrations/${reg.body.id}/verify`, admin.token, {}, { key: vkey });
          if (!v || v.status >= 300) throw new Error(`verify registration ${reg.body.id}: ${v?.status} ${JSON.stringify(v?.body)}`);
        } else if (reg?.status !== 409) throw new Error(`member registration ${m.openid}: ${reg?.status} ${JSON.stringify(reg?.body).slice(0, 300)}`);
        members.push(m);
      }
      world.members.set(c.id, members);
    }),
  );
  // Every resident and member says yes to every template a few times (one message spends one grant).
  await Promise.all(
    [...[...world.residents.values()].flat(), ...[...world.members.values()].flat()].map(async (p) => {
      const subs = await client.call('GET /me/subscriptions', 'GET', '/me/subscriptions', p.token);
      const ids = ((subs?.body?.items ?? []) as { templateId: string }[]).map((it) => it.templateId);
      // wx.requestSubscribeMessage asks for at most 3 templates at a time.
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < ids.length; j += 3) {
          const results = Object.fromEntries(ids.slice(j, j + 3).map((id) => [id, 'accept']));
          const r = await client.call('POST /me/subscriptions', 'POST', '/me/subscriptions', p.token, { results });
          if (!r || r.status >= 300) throw new Error(`subscriptions ${p.openid}: ${r?.status} ${JSON.stringify(r?.body).slice(0, 300)}`);
        }
    }),
  );
  return world;
}

let jpeg: Buffer | null = null;
async function photo(): Promise<Buffer> {
  jpeg ??= await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 200, g: 120, b: 60 } } }).jpeg().toBuffer();
  return jpeg;
}

/** The wishes the bench knows, by what can happen to them next. */
export class Pools {
  readonly submitted: WishRef[] = [];
  readonly open: WishRef[] = [];
  readonly claimed: WishRef[] = [];
  readonly completed: WishRef[] = [];
  readonly known: WishRef[] = [];
}

const ok = (r: Reply | null): r is Reply => !!r && r.status >= 200 && r.status < 300;
const replayed = (r: Reply) => r.headers['idempotent-replayed'] === 'true';

/** One operation; returns false when there was nothing to do it to (no wish in the right state). */
export async function runOp(op: Op, client: DayClient, w: World, pools: Pools): Promise<boolean> {
  const community = pick(w.communities)!;
  switch (op) {
    case 'submit': {
      const resident = pick(w.residents.get(community)!)!;
      const photoIds: string[] = [];
      const n = Math.random() < PHOTO_SHARE ? (Math.random() < TWO_PHOTOS ? 2 : 1) : 0;
      for (let i = 0; i < n; i++) {
        const buf = await photo();
        const key = client.newKey('photo');
        const form = () => {
          const f = new FormData();
          f.append('file', new Blob([buf], { type: 'image/jpeg' }), 'p.jpg');
          return f;
        };
        const r = await client.call('POST /photos', 'POST', '/photos', resident.token, form, { key });
        if (!ok(r)) return true;
        client.logAck({ kind: 'photo', key, userId: resident.userId, photoId: r.body.id, replayed: replayed(r) });
        photoIds.push(r.body.id);
      }
      const key = client.newKey('submit');
      const body = {
        communityId: community,
        category: pick(CATEGORIES),
        // The title carries the key, so check-acks finds every wish this key made (two would be a doubled write).
        title: `帮忙${key.slice(-12)}`,
        description: '家里的水龙头坏了，想请人帮忙看看。',
        beneficiaryName: '压测居民',
        beneficiaryPhone: '13900001111',
        address: '1号楼1单元101',
        forSelf: true,
        ...(photoIds.length ? { photoIds } : {}),
      };
      const r = await client.call('POST /wishes', 'POST', '/wishes', resident.token, body, { key });
      if (ok(r)) {
        client.logAck({ kind: 'wish', key, userId: resident.userId, wishId: r.body.id, wishNo: r.body.no, replayed: replayed(r) });
        const ref = { id: r.body.id, no: r.body.no, communityId: community, resident };
        pools.submitted.push(ref);
        pools.known.push(ref);
      }
      return true;
    }
    case 'approve':
    case 'reject': {
      const wish = take(pools.submitted);
      if (!wish) return false;
      const admin = w.admins.get(wish.communityId)!;
      const key = client.newKey(op);
      const r =
        op === 'approve'
          ? await client.call('POST /wishes/:id/approve', 'POST', `/wishes/${wish.id}/approve`, admin.token, {}, { key })
          : await client.call('POST /wishes/:id/reject', 'POST', `/wishes/${wish.id}/reject`, admin.token, { code: 'not_a_wish', reason: '不属于心愿受理范围' }, { key });
      if (ok(r)) {
        client.logAck({ kind: op, key, userId: admin.userId, wishId: wish.id, replayed: replayed(r) });
        if (op === 'approve' && Math.random() >= NEGLECTED_SHARE) pools.open.push(wish);
      }
      return true;
    }
    case 'claim': {
      const wish = take(pools.open);
      if (!wish) return false;
      const member = pick(w.members.get(wish.communityId)!.filter((m) => m.held < w.maxClaims));
      if (!member) {
        pools.open.push(wish);
        return false;
      }
      member.held++;
      const key = client.newKey('claim');
      const r = await client.call('POST /wishes/:id/claim', 'POST', `/wishes/${wish.id}/claim`, member.token, {}, { key });
      if (ok(r)) {
        client.logAck({ kind: 'claim', key, userId: member.userId, wishId: wish.id, replayed: replayed(r) });
        wish.claimant = member;
        pools.claimed.push(wish);
      } else member.held--;
      return true;
    }
    case 'complete': {
      const wish = take(pools.claimed);
      if (!wish) return false;
      const key = client.newKey('complete');
      const r = await client.call('POST /wishes/:id/complete', 'POST', `/wishes/${wish.id}/complete`, wish.claimant!.token, { note: '已上门处理完毕' }, { key });
      if (ok(r)) {
        client.logAck({ kind: 'complete', key, userId: wish.claimant!.userId, wishId: wish.id, replayed: replayed(r) });
        wish.claimant!.held--;
        pools.completed.push(wish);
      } else if (r && (r as Reply).status >= 400 && (r as Reply).status < 500) wish.claimant!.held--; // the claim went back (overdue) or moved on
      return true;
    }
    case 'confirm':
    case 'dispute': {
      const wish = take(pools.completed);
      if (!wish) return false;
      const key = client.newKey(op);
      const r =
        op === 'confirm'
          ? await client.call('POST /wishes/:id/confirm', 'POST', `/wishes/${wish.id}/confirm`, wish.resident.token, { rating: pick(RATINGS) }, { key })
          : await client.call('POST /wishes/:id/dispute', 'POST', `/wishes/${wish.id}/dispute`, wish.resident.token, { reason: '问题还没有解决' }, { key });
      if (ok(r)) {
        client.logAck({ kind: op, key, userId: wish.resident.userId, wishId: wish.id, replayed: replayed(r) });
        if (op === 'dispute') {
          wish.claimant!.held++;
          pools.claimed.push(wish);
        }
      }
      return true;
    }
    case 'wall': {
      const m = pick(w.members.get(community)!)!;
      await client.call('GET /wishes/wall', 'GET', `/wishes/wall?communityId=${community}&limit=20`, m.token);
      return true;
    }
    case 'detail': {
      const wish = pick(pools.known);
      if (!wish) return false;
      await client.call('GET /wishes/:id', 'GET', `/wishes/${wish.id}`, wish.resident.token);
      return true;
    }
    case 'mine': {
      const r = pick(w.residents.get(community)!)!;
      await client.call('GET /wishes/mine', 'GET', '/wishes/mine?limit=20', r.token);
      return true;
    }
    case 'unread':
    case 'messages': {
      const people = Math.random() < 0.6 ? w.residents.get(community)! : w.members.get(community)!;
      const p = pick(people)!;
      if (op === 'unread') await client.call('GET /me/messages/unread-count', 'GET', '/me/messages/unread-count', p.token);
      else await client.call('GET /me/messages', 'GET', '/me/messages?limit=20', p.token);
      return true;
    }
    case 'review':
      await client.call('GET /wishes/review', 'GET', `/wishes/review?communityId=${community}`, w.admins.get(community)!.token);
      return true;
    case 'dashboard':
      await client.call('GET /ledger/dashboard', 'GET', `/ledger/dashboard?scope=community&orgId=${community}`, w.admins.get(community)!.token);
      return true;
    case 'export':
      await client.call('GET /ledger/export.csv', 'GET', `/ledger/export.csv?communityId=${community}`, w.admins.get(community)!.token);
      return true;
  }
}

/** Expected operations of each kind per real second at this simulated hour, for `wishesPerDay` compressed into `dayMinutes`. */
export function ratesAt(hour: number, wishesPerDay: number, dayMinutes: number): Map<Op, number> {
  const speed = 1440 / dayMinutes; // simulated seconds per real second
  const out = new Map<Op, number>();
  for (const o of OPS) {
    const sum = o.curve.reduce((a, b) => a + b, 0);
    const perSimHour = (wishesPerDay * o.perWish * o.curve[hour]) / sum;
    out.set(o.op, (perSimHour / 3600) * speed);
  }
  return out;
}

/**
 * Wishes submitted and approved now that nobody will take up: their claim windows end together
 * one window later, so the fault scripts know when timers fall due (and put the fault there).
 */
export async function seedWaiting(client: DayClient, w: World, pools: Pools, n: number): Promise<number> {
  let approved = 0;
  for (let i = 0; i < n; i++) {
    if (!(await runOp('submit', client, w, pools))) continue;
    const wish = pools.submitted.pop();
    if (!wish) continue;
    const admin = w.admins.get(wish.communityId)!;
    const key = client.newKey('approve');
    const r = await client.call('POST /wishes/:id/approve', 'POST', `/wishes/${wish.id}/approve`, admin.token, {}, { key });
    if (ok(r)) {
      client.logAck({ kind: 'approve', key, userId: admin.userId, wishId: wish.id, replayed: replayed(r) });
      approved++;
    }
  }
  return approved;
}
