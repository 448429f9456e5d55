// Issue 14 (the phone button): WeChat's phone button fills in the number of whoever holds the
// phone, so it belongs only where people enter their own number (member registration), and
// uses the getPhoneNumber code flow (the event's detail.code → POST /api/me/phone {code} → {phone}).
import { act, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { mockApi } from '../../test/api-mock';
import PhoneField from '../components/PhoneField';
import WishForm from '../components/WishForm';

// The build switch on (XY_WECHAT_PHONE=true): what is left to decide is where the button shows.
jest.mock('../config', () => ({ ...jest.requireActual('../config'), WECHAT_PHONE_ENABLED: true }));

function Own() {
  const [v, setV] = useState('');
  return <PhoneField label="手机号" own required value={v} onChange={setV} />;
}

describe("WeChat's phone button", () => {
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
  });

  it("fills in one's own number from the button's code, exchanged by the server", async () => {
    const calls = mockApi({ 'POST /me/phone': { body: { phone: '13912345678' } } });
    const { container } = render(<Own />);
    const button = screen.getByText('使用微信手机号').closest('button')!;
    expect(button.getAttribute('data-open-type')).toBe('getPhoneNumber');
    act(() => {
      button.dispatchEvent(new CustomEvent('getphonenumber', { detail: { code: 'one-time-code', errMsg: 'getPhoneNumber:ok' } }));
    });
    await waitFor(() => expect(container.querySelector('input')!.value).toBe('13912345678'));
    expect(calls).toEqual([expect.objectContaining({ method: 'POST', path: '/me/phone', data: { code: 'one-time-code' } })]);
  });

  it('declining (no code) leaves typing to the person and calls nothing', async () => {
    const calls = mockApi({});
    render(<Own />);
    act(() => {
      screen.getByText('使用微信手机号').closest('button')!.dispatchEvent(new CustomEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:fail user deny' } }));
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(0);
  });

  it('is not offered for a number that is not the user\'s own', () => {
    render(<PhoneField label="联系电话" value="" onChange={() => undefined} />);
    expect(screen.queryByText('使用微信手机号')).toBeNull();
  });

  it.each([
    ['a grid worker filing for a resident', true],
    ['a resident filing for themselves or someone else', false],
  ])('the wish form has no phone button (%s)', async (_who, onBehalf) => {
    mockApi({ 'GET /orgs': { body: [] } });
    render(<WishForm onBehalf={onBehalf} draftKey="t" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={() => undefined} />);
    expect(await screen.findByText('联系电话')).toBeTruthy();
    expect(screen.queryByText('使用微信手机号')).toBeNull();
  });
});
