// `cli.js user list|grant|revoke`: the operator gives an account a role at an organisation (the
// committee accounts of a new community; the test accounts for WeChat's reviewer). Expected
// outcomes are typed from DOMAIN.md's roles ("who holds what where": a member, grid worker or
// community committee at a community; a paired unit's admin at a unit; the street desk at a
// street; the city at a district or the city), not read from the code.
import { FakeClock } from '../../src/common/clock';
import { makePerson } from '../../src/modules/demo/fixtures';
import { runUserCommand } from '../../src/modules/users/user-grants.cli';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

describe('cli.js user', () => {
  let t: TestApp;
  let w: World;
  let reviewer: number;
  const run = async (action: string | undefined, ...args: string[]) => {
    let out = '';
    const code = await runUserCommand(t.database, action, args, (s) => (out += s), t.clock.now());
    return { code, out };
  };
  const grants = async (userId: number) =>
    (await t.database.dataSource.query(`SELECT role, org_id FROM role_grant WHERE user_id = ? AND revoked_at IS NULL ORDER BY id`, [userId])).map((g: any) => `${g.role}@${Number(g.org_id)}`);

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(new Date('2026-12-01T02:00:00Z').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    reviewer = (await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: 'reviewer-openid', nickname: '微信审核员', grants: [] }))).id;
  });
  afterAll(() => t?.close());

  it('lists the newest accounts first, with the roles they hold (a plain resident holds none)', async () => {
    const r = await run('list', '--recent=2');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0].split('\t')).toEqual([String(reviewer), expect.any(String), '微信审核员', 'resident']);
  });

  it('grants a member at a community: the person is a member there at once (the wall of that community)', async () => {
    const before = await t.http.get('/api/me', t.tokenFor(reviewer));
    expect(before.body.abilities.wall.allowed).toBe(false);
    const r = await run('grant', `--user=${reviewer}`, '--role=member', `--org=${w.communityA}`);
    expect([r.code, r.out]).toEqual([0, `user ${reviewer} now holds member (在职党员) at 北小街社区 (${w.communityA})\n`]);
    const after = await t.http.get('/api/me', t.tokenFor(reviewer));
    expect(after.body.abilities.wall).toMatchObject({ allowed: true, orgs: [expect.objectContaining({ orgId: w.communityA })] });
  });

  it('refuses, writing nothing: a role at the wrong kind of organisation, twice the same grant, unknown people and places', async () => {
    const before = await grants(reviewer);
    const cases: [string[], number][] = [
      [['grant', `--user=${reviewer}`, '--role=member', `--org=${w.streetId}`], 1], // a member is held at a community
      [['grant', `--user=${reviewer}`, '--role=street_handler', `--org=${w.communityA}`], 1], // the street desk at a street
      [['grant', `--user=${reviewer}`, '--role=member', `--org=${w.communityA}`], 1], // already held
      [['grant', '--user=99999', '--role=member', `--org=${w.communityA}`], 1],
      [['grant', `--user=${reviewer}`, '--role=member', '--org=99999'], 1],
      [['grant', `--user=${reviewer}`, '--role=resident', `--org=${w.communityA}`], 2], // everyone is a resident already
      [['grant', `--user=${reviewer}`, '--role=mayor', `--org=${w.communityA}`], 2],
      [['grant', '--user=abc', '--role=member', `--org=${w.communityA}`], 2],
      [['promote', `--user=${reviewer}`], 2],
      [['list', '--recent=0'], 2],
    ];
    for (const [args, code] of cases) expect([args.join(' '), (await run(args[0], ...args.slice(1))).code]).toEqual([args.join(' '), code]);
    expect(await grants(reviewer)).toEqual(before);
  });

  it('grants the committee of the same community beside the member role', async () => {
    expect((await run('grant', `--user=${reviewer}`, '--role=community_admin', `--org=${w.communityA}`)).code).toBe(0);
    expect(await grants(reviewer)).toEqual([`member@${w.communityA}`, `community_admin@${w.communityA}`]);
    const me = await t.http.get('/api/me', t.tokenFor(reviewer));
    expect(me.body.abilities.review_queue.allowed).toBe(true);
  });

  it('revokes: the grant ends and every token the person held stops working', async () => {
    const r = await run('revoke', `--user=${reviewer}`, '--role=community_admin', `--org=${w.communityA}`);
    expect(r.code).toBe(0);
    expect(await grants(reviewer)).toEqual([`member@${w.communityA}`]);
    expect((await t.http.get('/api/me', t.tokenFor(reviewer, 0))).body.code).toBe('TOKEN_REVOKED');
    const fresh = await t.http.get('/api/me', t.tokenFor(reviewer, 1));
    expect(fresh.body.abilities.review_queue.allowed).toBe(false);
    expect((await run('revoke', `--user=${reviewer}`, '--role=community_admin', `--org=${w.communityA}`)).code).toBe(1);
  });
});
