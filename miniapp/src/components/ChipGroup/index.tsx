import { View, Text } from '@tarojs/components';
import './index.scss';
import { ariaBool, pressable } from '../../utils/a11y';

export interface ChipOption<V extends string | number> {
  value: V;
  label: string;
}

/** A row of big choice chips: easier to hit and read than a picker wheel. */
export default function ChipGroup<V extends string | number>({ options, value, onChange, label, required, error, allowNone }: {
  options: ChipOption<V>[];
  value: V | null | undefined;
  onChange: (v: V | null) => void;
  label?: string;
  required?: boolean;
  error?: string | null;
  /** Tapping the chosen chip again clears the choice. */
  allowNone?: boolean;
}) {
  return (
    <View className={`xy-chips ${error ? 'xy-chips--error' : ''}`}>
      {label ? (
        <View className="xy-chips__label">
          <Text>{label}</Text>
          {required ? <Text className="xy-field__required">（必填）</Text> : null}
        </View>
      ) : null}
      <View className="xy-chips__row" role="radiogroup" aria-label={label}>
        {options.map((o) => {
          const on = o.value === value;
          return (
            <View
              key={String(o.value)}
              {...pressable(() => onChange(on && allowNone ? null : o.value), 'radio')}
              aria-checked={ariaBool(on)}
              className={`xy-chip ${on ? 'xy-chip--on' : ''}`}
            >
              {on ? '✓ ' : ''}
              {o.label}
            </View>
          );
        })}
      </View>
      {error ? <Text className="xy-error-text">{error}</Text> : null}
    </View>
  );
}
