import Taro from '../../test/stubs/taro';
import { mockApi } from '../../test/api-mock';
import { askSubscribe, loadTemplates, pickResults } from './subscribe';

// The server lists one template per notice kind it is configured for (GET /me/subscriptions).
const ALL_KINDS = {
  body: {
    items: [
      { kind: 'escalated', templateId: 'T-esc', credits: 0 },
      { kind: 'claimed', templateId: 'T-claimed', credits: 0 },
      { kind: 'completed', templateId: 'T-done', credits: 0 },
      { kind: 'overdue', templateId: 'T-late', credits: 0 },
      { kind: 'supervised', templateId: 'T-sup', credits: 0 },
    ],
  },
};

describe('subscribe messages', () => {
  it('does nothing in H5', async () => {
    const calls = mockApi({});
    await expect(loadTemplates('submitted')).resolves.toEqual([]);
    await expect(askSubscribe(['t1'])).resolves.toEqual({ asked: false });
    expect(Taro.requestSubscribeMessage).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });

  it('after a submit: asks for completed and claimed, never escalated (members only) or supervised', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'GET /me/subscriptions': ALL_KINDS });
    await expect(loadTemplates('submitted')).resolves.toEqual([
      { kind: 'completed', templateId: 'T-done' },
      { kind: 'claimed', templateId: 'T-claimed' },
    ]);
  });

  it("after a claim: asks for the claimant's overdue reminder", async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'GET /me/subscriptions': ALL_KINDS });
    await expect(loadTemplates('claimed')).resolves.toEqual([{ kind: 'overdue', templateId: 'T-late' }]);
  });

  it('asks for approved and rejected too once the server configures them, at most 3 in one prompt', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({
      'GET /me/subscriptions': {
        body: { items: ['approved', 'rejected', 'claimed', 'completed', 'disputed'].map((kind) => ({ kind, templateId: `T-${kind}`, credits: 0 })) },
      },
    });
    await expect(loadTemplates('submitted')).resolves.toEqual([
      { kind: 'completed', templateId: 'T-completed' },
      { kind: 'claimed', templateId: 'T-claimed' },
      { kind: 'rejected', templateId: 'T-rejected' },
    ]);
  });

  it('one template shared by two kinds is asked once', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'GET /me/subscriptions': { body: { items: [{ kind: 'claimed', templateId: 'T', credits: 0 }, { kind: 'completed', templateId: 'T', credits: 0 }] } } });
    await expect(loadTemplates('submitted')).resolves.toEqual([{ kind: 'completed', templateId: 'T' }]);
  });

  it('reports what was granted', async () => {
    process.env.TARO_ENV = 'weapp';
    const calls = mockApi({ 'POST /me/subscriptions': { body: { items: [] } } });
    (Taro.requestSubscribeMessage as jest.Mock).mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', a: 'accept', b: 'reject', c: 'ban' });
    await expect(askSubscribe(['a', 'b', 'c'])).resolves.toEqual({ asked: true, results: { a: 'accept', b: 'reject', c: 'ban' } });
    expect((Taro.requestSubscribeMessage as jest.Mock).mock.calls[0][0]).toEqual({ tmplIds: ['a', 'b', 'c'] });
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/me/subscriptions', data: { results: { a: 'accept', b: 'reject', c: 'ban' } } });
  });

  it("WeChat's refusals 20004 (main switch off) and 20005 (banned) are told apart; other failures are errors", async () => {
    process.env.TARO_ENV = 'weapp';
    const calls = mockApi({});
    (Taro.requestSubscribeMessage as jest.Mock).mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail ...', errCode: 20004 });
    await expect(askSubscribe(['a'])).resolves.toEqual({ asked: false, refused: 'switched_off' });
    (Taro.requestSubscribeMessage as jest.Mock).mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail ...', errCode: 20005 });
    await expect(askSubscribe(['a'])).resolves.toEqual({ asked: false, refused: 'banned' });
    (Taro.requestSubscribeMessage as jest.Mock).mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail ...', errCode: 20001 });
    await expect(askSubscribe(['a'])).rejects.toMatchObject({ errCode: 20001 });
    expect(calls).toHaveLength(0);
  });

  it('keeps only real answers for the asked templates', () => {
    expect(pickResults({ errMsg: 'ok', x: 'accept', y: 'maybe', z: 'filter' }, ['x', 'y', 'z'])).toEqual({ x: 'accept', z: 'filter' });
  });
});
