import { Text, View } from '@tarojs/components';
import { CLOSURE_HINTS, LIMITS, type ClosureCode, type ClosureRequest } from '@xinyuan/shared';
import { useState } from 'react';
import ChipGroup from '../../../components/ChipGroup';
import { TextField } from '../../../components/Field';
import { Loading } from '../../../components/StateView';
import { useAsync } from '../../../hooks/useAsync';
import { deskApi } from '../../../services/desk';
import { CLOSURE_OPTIONS, closureBody, closureProblems, hasProblem, type ClosureInput, type ClosureProblems } from '../closure';
import ReasonForm from './ReasonForm';
import type { ActionTarget } from './StaffActions';

/** Wishes of the same community and category the new one may repeat. */
export function DuplicateTarget({ target, value, onChange, error }: { target: ActionTarget; value: string; onChange: (v: string) => void; error: string | null }) {
  const similar = useAsync(() => deskApi.ledger({ communityId: target.communityId, category: target.category, limit: 20 }), [target.id]);
  const options = (similar.data?.items ?? [])
    .filter((w) => w.id !== target.id && w.state !== 'cancelled' && w.state !== 'rejected')
    .slice(0, 8)
    .map((w) => ({ value: w.no, label: `${w.title}（${w.no}）` }));
  return (
    <View>
      <TextField label="重复的心愿编号" required value={value} onChange={onChange} maxLength={20} placeholder="如 XY20261127000042" error={error} name="duplicateOf" hint="可直接点选下面同类的心愿" />
      {similar.loading ? <Loading text="正在查找同类心愿…" /> : null}
      {options.length ? <ChipGroup label="本社区同类心愿" options={options} value={value.trim().toUpperCase()} onChange={(v) => onChange(v ?? '')} /> : null}
    </View>
  );
}

const NO_PROBLEMS: ClosureProblems = { code: null, duplicateOf: null, channel: null };

/**
 * A rejection at review or the committee's cancellation: the closure code first (required;
 * its hint says what else to write), the duplicated wish for `duplicate`, the channel for
 * `redirected`, then the reason. Nothing is sent until these are right; server refusals
 * (CLOSURE_CODE_REQUIRED, CLOSURE_CODE_INVALID...) stay on the form in Chinese.
 */
export default function ClosureForm({ target, action, initialCode = null, submitLabel, onSubmit, onCancel }: {
  target: ActionTarget;
  action: 'reject' | 'cancel';
  initialCode?: ClosureCode | null;
  submitLabel: string;
  onSubmit: (body: ClosureRequest) => Promise<void>;
  onCancel: () => void;
}) {
  const [input, setInput] = useState<ClosureInput>({ code: initialCode, duplicateOf: '', channel: '' });
  const [problems, setProblems] = useState<ClosureProblems>(NO_PROBLEMS);
  const set = (patch: Partial<ClosureInput>, clear: keyof ClosureProblems) => {
    setInput((x) => ({ ...x, ...patch }));
    setProblems((p) => ({ ...p, [clear]: null }));
  };
  const code = input.code;
  // A duplicate says what it duplicates; the reason may then be left empty.
  const reasonOptional = code === 'duplicate';
  const dupNo = input.duplicateOf.trim().toUpperCase();
  return (
    <ReasonForm
      label={action === 'reject' ? '不通过的原因' : '取消的原因'}
      hint={code ? `${CLOSURE_HINTS[code]}。居民会看到这个原因` : '居民会看到这个原因，请写清楚'}
      submitLabel={submitLabel}
      required={!reasonOptional}
      fallback={reasonOptional ? `与已有心愿${dupNo}重复` : undefined}
      onCancel={onCancel}
      check={() => {
        const p = closureProblems(input, target.id);
        setProblems(p);
        return hasProblem(p) ? (p.code ?? p.duplicateOf ?? p.channel) : null;
      }}
      onSubmit={(reason) => onSubmit(closureBody(input, reason))}
    >
      <View className="xy-closure" data-closure-form={action}>
        <ChipGroup label="结案类别" required options={CLOSURE_OPTIONS} value={code} onChange={(v) => set({ code: v }, 'code')} error={problems.code} />
        {code ? (
          <Text className="xy-muted xy-closure__hint" data-closure-hint={code}>
            {CLOSURE_HINTS[code]}
          </Text>
        ) : null}
        {code === 'duplicate' ? <DuplicateTarget target={target} value={input.duplicateOf} onChange={(v) => set({ duplicateOf: v }, 'duplicateOf')} error={problems.duplicateOf} /> : null}
        {code === 'redirected' ? (
          <TextField label="转往的渠道" required name="channel" value={input.channel} onChange={(v) => set({ channel: v }, 'channel')} maxLength={LIMITS.channelMax} placeholder="如 12345 热线" error={problems.channel} />
        ) : null}
      </View>
    </ReasonForm>
  );
}
