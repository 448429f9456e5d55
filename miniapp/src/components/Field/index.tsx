import { Input, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import TextArea from '@nutui/nutui-react-taro/dist/es/packages/textarea';
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';
import Checkbox from '@nutui/nutui-react-taro/dist/es/packages/checkbox';
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css';
import './index.scss';

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

/** Multi-line text with a live count against the limit (NutUI TextArea). */
export function TextAreaField({ label, value, onChange, maxLength, placeholder, required, error }: TextAreaFieldProps) {
  return (
    <View className={`xy-field ${error ? 'xy-field--error' : ''}`}>
      <Label label={label} required={required} />
      <TextArea className="xy-field__textarea" value={value} onChange={onChange} maxLength={maxLength} showCount autoSize placeholder={placeholder} />
      {error ? <Text className="xy-error-text">{error}</Text> : null}
    </View>
  );
}

export function CheckField({ checked, onChange, children, error }: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; error?: string | null }) {
  return (
    <View className={`xy-field xy-field--check ${error ? 'xy-field--error' : ''}`}>
      <Checkbox className="xy-field__checkbox" checked={checked} onChange={onChange} label={children} />
      {error ? <Text className="xy-error-text">{error}</Text> : null}
    </View>
  );
}
