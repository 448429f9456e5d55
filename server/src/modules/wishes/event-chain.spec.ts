// The chain's format, against hashes computed apart with `printf '%s' '<canonical JSON>' | sha256sum`
// (README "A ledger that shows tampering" documents the canonical form), and the walker's verdicts.
import { ERASED_TEXT } from '@xinyuan/shared';
import { DayDigest, seal, textDigest, walkWish, type ChainContent, type StoredChainEvent } from './event-chain';

const T0 = new Date('2026-11-27T02:00:00.123Z'); // 1795744800123 ms
const submit: ChainContent = { wishId: 7, type: 'submit', fromState: null, toState: 'pending_review', fromTier: null, toTier: 1, actorId: 3, actorRole: 'resident', actorOrgId: null, reason: null, payload: { consentMethod: 'verbal' }, createdAt: T0 };
const cancel: ChainContent = { wishId: 7, type: 'cancel', fromState: 'pending_review', toState: 'cancelled', fromTier: 1, toTier: 1, actorId: 3, actorRole: 'resident', actorOrgId: null, reason: '家里人已经修好了', payload: null, createdAt: new Date(T0.getTime() + 60_000) };
// printf '%s' '["xy-ledger-1",7,1,"submit",null,"pending_review",null,1,3,"resident",null,null,"{\"consentMethod\":\"verbal\"}",1795744800123,""]' | sha256sum
const H1 = 'b609d56c99c47f14cf2625c9b8d0d5230f54ae9c5f501fd5bca37cc01b6fb106';
// printf '%s' '["家里人已经修好了",null]' | sha256sum
const REASON = 'fe0c1e40fcc875376337ee25a0e148f88a32df85bac734ce563e798bbb703c8f';
// printf '%s' '["xy-ledger-1",7,2,"cancel","pending_review","cancelled",1,1,3,"resident",null,"<REASON>",null,1795744860123,"<H1>"]' | sha256sum
const H2 = '5f30190e2250914dd1dbe9a67d57c045c3badc6e7e46d20b3b11527030d5e608';

describe('sealing', () => {
  it('hashes the canonical content with the previous hash', () => {
    expect(seal(submit, { seq: 0, hash: null })).toEqual({ seq: 1, textDigest: null, chainHash: H1 });
    expect(seal(cancel, { seq: 1, hash: H1 })).toEqual({ seq: 2, textDigest: REASON, chainHash: H2 });
  });
  it('covers a comment through the text digest, and payload keys in any order', () => {
    // printf '%s' '[null,"谢谢"]' | sha256sum
    expect(textDigest(null, { rating: 'satisfied', comment: '谢谢' })).toBe('998f276b91408c93f36539da04c4bc07b46702938ac81ba83d4df6c354a481bf');
    const a = seal({ ...submit, payload: { b: 1, a: [2, { d: 1, c: 2 }] } }, { seq: 0, hash: null });
    const b = seal({ ...submit, payload: { a: [2, { c: 2, d: 1 }], b: 1, gone: undefined } }, { seq: 0, hash: null });
    expect(a).toEqual(b);
    // The comment itself is not in the payload's part: erasing it changes only the text digest.
    const withComment = seal({ ...submit, payload: { rating: 'satisfied', comment: '谢谢' } }, { seq: 0, hash: null });
    const erased = seal({ ...submit, payload: { rating: 'satisfied', comment: null } }, { seq: 0, hash: null });
    expect(withComment.textDigest).not.toBe(erased.textDigest);
  });
});

describe('walking a chain', () => {
  const stored = (e: ChainContent, id: number, s: ReturnType<typeof seal>): StoredChainEvent => ({ ...e, id, seq: s.seq, textDigest: s.textDigest, chainHash: s.chainHash });
  const s1 = seal(submit, { seq: 0, hash: null });
  const s2 = seal(cancel, { seq: 1, hash: s1.chainHash });
  const e1 = stored(submit, 101, s1);
  const e2 = stored(cancel, 102, s2);
  const head = { seq: 2, hash: H2 };
  const none = new Set<number>();

  it('passes an intact chain', () => {
    expect(walkWish(7, head, [e1, e2], none).breaks).toEqual([]);
  });
  it('edited: a column changed', () => {
    expect(walkWish(7, head, [{ ...e1, toTier: 2 }, e2], none).breaks[0]).toMatchObject({ eventId: 101, seq: 1, kind: 'edited', expected: `hash ${H1}` });
  });
  it('missing: a gap, or the head past the last event', () => {
    expect(walkWish(7, head, [e2], none).breaks[0]).toMatchObject({ eventId: 102, seq: 2, kind: 'missing', expected: 'seq 1', found: 'seq 2' });
    expect(walkWish(7, head, [e1], none).breaks[0]).toMatchObject({ eventId: null, seq: 2, kind: 'missing' });
  });
  it('inserted: no seal, a repeated seq, or past the head', () => {
    const forged = { ...e2, id: 103, seq: null, chainHash: null, textDigest: null };
    expect(walkWish(7, head, [e1, e2, forged], none).breaks[0]).toMatchObject({ eventId: 103, seq: null, kind: 'inserted' });
    expect(walkWish(7, head, [e1, e2, { ...e2, id: 104 }], none).breaks[0]).toMatchObject({ eventId: 104, seq: 2, kind: 'inserted' });
    expect(walkWish(7, { seq: 1, hash: H1 }, [e1, e2], none).breaks[0]).toMatchObject({ eventId: null, kind: 'inserted' });
  });
  it("erased: the reason replaced by ERASED_TEXT is valid only when its author's account was deleted", () => {
    const redacted = { ...e2, reason: ERASED_TEXT };
    expect(walkWish(7, head, [e1, redacted], new Set([3]))).toMatchObject({ breaks: [], erased: 1 });
    expect(walkWish(7, head, [e1, redacted], none).breaks[0]).toMatchObject({ eventId: 102, kind: 'edited' });
    expect(walkWish(7, head, [e1, { ...e2, reason: '别的理由' }], new Set([3])).breaks[0]).toMatchObject({ eventId: 102, kind: 'edited' });
  });
});

it("the day's digest", () => {
  // printf 'xy-ledger-day-1\ncommunity:5\n2026-11-27\naaa\nbbb\n' | sha256sum
  const d = new DayDigest('community', 5, '2026-11-27');
  d.add(1, 'aaa');
  d.add(9, 'bbb');
  expect([d.hex(), d.events, d.lastEventId]).toEqual(['7f4d036b3ebae997c86cb12c287f0c9a6146d4e9d5c329f529ff0224f018626b', 2, 9]);
});
