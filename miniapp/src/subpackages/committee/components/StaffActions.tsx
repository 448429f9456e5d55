import { View } from '@tarojs/components';
import { ROLE_LABELS, type WishAction, type WishCategoryCode, type WishDetail, type WishState, type WishSummary } from '@xinyuan/shared';
import { useState } from 'react';
import Button, { SubmitBack } from '../../../components/Button';
import ChipGroup from '../../../components/ChipGroup';
import { Loading } from '../../../components/StateView';
import { useAsync } from '../../../hooks/useAsync';
import { deskApi } from '../../../services/desk';
import { errorText } from '../../../services/request';
import { confirmDialog, toast } from '../../../utils/nav';
import ClosureForm from './ClosureForm';
import ReasonForm from './ReasonForm';

export interface ActionTarget {
  id: number;
  no: string;
  title: string;
  communityId: number;
  category: WishCategoryCode;
  state: WishState;
}

/** The staff moves offered here (claim, complete and the rest live on the wish page). */
export type StaffMove = 'approve' | 'reject' | 'mark_urgent' | 'duplicate' | 'cancel' | 'withdraw' | 'assign' | 'release';

type Panel = Exclude<StaffMove, 'approve'> | null;

const BUTTONS: Record<StaffMove, { label: string; kind: 'primary' | 'secondary' | 'danger' | 'plain' }> = {
  approve: { label: '审核通过', kind: 'primary' },
  reject: { label: '不通过', kind: 'danger' },
  mark_urgent: { label: '标记紧急', kind: 'secondary' },
  duplicate: { label: '重复心愿', kind: 'plain' },
  cancel: { label: '取消心愿', kind: 'plain' },
  // The submitter's own cancellation (a grid worker's filing): recorded as 居民撤回, no code to pick.
  withdraw: { label: '取消心愿', kind: 'plain' },
  assign: { label: '指派办理人', kind: 'secondary' },
  release: { label: '收回认领', kind: 'plain' },
};

/**
 * The desk's moves among the ones the server allows this reader (WishSummary.actions).
 * `cancel` does not say in which capacity: a submitter may cancel their own wish before it
 * is claimed (recorded as 居民撤回, no reason needed), while the committee's cancel (staff)
 * must carry a closure code and a reason, a duplicate among them. The server says which
 * (`reasonRequired`, from the same transitions table row it will use), so the page does not
 * guess.
 */
export function staffMovesFor(w: Pick<WishSummary, 'actions' | 'reasonRequired'>): StaffMove[] {
  const { actions } = w;
  const out: StaffMove[] = [];
  if (actions.includes('approve')) out.push('approve');
  if (actions.includes('reject')) out.push('reject');
  if (actions.includes('assign')) out.push('assign');
  if (actions.includes('mark_urgent')) out.push('mark_urgent');
  if (actions.includes('release')) out.push('release');
  if (actions.includes('cancel')) {
    if (w.reasonRequired.includes('cancel')) out.push('duplicate', 'cancel');
    else out.push('withdraw');
  }
  return out;
}

/** Hands a claimed wish to one of the people of the claim's organisation (GET /wishes/:id/assignees, as the server allows). */
function AssignForm({ target, onAssigned, onCancel }: { target: ActionTarget; onAssigned: (next: WishDetail) => void; onCancel: () => void }) {
  const people = useAsync(() => deskApi.assignees(target.id), [target.id]);
  const [userId, setUserId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!userId) {
      setError('请选择办理人');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onAssigned(await deskApi.assign(target.id, { userId }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (people.loading) return <Loading text="正在加载可指派的人员…" />;
  const options = (people.data ?? []).map((p) => ({ value: p.userId, label: `${p.name}（${ROLE_LABELS[p.role]}）` }));
  return (
    <View className="xy-desk-form">
      {people.error ? <View className="xy-error-text">{people.error}</View> : null}
      {options.length ? (
        <ChipGroup label="交给谁办理" required options={options} value={userId} onChange={(v) => { setUserId(v); setError(null); }} error={error} />
      ) : people.error ? null : (
        <View className="xy-muted">没有可以指派的人员。</View>
      )}
      <SubmitBack label="确认指派" busy={busy} disabled={!options.length} onSubmit={() => void submit()} onBack={onCancel} />
    </View>
  );
}

/**
 * The committee's moves on one wish: approve; reject or cancel with a closure code and a
 * reason (a duplicate names the wish it repeats); mark urgent with a reason; assign a
 * tier-2 wish this reader holds; a submitter's own cancellation. Which of these are offered
 * comes from WishDetail.actions. `onDone` gets the wish as it is after the move.
 */
export default function StaffActions({ target, moves, onDone }: { target: ActionTarget; moves: StaffMove[]; onDone: (what: string, next: WishDetail) => void }) {
  const [panel, setPanel] = useState<Panel>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const done = (what: string, next: WishDetail) => {
    setPanel(null);
    toast(what, 'success');
    onDone(what, next);
  };

  const approve = async () => {
    setFailure(null);
    if (!(await confirmDialog('审核通过', `通过后「${target.title}」会发布给在职党员认领。`, '确认通过'))) return;
    setBusy(true);
    try {
      done('已审核通过', await deskApi.approve(target.id));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const open = (m: StaffMove) => {
    setFailure(null);
    if (m === 'approve') void approve();
    else setPanel(m);
  };

  const close = () => setPanel(null);

  if (panel === 'reject') {
    return <ClosureForm target={target} action="reject" submitLabel="确认不通过" onCancel={close} onSubmit={async (body) => done('已处理为不通过', await deskApi.reject(target.id, { ...body, reason: body.reason ?? '' }))} />;
  }
  if (panel === 'mark_urgent') {
    return <ReasonForm label="为什么紧急" hint="如：独居老人，今晚无人照看" submitLabel="标记紧急，直达马上办" onCancel={close} onSubmit={async (reason) => done('已标记紧急', await deskApi.markUrgent(target.id, { reason }))} />;
  }
  if (panel === 'cancel') {
    return <ClosureForm target={target} action="cancel" submitLabel="确认取消心愿" onCancel={close} onSubmit={async (body) => done('心愿已取消', await deskApi.cancel(target.id, body))} />;
  }
  if (panel === 'withdraw') {
    // The submitter's own: no code (the server records 居民撤回).
    return <ReasonForm label="取消的原因" required={false} hint="可不填。本人提交的心愿，取消后记为“居民撤回”" submitLabel="确认取消心愿" onCancel={close} onSubmit={async (reason) => done('心愿已取消', await deskApi.cancel(target.id, reason ? { reason } : {}))} />;
  }
  if (panel === 'release') {
    return <ReasonForm label="收回的原因" hint="如：认领人已停用或无法继续办理。心愿会回到本级待认领" submitLabel="确认收回" onCancel={close} onSubmit={async (reason) => done('已收回，心愿回到待认领', await deskApi.release(target.id, { reason }))} />;
  }
  if (panel === 'assign') {
    return <AssignForm target={target} onCancel={close} onAssigned={(next) => done('已指派办理人', next)} />;
  }
  if (panel === 'duplicate') {
    return <ClosureForm target={target} action="cancel" initialCode="duplicate" submitLabel="按重复心愿取消" onCancel={close} onSubmit={async (body) => done(body.code === 'duplicate' ? '已按重复心愿取消' : '心愿已取消', await deskApi.cancel(target.id, body))} />;
  }

  if (!moves.length) return null;
  return (
    <View className="xy-desk-actions">
      {failure ? (
        <View className="xy-error-text xy-desk-actions__error" role="alert">
          {failure}
        </View>
      ) : null}
      <View className="xy-desk-actions__grid">
        {moves.map((m) => (
          <Button key={m} kind={BUTTONS[m].kind} loading={busy && m === 'approve'} disabled={busy && m !== 'approve'} onClick={() => open(m)} className={`xy-desk-actions__btn xy-desk-move-${m}`}>
            {BUTTONS[m].label}
          </Button>
        ))}
      </View>
    </View>
  );
}
