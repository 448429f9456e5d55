// The report form (举报) for a wish or a photo someone else wrote, and the complaint form
// (投诉与建议): kind, wishId / photoId and the wish's title come in the page's parameters.
import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { categoriesOf, REPORT_CATEGORY_LABELS, REPORT_LIMITS, type MeResponse, type ReportCategory, type ReportKind, type ReportView } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { errorText } from '../../../../services/request';
import { reportsApi } from '../../../../services/reports';
import { redirect, ROUTES } from '../../../../utils/nav';
import { TextAreaField } from '../../../../components/Field';

const KINDS: readonly ReportKind[] = ['wish', 'photo', 'complaint'];

/** The communities a person belongs to, from their grants (a complaint goes to one of them). */
function communitiesOf(me: MeResponse): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const r of me.roles) if (r.orgKind === 'community' && !seen.has(r.orgId)) seen.set(r.orgId, r.orgName);
  return [...seen].map(([id, name]) => ({ id, name }));
}

export function ReportForm({ me, kind, wishId, photoId, title, onDone }: { me: MeResponse; kind: ReportKind; wishId?: number; photoId?: string; title?: string; onDone: (r: ReportView) => void }) {
  const complaint = kind === 'complaint';
  const communities = complaint ? communitiesOf(me) : [];
  const [category, setCategory] = useState<ReportCategory | null>(null);
  const [text, setText] = useState('');
  const [communityId, setCommunityId] = useState<number | null>(communities[0]?.id ?? null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ category?: string; text?: string; form?: string }>({});
  const textRequired = complaint || category === 'other';
  const textLabel = complaint ? '具体情况和您的建议' : '补充说明';

  const submit = async () => {
    const e: typeof errors = {};
    if (!category) e.category = complaint ? '请选择投诉类别' : '请选择举报原因';
    if (textRequired && !text.trim()) e.text = '请写一写具体情况';
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const r = await reportsApi.create({
        kind,
        category: category!,
        ...(text.trim() ? { text: text.trim() } : {}),
        ...(kind === 'wish' ? { wishId } : kind === 'photo' ? { photoId } : communityId !== null ? { communityId } : {}),
      });
      onDone(r);
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="xy-report-form">
      <View className="xy-card">
        <View className="xy-h2">{complaint ? '投诉与建议' : kind === 'photo' ? '举报这张照片' : '举报这个心愿'}</View>
        {title ? <View className="xy-muted">{kind === 'photo' ? `照片所在的心愿：${title}` : `心愿：${title}`}</View> : null}
        <View className="xy-muted">
          {complaint
            ? '您的意见会送到社区党委，街道也能看到。处理后会在“消息”里答复您。'
            : '举报会送到社区党委核实处理，不会告诉发布人是谁举报的。处理后会在“消息”里答复您。'}
        </View>
      </View>
      {complaint && communities.length > 1 ? (
        <ChipGroup label="投诉给哪个社区" required options={communities.map((c) => ({ value: c.id, label: c.name }))} value={communityId} onChange={(v) => v !== null && setCommunityId(v)} />
      ) : null}
      <ChipGroup
        label={complaint ? '投诉类别' : '举报原因'}
        required
        options={categoriesOf(kind).map((c) => ({ value: c, label: REPORT_CATEGORY_LABELS[c] }))}
        value={category}
        onChange={setCategory}
        error={errors.category}
      />
      <TextAreaField
        label={textLabel}
        value={text}
        onChange={setText}
        maxLength={REPORT_LIMITS.textMax}
        required={textRequired}
        placeholder={complaint ? '请写清楚时间、事情经过和您的建议' : '可以写一写您看到的问题（选填）'}
        error={errors.text}
      />
      {errors.form ? (
        <View className="xy-error-text" role="alert">
          {errors.form}
        </View>
      ) : null}
      <Button block loading={busy} onClick={() => void submit()}>
        {complaint ? '提交投诉与建议' : '提交举报'}
      </Button>
    </View>
  );
}

export default function ReportPage() {
  const { params } = useRouter();
  const kind: ReportKind = KINDS.includes(params.kind as ReportKind) ? (params.kind as ReportKind) : 'complaint';
  const wishId = params.wishId ? Number(params.wishId) : undefined;
  const title = params.title ? decodeURIComponent(params.title) : undefined;
  return (
    <Screen>
      <SessionGate>
        {(me) => <ReportForm me={me} kind={kind} wishId={wishId} photoId={params.photoId} title={title} onDone={() => redirect(ROUTES.myReports, { sent: 1 })} />}
      </SessionGate>
    </Screen>
  );
}
