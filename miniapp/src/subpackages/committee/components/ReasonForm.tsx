import { View } from '@tarojs/components';
import { LIMITS } from '@xinyuan/shared';
import { useState, type ReactNode } from 'react';
import { SubmitBack } from '../../../components/Button';
import { TextAreaField } from '../../../components/Field';
import { errorText } from '../../../services/request';
import { checkText } from '../../../utils/validate';

/**
 * A reason, then one big button: reject, refuse, deactivate, urgent, cancel.
 * Server failures stay on the form, in Chinese, so the person can try again.
 */
export default function ReasonForm({ label, hint, submitLabel, required = true, fallback, onSubmit, onCancel, children, check }: {
  label: string;
  /** Who will read it, e.g. "居民会看到这个原因". */
  hint?: string;
  submitLabel: string;
  required?: boolean;
  /** Sent when the reason is left empty (required = false). */
  fallback?: string;
  onSubmit: (reason: string) => Promise<void>;
  onCancel: () => void;
  /** More fields above the reason (the duplicate's number). */
  children?: ReactNode;
  /** A problem with those fields, checked first. */
  check?: () => string | null;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setFailure(null);
    const other = check?.() ?? null;
    const text = reason.trim();
    const problem = required || text ? checkText(reason, '原因', 1, LIMITS.reasonMax) : null;
    setError(problem);
    if (other || problem) return;
    setBusy(true);
    try {
      await onSubmit(text || fallback || '');
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="xy-desk-form">
      {children}
      <TextAreaField label={label} required={required} value={reason} onChange={(v) => { setReason(v); setError(null); }} maxLength={LIMITS.reasonMax} placeholder={hint ?? (required ? '请写明原因' : '可不填')} error={error} />
      {failure ? (
        <View className="xy-error-text xy-desk-form__error" role="alert">
          {failure}
        </View>
      ) : null}
      <SubmitBack label={submitLabel} busy={busy} holdBack onSubmit={() => void submit()} onBack={onCancel} />
    </View>
  );
}
