import { Picker, Text, View } from '@tarojs/components';
import { beijingToday } from '../logic';

/** A day picked from WeChat's date picker, up to today (the desk's custom periods). */
export default function DateField({ label, value, onChange }: { label: string; value: string | null; onChange: (v: string) => void }) {
  return (
    <Picker mode="date" value={value ?? beijingToday()} end={beijingToday()} onChange={(e) => onChange(String(e.detail.value))}>
      <View className="xy-date" role="button">
        <Text className="xy-muted">{label}</Text>
        <Text>{value ?? '点此选择'}</Text>
      </View>
    </Picker>
  );
}
