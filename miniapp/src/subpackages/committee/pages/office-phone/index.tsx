import { View } from '@tarojs/components';
import type { OfficePhoneView } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import { TextField } from '../../../../components/Field';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { orgsApi } from '../../../../services/orgs';
import { errorText } from '../../../../services/request';
import { can } from '../../../../stores/session';
import { toast } from '../../../../utils/nav';
import { PHONE_RE } from '../../../../utils/validate';
import '../../desk.scss';

/** What the committee typed, as the server wants it (spaces dropped); an empty box clears the phone. */
export function officePhoneInput(v: string): { phone: string | null; error: string | null } {
  const s = v.replace(/\s+/g, '');
  if (!s) return { phone: null, error: null };
  return PHONE_RE.test(s) ? { phone: s, error: null } : { phone: null, error: '请填写带区号的固定电话（如 0971-8215678）或11位手机号' };
}

/** One community's office phone: typed, checked, saved (or cleared). */
function PhoneForm({ c, onSaved }: { c: OfficePhoneView; onSaved: (next: OfficePhoneView) => void }) {
  const [value, setValue] = useState(c.officePhone ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const input = officePhoneInput(value);
    setError(input.error);
    if (input.error) return;
    setBusy(true);
    try {
      onSaved(await orgsApi.setOfficePhone(c.communityId, { officePhone: input.phone }));
      toast(input.phone ? '已保存' : '已清除', 'success');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-card xy-desk-form" data-community={c.communityId}>
      <TextField label={`${c.communityName}办公电话`} value={value} onChange={(v) => { setValue(v); setError(null); }} maxLength={20} placeholder="如 0971-8215678" hint="居民在自己的心愿页面点“联系社区”直接拨打；留空则不显示" error={error} />
      <Button block loading={busy} onClick={() => void save()}>
        保存
      </Button>
    </View>
  );
}

/** The committee sets the office phone of each community it runs (PUT /api/orgs/:id/office-phone). */
export function OfficePhones() {
  const list = useAsync(() => orgsApi.officePhones(), []);
  return (
    <StateGate loading={list.loading && !list.data} error={list.data ? null : list.error} onRetry={() => void list.reload()} empty={list.data?.length === 0} emptyText="没有可以设置电话的社区">
      {(list.data ?? []).map((c) => (
        <PhoneForm key={c.communityId} c={c} onSaved={(next) => list.setData((list.data ?? []).map((x) => (x.communityId === next.communityId ? next : x)))} />
      ))}
    </StateGate>
  );
}

export default function OfficePhonePage() {
  return (
    <Screen>
      <SessionGate>{(me) => (can(me, 'office_phone') ? <OfficePhones /> : <Empty text="只有社区党委可以设置社区办公电话" />)}</SessionGate>
    </Screen>
  );
}
