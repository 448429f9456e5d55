import Taro from '../../test/stubs/taro';
import { mockApi } from '../../test/api-mock';
import { askSubscribe, loadTemplateIds, pickResults } from './subscribe';

describe('subscribe messages', () => {
  it('does nothing in H5', async () => {
    const calls = mockApi({});
    await expect(loadTemplateIds()).resolves.toEqual([]);
    await expect(askSubscribe(['t1'])).resolves.toEqual({ asked: false });
    expect(Taro.requestSubscribeMessage).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });

  it('WeChat: asks for the templates the server lists (at most 3) and reports what was granted', async () => {
    process.env.TARO_ENV = 'weapp';
    const calls = mockApi({
      'GET /me/subscriptions': { body: { items: ['a', 'b', 'b', 'c', 'd'].map((t, i) => ({ kind: 'claimed', templateId: t, credits: i })) } },
      'POST /me/subscriptions': { body: { items: [] } },
    });
    const ids = await loadTemplateIds();
    expect(ids).toEqual(['a', 'b', 'c']);
    (Taro.requestSubscribeMessage as jest.Mock).mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', a: 'accept', b: 'reject', c: 'ban' });
    await expect(askSubscribe(ids)).resolves.toEqual({ asked: true, results: { a: 'accept', b: 'reject', c: 'ban' } });
    expect((Taro.requestSubscribeMessage as jest.Mock).mock.calls[0][0]).toEqual({ tmplIds: ['a', 'b', 'c'] });
    expect(calls[1]).toMatchObject({ method: 'POST', path: '/me/subscriptions', data: { results: { a: 'accept', b: 'reject', c: 'ban' } } });
  });

  it('keeps only real answers for the asked templates', () => {
    expect(pickResults({ errMsg: 'ok', x: 'accept', y: 'maybe', z: 'filter' }, ['x', 'y', 'z'])).toEqual({ x: 'accept', z: 'filter' });
  });
});
