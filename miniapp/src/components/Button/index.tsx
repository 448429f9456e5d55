import { Button as TaroButton, View } from '@tarojs/components';
import type { ReactNode } from 'react';
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
  /** WeChat open abilities (getPhoneNumber, agreePrivacyAuthorization). */
  openType?: 'getPhoneNumber' | 'agreePrivacyAuthorization';
  id?: string;
  onGetPhoneNumber?: (e: { detail: { code?: string; errMsg?: string } }) => void;
  onAgreePrivacyAuthorization?: () => void;
}

/** A big, high-contrast button; at least 48px tall (60px in large-text mode). */
export default function Button({ children, onClick, kind = 'primary', disabled, loading, block, small, className, openType, id, onGetPhoneNumber, onAgreePrivacyAuthorization }: ButtonProps) {
  const cls = ['xy-btn', `xy-btn--${kind}`, block ? 'xy-btn--block' : '', small ? 'xy-btn--small' : '', disabled || loading ? 'xy-btn--disabled' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  // Only set what is set: H5's <taro-button-core disabled="false"> still matches [disabled].
  const extra: Record<string, unknown> = {};
  if (id) extra.id = id;
  if (disabled || loading) extra.disabled = true;
  if (loading) extra.loading = true;
  if (openType) extra.openType = openType;
  if (onGetPhoneNumber) extra.onGetPhoneNumber = onGetPhoneNumber;
  if (onAgreePrivacyAuthorization) extra.onAgreePrivacyAuthorization = onAgreePrivacyAuthorization;
  return (
    <TaroButton className={cls} hoverClass="xy-btn--hover" onClick={disabled || loading ? undefined : onClick} {...extra}>
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
