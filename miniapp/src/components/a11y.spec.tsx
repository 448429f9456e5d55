// The accessibility contracts of the shared components (issue 14): names on fields, keyboard on
// controls, state on chips/tabs/checkboxes, alt text on photos. Expected names typed from the labels.
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import Button from './Button';
import ChipGroup from './ChipGroup';
import { CheckField, TextAreaField, TextField } from './Field';
import Tabs from './Tabs';
import PhotoPicker from './PhotoPicker';
import type { PhotoUploads } from '../hooks/usePhotoUploads';

describe('fields are named by their visible label', () => {
  test('a text field: its input is found by the label, with required and invalid states', () => {
    render(<TextField label="心愿标题" value="" onChange={() => undefined} required error="请填写标题" />);
    const input = screen.getByRole('textbox', { name: '心愿标题' });
    expect(input.getAttribute('aria-required')).toBe('true');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });
});

test('a text area is named by its label too, and typing reaches onChange', () => {
  const onChange = jest.fn();
  render(<TextAreaField label="具体情况" value="" onChange={onChange} maxLength={500} />);
  fireEvent.change(screen.getByRole('textbox', { name: '具体情况' }), { target: { value: '玻璃碎了' } });
  expect(onChange).toHaveBeenCalledWith('玻璃碎了');
});

describe('controls work from the keyboard', () => {
  test('a Button is a focusable button; Enter and Space press it, other keys do not', () => {
    const onClick = jest.fn();
    render(<Button onClick={onClick}>提交心愿</Button>);
    const b = screen.getByRole('button', { name: '提交心愿' });
    expect(b.tabIndex).toBe(0);
    fireEvent.keyDown(b, { key: 'Enter' });
    fireEvent.keyDown(b, { key: ' ' });
    fireEvent.keyDown(b, { key: 'a' });
    expect(onClick).toHaveBeenCalledTimes(2);
  });

  test('a disabled Button says so and does nothing', () => {
    const onClick = jest.fn();
    render(
      <Button onClick={onClick} disabled>
        确认注销账号
      </Button>,
    );
    const b = screen.getByRole('button', { name: '确认注销账号' });
    expect(b.getAttribute('aria-disabled')).toBe('true');
    fireEvent.keyDown(b, { key: 'Enter' });
    fireEvent.click(b);
    expect(onClick).not.toHaveBeenCalled();
  });

  test('chips are radios with aria-checked; Space picks one', () => {
    function Pick() {
      const [v, setV] = useState<string | null>(null);
      return <ChipGroup label="为谁提交" options={[{ value: 'self', label: '本人' }, { value: 'other', label: '他人' }]} value={v} onChange={setV} />;
    }
    render(<Pick />);
    const self = screen.getByRole('radio', { name: '本人' });
    expect(self.getAttribute('aria-checked')).toBe('false');
    fireEvent.keyDown(self, { key: ' ' });
    expect(screen.getByRole('radio', { name: '✓ 本人' }).getAttribute('aria-checked')).toBe('true');
  });

  test('tabs carry aria-selected and move with Enter', () => {
    function T() {
      const [k, setK] = useState<'all' | 'mine'>('all');
      return <Tabs tabs={[{ key: 'all', label: '全部' }, { key: 'mine', label: '待确认' }]} value={k} onChange={setK} />;
    }
    render(<T />);
    expect(screen.getByRole('tab', { name: '全部' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('tab', { name: '待确认' }), { key: 'Enter' });
    expect(screen.getByRole('tab', { name: '待确认' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: '全部' }).getAttribute('aria-selected')).toBe('false');
  });

  test('the consent tick box is a checkbox named by its sentence; Space toggles it', () => {
    function C() {
      const [on, setOn] = useState(false);
      return (
        <CheckField checked={on} onChange={setOn}>
          我已阅读并同意隐私保护指引
        </CheckField>
      );
    }
    render(<C />);
    const box = screen.getByRole('checkbox', { name: /我已阅读并同意/ });
    expect(box.getAttribute('aria-checked')).toBe('false');
    fireEvent.keyDown(box, { key: ' ' });
    expect(box.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(box);
    expect(box.getAttribute('aria-checked')).toBe('false');
  });
});

test('photos have alt text naming what they are, and the picker controls are named buttons', () => {
  const uploads = {
    items: [
      { key: 'a', status: 'done', progress: 100, url: '/u/a.png', localPath: 'blob:a' },
      { key: 'b', status: 'failed', progress: 0, url: null, localPath: 'blob:b', error: '网络不给力' },
    ],
    done: [{ id: 'a', url: '/u/a.png' }],
    add: jest.fn(),
    remove: jest.fn(),
    retry: jest.fn(),
    reset: jest.fn(),
  } as unknown as PhotoUploads;
  render(<PhotoPicker uploads={uploads} max={3} label="心愿照片" />);
  expect(screen.getByAltText('心愿照片1')).toBeTruthy();
  fireEvent.keyDown(screen.getByRole('button', { name: '删除心愿照片1' }), { key: 'Enter' });
  expect(uploads.remove).toHaveBeenCalledWith('a');
  // A failed photo: its error is announced, with 重试 and 移除 as buttons named for the photo.
  expect(screen.getByRole('alert').textContent).toContain('网络不给力');
  fireEvent.keyDown(screen.getByRole('button', { name: '重试上传心愿照片2' }), { key: 'Enter' });
  expect(uploads.retry).toHaveBeenCalledWith('b');
  fireEvent.keyDown(screen.getByRole('button', { name: '移除心愿照片2' }), { key: ' ' });
  expect(uploads.remove).toHaveBeenCalledWith('b');
  fireEvent.keyDown(screen.getByRole('button', { name: /添加照片/ }), { key: 'Enter' });
  expect(uploads.add).toHaveBeenCalled();
});
