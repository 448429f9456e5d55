import { ScrollView, View } from '@tarojs/components';
import './index.scss';
import { ariaBool, pressable } from '../../utils/a11y';

/** A scrollable row of big tabs. */
export default function Tabs<K extends string>({ tabs, value, onChange }: { tabs: { key: K; label: string }[]; value: K; onChange: (k: K) => void }) {
  return (
    <ScrollView scrollX className="xy-tabs" enableFlex>
      <View className="xy-tabs__row" role="tablist">
        {tabs.map((t) => (
          <View key={t.key} {...pressable(() => onChange(t.key), 'tab')} aria-selected={ariaBool(t.key === value)} className={`xy-tab ${t.key === value ? 'xy-tab--on' : ''}`}>
            {t.label}
          </View>
        ))}
      </View>
    </ScrollView>
  );
}
