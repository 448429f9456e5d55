// The H5 yes/no question (issue 14): the WAI-ARIA alert dialog contract, written from the APG
// "Alert Dialog" pattern — role, modal, name from the title, description from the text, focus on
// open and back on close, Escape cancels, Tab stays inside. The WeChat build keeps Taro.showModal.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import PrivacySheet from '../components/PrivacySheet';
import { confirmDialog } from './nav';

function opener(): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = '审核通过';
  document.body.append(b);
  b.focus();
  return b;
}

afterEach(() => {
  document.body.innerHTML = '';
});

test('H5: an alert dialog named by its title and described by its text, focus on the confirm button', async () => {
  opener();
  const answer = confirmDialog('审核通过', '通过后心愿将发布到心愿墙。', '确认通过');
  const dialog = screen.getByRole('alertdialog', { name: '审核通过' });
  expect(dialog.getAttribute('aria-modal')).toBe('true');
  expect(document.getElementById(dialog.getAttribute('aria-describedby') as string)?.textContent).toBe('通过后心愿将发布到心愿墙。');
  expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: '确认通过' }));
  expect(within(dialog).getByRole('button', { name: '再想想' })).toBeTruthy();
  expect(Taro.showModal).not.toHaveBeenCalled();
  fireEvent.click(within(dialog).getByRole('button', { name: '确认通过' }));
  await expect(answer).resolves.toBe(true);
  expect(screen.queryByRole('alertdialog')).toBeNull();
});

test('H5: 再想想 answers no and focus goes back to the control that opened it', async () => {
  const from = opener();
  const answer = confirmDialog('取消心愿', '取消后不能恢复。');
  expect(document.activeElement).not.toBe(from);
  fireEvent.click(screen.getByRole('button', { name: '再想想' }));
  await expect(answer).resolves.toBe(false);
  expect(document.activeElement).toBe(from);
});

test('H5: Escape cancels', async () => {
  const from = opener();
  const answer = confirmDialog('退出登录', '退出后需要重新登录。');
  fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
  await expect(answer).resolves.toBe(false);
  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(document.activeElement).toBe(from);
});

test('H5: Tab and Shift+Tab stay between the two buttons', async () => {
  opener();
  const answer = confirmDialog('确认认领', '认领后请尽快联系居民。', '确认认领');
  const confirm = screen.getByRole('button', { name: '确认认领' });
  const cancel = screen.getByRole('button', { name: '再想想' });
  expect(document.activeElement).toBe(confirm);
  fireEvent.keyDown(confirm, { key: 'Tab' });
  expect(document.activeElement).toBe(cancel);
  fireEvent.keyDown(cancel, { key: 'Tab' });
  expect(document.activeElement).toBe(confirm);
  fireEvent.keyDown(confirm, { key: 'Tab', shiftKey: true });
  expect(document.activeElement).toBe(cancel);
  fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true });
  expect(document.activeElement).toBe(confirm);
  fireEvent.keyDown(confirm, { key: 'Escape' });
  await expect(answer).resolves.toBe(false);
});

test('WeChat: Taro.showModal, and no dialog of our own', async () => {
  process.env.TARO_ENV = 'weapp';
  (Taro.showModal as jest.Mock).mockResolvedValue({ confirm: true, cancel: false });
  await expect(confirmDialog('审核通过', '通过后心愿将发布到心愿墙。')).resolves.toBe(true);
  expect((Taro.showModal as jest.Mock).mock.calls[0][0]).toMatchObject({ title: '审核通过', content: '通过后心愿将发布到心愿墙。', cancelText: '再想想' });
  expect(screen.queryByRole('alertdialog')).toBeNull();
});

test('H5: focus moves into the privacy sheet when it opens (its title), and back into it if the page took it meanwhile', async () => {
  const button = opener();
  render(<PrivacySheet version="2024-01" onDone={() => undefined} />);
  const sheet = screen.getByRole('dialog', { name: '隐私保护指引' });
  const title = within(sheet).getByRole('heading', { name: '隐私保护指引' });
  await waitFor(() => expect(document.activeElement).toBe(title));
  // The page settling under the sheet takes focus: the sheet takes it back.
  button.focus();
  await waitFor(() => expect(document.activeElement).toBe(title), { timeout: 1000 });
});
