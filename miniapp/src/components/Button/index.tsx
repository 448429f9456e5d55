import { Button as TaroButton, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { pressable } from '../../utils/a11y';
import './index.scss';

export interface ButtonProps {
  children: ReactNode;
  onClick?: () => void;
  kind?: 'primary' | 'secondary' | 'danger' | 'plain';
  disabled?: boolean;
  loading?: boolean;
  block?: boolean;
  small?: boolean;
  className?: string;
  /** WeChat open abilities (getPhoneNumber, agreePrivacyAuthorization; share: the page's share card, told which by `data`). */
  openType?: 'getPhoneNumber' | 'agreePrivacyAuthorization' | 'share';
  /** data-* attributes (a share button names its wish: useShareAppMessage reads target.dataset). */
  data?: Record<string, string | number>;
  id?: string;
  onGetPhoneNumber?: (e: { detail: { code?: string; errMsg?: string } }) => void;
  onAgreePrivacyAuthorization?: () => void;
}

/** A big, high-contrast button; at least 48px tall (60px in large-text mode). */
export default function Button({ children, onClick, kind = 'primary', disabled, loading, block, small, className, openType, id, data, onGetPhoneNumber, onAgreePrivacyAuthorization }: ButtonProps) {
  const cls = ['xy-btn', `xy-btn--${kind}`, block ? 'xy-btn--block' : '', small ? 'xy-btn--small' : '', disabled || loading ? 'xy-btn--disabled' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  // Only set what is set: H5's <taro-button-core disabled="false"> still matches [disabled].
  const extra: Record<string, unknown> = {};
  if (id) extra.id = id;
  if (disabled || loading) extra.disabled = true;
  if (loading) extra.loading = true;
  if (openType) extra.openType = openType;
  for (const [k, v] of Object.entries(data ?? {})) extra[`data-${k}`] = v;
  if (onGetPhoneNumber) extra.onGetPhoneNumber = onGetPhoneNumber;
  if (onAgreePrivacyAuthorization) extra.onAgreePrivacyAuthorization = onAgreePrivacyAuthorization;
  // H5's <taro-button-core> is no <button>: give it the role, Tab and Enter/Space (WeChat: only the tap).
  const off = disabled || loading;
  const a11y = pressable(off ? undefined : onClick);
  if (process.env.TARO_ENV !== 'weapp') {
    if (off) a11y['aria-disabled'] = 'true';
    if (loading) a11y['aria-busy'] = 'true';
  }
  return (
    <TaroButton className={cls} hoverClass="xy-btn--hover" {...a11y} {...extra}>
      {children}
    </TaroButton>
  );
}

/**
 * A form's two buttons, one above the other: its action, then 返回.
 * `holdBack`: 返回 waits while the action runs.
 */
export function SubmitBack({ label, busy, disabled, holdBack, onSubmit, onBack }: { label: ReactNode; busy: boolean; disabled?: boolean; holdBack?: boolean; onSubmit: () => void; onBack: () => void }) {
  return (
    <>
      <Button block loading={busy} disabled={disabled} onClick={onSubmit}>
        {label}
      </Button>
      <View className="xy-btn-gap" />
      <Button block kind="plain" disabled={holdBack && busy} onClick={onBack}>
        返回
      </Button>
    </>
  );
}
