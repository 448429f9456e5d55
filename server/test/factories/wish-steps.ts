// A resident's wish through its moves, ten minutes apart on the test clock: the steps the ledger's
// specs take to build their wishes (submit for oneself in community A, then each move as someone).
import type { TestApp } from '../create-test-app';
import type { World } from './world';

export function wishSteps(get: () => { t: TestApp; w: World }) {
  const step = () => get().t.clock.advance(10 * 60_000);
  const tok = (k: keyof World['users']) => get().t.tokenFor(get().w.users[k]);
  async function submit(over: Record<string, unknown> = {}): Promise<number> {
    const { t, w } = get();
    step();
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, ...over },
      tok('resident'),
    );
    expect(r.status).toBe(201);
    return r.body.id as number;
  }
  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}): Promise<void> {
    step();
    const r = await get().t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
  }
  return { step, tok, submit, move };
}
