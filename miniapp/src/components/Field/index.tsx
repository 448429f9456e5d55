import { Input, Text, Textarea, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { ariaBool, pressable } from '../../utils/a11y';
import './index.scss';

/**
 * What the inner <input>/<textarea> of H5's Taro field says about itself: its name is the visible
 * label (Taro's field is a custom element wrapping the real one, so a <label for> cannot reach
 * it; nativeProps are set on the real element), required and invalid states. WeChat ignores it.
 */
function fieldA11y(label: string, required?: boolean, error?: string | null): Record<string, string> {
  const a: Record<string, string> = { 'aria-label': label };
  if (required) a['aria-required'] = 'true';
  if (error) a['aria-invalid'] = 'true';
  return a;
}

function Label({ label, required, hint }: { label: string; required?: boolean; hint?: string }) {
  return (
    <View className="xy-field__label">
      <Text>{label}</Text>
      {required ? <Text className="xy-field__required">（必填）</Text> : null}
      {hint ? <Text className="xy-field__hint">{hint}</Text> : null}
    </View>
  );
}

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  maxLength?: number;
  placeholder?: string;
  type?: 'text' | 'number' | 'digit' | 'idcard';
  required?: boolean;
  hint?: string;
  error?: string | null;
  name?: string;
  extra?: ReactNode;
}

export function TextField({ label, value, onChange, maxLength, placeholder, type = 'text', required, hint, error, name, extra }: TextFieldProps) {
  return (
    <View className={`xy-field ${error ? 'xy-field--error' : ''}`}>
      <Label label={label} required={required} hint={hint} />
      <Input
        className="xy-field__input"
        name={name}
        type={type}
        value={value}
        maxlength={maxLength ?? 140}
        placeholder={placeholder}
        placeholderClass="xy-field__placeholder"
        nativeProps={fieldA11y(label, required, error)}
        onInput={(e) => onChange(e.detail.value)}
      />
      {extra}
      {error ? <Text className="xy-error-text">{error}</Text> : null}
    </View>
  );
}

export interface TextAreaFieldProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  maxLength: number;
  placeholder?: string;
  required?: boolean;
  error?: string | null;
}

/**
 * Multi-line text with a live count against the limit. Taro's Textarea itself rather than NutUI's
 * TextArea, which overwrites nativeProps and so left the real <textarea> without a name.
 */
export function TextAreaField({ label, value, onChange, maxLength, placeholder, required, error }: TextAreaFieldProps) {
  return (
    <View className={`xy-field ${error ? 'xy-field--error' : ''}`}>
      <Label label={label} required={required} />
      <View className="xy-field__textarea">
        <Textarea className="xy-field__ta" value={value} maxlength={maxLength} autoHeight placeholder={placeholder} nativeProps={fieldA11y(label, required, error)} onInput={(e) => onChange(e.detail.value)} />
        <View className="xy-field__count" aria-hidden="true">
          {value.length}/{maxLength}
        </View>
      </View>
      {error ? <Text className="xy-error-text">{error}</Text> : null}
    </View>
  );
}

let checkIds = 0;

/**
 * A tick box with its sentence. Our own rather than NutUI's Checkbox, whose H5 markup carries
 * invalid ARIA (aria-role, tab-index): a checkbox role with its state, Space/Enter toggle, and the
 * sentence as its name. A link inside the sentence stays its own control.
 */
export function CheckField({ checked, onChange, children, error }: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; error?: string | null }) {
  // The box is the checkbox, named by the sentence beside it (a link in the sentence must not sit inside a checkbox).
  const [id] = useState(() => `xy-check-${++checkIds}`);
  return (
    <View className={`xy-field xy-field--check ${error ? 'xy-field--error' : ''}`}>
      <View className="xy-check">
        <View className={`xy-check__box ${checked ? 'xy-check__box--on' : ''}`} {...pressable(() => onChange(!checked), 'checkbox')} aria-checked={ariaBool(checked)} aria-invalid={error ? 'true' : undefined} aria-labelledby={id}>
          {checked ? '✓' : ''}
        </View>
        <View className="xy-check__label" id={id} onClick={() => onChange(!checked)}>
          {children}
        </View>
      </View>
      {error ? <Text className="xy-error-text">{error}</Text> : null}
    </View>
  );
}
