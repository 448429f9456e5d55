// The objects the fuzz suite aims at: the test world (buildWorld) plus, through the
// real API, wishes in several states, a pending registration, a fund spend,
// photos and an export link; inbox messages have no API and are written directly.
import jwt from 'jsonwebtoken';
import sharp from 'sharp';
import { PRIVACY_NOTICE_VERSION } from '@xinyuan/shared';
import { makePerson } from '../../src/modules/demo/fixtures';
import type { TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import type { AuthChoice, Hints } from './generate';
import type { Images } from './multipart';
import type { Operation, Param } from './openapi';
import { garbageAuth } from './values';

/** The secret createTestApp signs with, to forge tokens the server must refuse. */
const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
/** A subscribe-message template the fuzz app is configured with. */
export const FUZZ_TEMPLATE = 'tmpl-claimed-0001';

export interface FuzzWorld {
  w: World;
  roles: AuthChoice[];
  garbage: AuthChoice[];
  hints: Hints;
  images: Images;
}

export async function buildFuzzWorld(t: TestApp): Promise<FuzzWorld> {
  const w = await buildWorld(t.database, t.clock.now());
  const tok = (id: number) => t.tokenFor(id);
  const must = async (what: string, p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    if (r.status < 200 || r.status >= 300) throw new Error(`fuzz world: ${what} answered ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const images: Images = {
    jpeg: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00000' } }).jpeg().toBuffer(),
    png: await sharp({ create: { width: 8, height: 8, channels: 4, background: '#00c00080' } }).png().toBuffer(),
  };
  const upload = async (userId: number) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(images.jpeg)], { type: 'image/jpeg' }), 'p.jpg');
    return must('photo upload', t.http.request('POST', '/api/photos', { token: tok(userId), raw: form }));
  };
  const photo = await upload(w.users.resident);
  const spare = await upload(w.users.resident);

  const submit = (by: number, title: string, photoIds: string[] = []) =>
    must(`submit "${title}"`, t.http.post('/api/wishes', { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title, description: '楼道灯不亮，晚上上下楼不方便。', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼2单元501', forSelf: true, photoIds }, tok(by))).then((b) => b.id as number);
  const pending = await submit(w.users.resident, '楼道灯坏了', [photo.id]);
  const open = await submit(w.users.resident, '帮忙买菜');
  await must('approve', t.http.post(`/api/wishes/${open}/approve`, {}, tok(w.users.staff)));
  const claimed = await submit(w.users.resident2, '水管漏水');
  await must('approve', t.http.post(`/api/wishes/${claimed}/approve`, {}, tok(w.users.staff)));
  await must('claim', t.http.post(`/api/wishes/${claimed}/claim`, {}, tok(w.users.member)));
  const awaiting = await submit(w.users.resident2, '陪老人看病');
  await must('approve', t.http.post(`/api/wishes/${awaiting}/approve`, {}, tok(w.users.staff)));
  await must('claim', t.http.post(`/api/wishes/${awaiting}/claim`, {}, tok(w.users.member2)));
  await must('complete', t.http.post(`/api/wishes/${awaiting}/complete`, { note: '已陪同就医', costFen: 5000 }, tok(w.users.member2)));

  const applicant = await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: 'fuzz-applicant', nickname: '申请人', grants: [] }));
  await must('registration', t.http.post('/api/members/registrations', { communityId: w.communityA, realName: '孙丽', phone: '13712345678', workUnit: '市财政局' }, tok(applicant.id)));
  for (const [i, userId] of [w.users.resident, w.users.member, w.users.staff].entries()) {
    await t.database.dataSource.query(
      `INSERT INTO message (user_id, outbox_id, wish_id, kind, title, body, wx_status, wx_attempts, created_at) VALUES (?, ?, ?, 'claimed', '您的心愿已被认领', '党员已认领您的心愿', 'none', 0, ?)`,
      [userId, 990_000 + i, claimed, t.database.time(t.clock.now())],
    );
  }
  // Reports and complaints: one on a wall wish by a member, one complaint to A by a resident.
  await must('report', t.http.post('/api/reports', { kind: 'wish', category: 'false_info', text: '描述不实', wishId: open }, tok(w.users.member)));
  await must('complaint', t.http.post('/api/reports', { kind: 'complaint', category: 'attitude', text: '窗口态度不好', communityId: w.communityA }, tok(w.users.resident2)));
  const link = await must('export link', t.http.post('/api/ledger/export-links', { format: 'csv' }, tok(w.users.staff)));
  const exportToken = new URL(link.url, 'http://x').searchParams.get('token');
  if (!exportToken) throw new Error(`fuzz world: export link without a token: ${link.url}`);
  const photoUrl = new URL(photo.url, 'http://x');

  const ids = async (table: string) => (await t.database.dataSource.query(`SELECT id FROM \`${table}\` ORDER BY id`)).map((r: { id: unknown }) => String(r.id));
  const wishIds = await ids('wish');
  const registrationIds = await ids('member_registration');
  const spendIds = await ids('fund_spend');
  const messageIds = await ids('message');
  const reportIds = await ids('report');
  if (!spendIds.length) throw new Error('fuzz world: completing a wish with a cost made no fund spend');
  const year = String(new Date(t.clock.now().getTime() + 8 * 3600_000).getUTCFullYear());

  const roles: AuthChoice[] = (
    [
      ['resident', w.users.resident],
      ['member', w.users.member],
      ['grid worker', w.users.grid],
      ['community admin', w.users.staff],
      ['street', w.users.street],
      ['city admin', w.users.city],
    ] as const
  ).map(([label, id]) => ({ label, header: `Bearer ${tok(id)}`, real: true }));

  const valid = tok(w.users.resident);
  const payload = jwt.decode(valid) as jwt.JwtPayload;
  const now = Math.floor(t.clock.now().getTime() / 1000);
  const garbage: AuthChoice[] = [
    ...garbageAuth(valid, jwt.sign(payload, 'another-secret-another-secret-012345', { algorithm: 'HS256' }), tok(99_999_999)),
    { label: 'expired', value: `Bearer ${jwt.sign({ sub: String(w.users.resident), iat: now - 7200, exp: now - 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })}` },
    { label: 'download-link token as bearer', value: `Bearer ${exportToken}` },
    { label: 'subject zero', value: `Bearer ${jwt.sign({ sub: '0', iat: now, exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })}` },
    { label: 'subject not a number', value: `Bearer ${jwt.sign({ sub: '1 OR 1=1', iat: now, exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })}` },
    { label: 'subject 2^53', value: `Bearer ${jwt.sign({ sub: '9007199254740993', iat: now, exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })}` },
  ].map((g) => ({ label: g.label, header: g.value, real: false }));

  const realById: [string, string[]][] = [
    ['/api/wishes/', wishIds],
    ['/api/ledger/wishes/', wishIds],
    ['/api/members/registrations/', registrationIds],
    ['/api/funds/spends/', spendIds],
    ['/api/me/messages/', messageIds],
    ['/api/photos/', [photo.id]],
    ['/api/reports/', reportIds],
    ['/api/orgs/', [String(w.communityA), String(w.communityB)]],
  ];
  const hints: Hints = {
    fields: {
      communityId: [w.communityA, w.communityB],
      compoundId: [w.compoundA, w.compoundB],
      orgId: [w.cityId, w.districtId, w.streetId, w.communityA, w.communityB],
      scope: ['community', 'street', 'district', 'city'],
      parentId: [w.cityId, w.streetId, w.communityA],
      streetId: [w.streetId],
      districtId: [w.districtId],
      claimantId: [w.users.member, w.users.member2],
      userId: [w.users.member, w.users.member2, w.users.grid, w.users.staff],
      duplicateOf: [Number(pending), Number(open)],
      year: [Number(year), 2026],
      version: [PRIVACY_NOTICE_VERSION],
      code: ['good-fuzz-user', 'some-code-wechat-never-issued'],
      openid: ['fuzz-dev-user', 'demo-resident'],
      photoIds: [[], [spare.id]],
      'photoIds[]': [spare.id, photo.id],
      'results.keys': [FUZZ_TEMPLATE, 'tmpl-unknown-0002'],
      limit: [5, 20],
      token: [exportToken],
      wishId: [Number(open), Number(pending)],
      photoId: [photo.id],
      month: ['2026-11', '2026-10'],
      q: ['楼道灯', '13812341234'],
    },
    realPath: (op: Operation, p: Param) => {
      if (p.name === 'communityId') return [String(w.communityA), String(w.communityB)];
      if (p.name === 'year') return [year];
      if (p.name === 'day') return ['2026-10-01', '2026-05-04'];
      if (p.name === 'userId') return [String(w.users.member), String(w.users.member2)];
      const found = realById.find(([prefix]) => op.path.startsWith(prefix));
      if (!found) throw new Error(`fuzz world: no real values for path parameter ${p.name} of ${op.key}`);
      return found[1];
    },
    absentPath: (op: Operation, p: Param) => {
      if (p.name === 'year' || p.name === 'day') return [];
      if (op.path.startsWith('/api/photos/')) return ['00000000-0000-4000-8000-000000000000'];
      return ['999999', '2147483647'];
    },
    linkedQuery: (op: Operation, path: Record<string, string>) =>
      op.path === '/api/photos/{id}/content' && path.id === photo.id ? { exp: photoUrl.searchParams.get('exp') ?? '', sig: photoUrl.searchParams.get('sig') ?? '' } : null,
  };
  return { w, roles, garbage, hints, images };
}
