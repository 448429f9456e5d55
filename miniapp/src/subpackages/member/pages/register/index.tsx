import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { LIMITS, type MemberRegistrationView } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import { TextField } from '../../../../components/Field';
import PhoneField from '../../../../components/PhoneField';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { ErrorState, Loading } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { membersApi } from '../../../../services/members';
import { orgsApi } from '../../../../services/orgs';
import { errorText } from '../../../../services/request';
import { refreshMe } from '../../../../stores/session';
import { formatTime, REGISTRATION_STATUS_LABELS } from '../../../../utils/format';
import { confirmDialog, toast } from '../../../../utils/nav';
import { checkPhone, checkText } from '../../../../utils/validate';

/** A registration the member may still withdraw: one that is waiting or in force. */
export function canWithdraw(r: MemberRegistrationView): boolean {
  return r.status === 'pending' || r.status === 'verified';
}

/** 撤回报到: asks first (what it means, in plain words), then POST …/withdraw. */
export function WithdrawButton({ r, onDone }: { r: MemberRegistrationView; onDone: (updated: MemberRegistrationView) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    const what =
      r.status === 'verified'
        ? `撤回后，您就不再是${r.communityName}的报到党员，不能再认领这里的心愿；您认领还没办完的心愿会交还，由其他人接着办。`
        : `撤回后，${r.communityName}不会再审核这份报到。`;
    const ok = await confirmDialog('撤回党员报到', `${what}您填写的姓名和手机号会被删除。以后需要时可以重新报到。`, '撤回报到');
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await membersApi.withdraw(r.id);
      const released = updated.releasedWishIds?.length ?? 0;
      toast(released ? `已撤回报到，${released}个心愿已交还` : '已撤回报到', released ? 'none' : 'success');
      onDone(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-register__withdraw">
      {error ? (
        <View className="xy-error-text" role="alert" style={{ marginBottom: '8px' }}>
          {error}
        </View>
      ) : null}
      <Button block kind="plain" loading={busy} onClick={() => void run()}>
        撤回报到
      </Button>
    </View>
  );
}

function StatusCard({ r, onWithdrawn }: { r: MemberRegistrationView; onWithdrawn: (updated: MemberRegistrationView) => void }) {
  return (
    <View className="xy-card" role="article" aria-label={`${r.communityName} · ${REGISTRATION_STATUS_LABELS[r.status] ?? r.status}`} data-registration={r.status}>
      <View className="xy-h2">{r.communityName}</View>
      <View>
        状态：<Text style={{ fontWeight: 700 }}>{REGISTRATION_STATUS_LABELS[r.status] ?? r.status}</Text>
      </View>
      {r.status === 'withdrawn' ? (
        <View className="xy-muted">您已撤回这份报到，填写的姓名和手机号已删除。</View>
      ) : (
        <View className="xy-muted">
          {r.realName} · {r.workUnit} · {formatTime(r.createdAt)}提交
        </View>
      )}
      {r.refuseReason ? <View>原因：{r.refuseReason}</View> : null}
      {r.status === 'revoked' && r.revokeReason ? <View>停用原因：{r.revokeReason}</View> : null}
      {canWithdraw(r) ? <WithdrawButton r={r} onDone={onWithdrawn} /> : null}
    </View>
  );
}

interface Form {
  communityId: number | null;
  realName: string;
  phone: string;
  workUnit: string;
}

export function RegisterForm({ taken, onDone }: { taken: number[]; onDone: () => void }) {
  const communities = useAsync(() => orgsApi.communities(), []);
  const [f, setF] = useState<Form>({ communityId: null, realName: '', phone: '', workUnit: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string | null>>>({});
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  if (communities.loading) return <Loading />;
  if (communities.error) return <ErrorState message={communities.error} onRetry={communities.reload} />;
  const options = (communities.data ?? []).filter((c) => !taken.includes(c.id)).map((c) => ({ value: c.id, label: c.name }));

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setF((x) => ({ ...x, [k]: v }));
    setErrors((e) => ({ ...e, [k]: null }));
  };

  const submit = async () => {
    const e = {
      communityId: f.communityId ? null : '请选择报到的社区',
      realName: checkText(f.realName, '姓名', 1, LIMITS.nameMax),
      phone: checkPhone(f.phone),
      workUnit: checkText(f.workUnit, '工作单位', 1, 60),
    };
    setErrors(e);
    setSubmitError(null);
    if (Object.values(e).some(Boolean)) return;
    setBusy(true);
    try {
      await membersApi.register({ communityId: f.communityId!, realName: f.realName.trim(), phone: f.phone.trim(), workUnit: f.workUnit.trim() });
      toast('已提交，等待社区审核', 'success');
      onDone();
    } catch (err) {
      setSubmitError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="xy-card">
      <View className="xy-h2">到居住社区报到</View>
      <ChipGroup label="报到社区" required options={options} value={f.communityId} onChange={set('communityId')} error={errors.communityId} />
      <TextField label="真实姓名" required value={f.realName} onChange={set('realName')} maxLength={LIMITS.nameMax} error={errors.realName} name="realName" />
      <PhoneField label="手机号" own required value={f.phone} onChange={set('phone')} error={errors.phone} />
      <TextField label="工作单位" required value={f.workUnit} onChange={set('workUnit')} maxLength={60} placeholder="如：西宁市教育局" error={errors.workUnit} name="workUnit" />
      {submitError ? (
        <View className="xy-error-text" role="alert" style={{ marginBottom: '12px' }}>
          {submitError}
        </View>
      ) : null}
      <Button block loading={busy} onClick={() => void submit()}>
        提交报到
      </Button>
    </View>
  );
}

function Registration() {
  const mine = useAsync(() => membersApi.mine(), []);
  useDidShow(() => {
    void refreshMe().catch(() => undefined);
  });
  if (mine.loading) return <Loading />;
  if (mine.error) return <ErrorState message={mine.error} onRetry={mine.reload} />;
  const list = mine.data ?? [];
  const active = list.filter((r) => r.status === 'pending' || r.status === 'verified');
  return (
    <View>
      <View className="xy-muted" style={{ marginBottom: '12px' }}>
        在职党员到居住的社区报到（双报到），社区审核通过后就可以认领居民的心愿。
      </View>
      {list.map((r) => (
        <StatusCard
          key={r.id}
          r={r}
          onWithdrawn={(updated) => {
            mine.setData(list.map((x) => (x.id === updated.id ? updated : x)));
            // What the member may do changed (the wall, claims): ask GET /me again.
            void refreshMe().catch(() => undefined);
          }}
        />
      ))}
      {active.length === 0 ? <RegisterForm taken={active.map((r) => r.communityId)} onDone={() => void mine.reload()} /> : null}
    </View>
  );
}

export default function RegisterPage() {
  return (
    <Screen>
      <SessionGate>{() => <Registration />}</SessionGate>
    </Screen>
  );
}
