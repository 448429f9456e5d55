import { View } from '@tarojs/components';
import type { WishDetail } from '@xinyuan/shared';
import type { ReactNode } from 'react';
import { STATE_LABELS } from '@xinyuan/shared';
import { go, redirect, ROUTES } from '../../utils/nav';
import Button from '../Button';
import SubscribePrompt from '../SubscribePrompt';

/** After a submit: what happens next, reminders, and where to follow it. */
export default function SubmittedView({ wish, again }: { wish: WishDetail; again?: ReactNode }) {
  return (
    <View className="xy-submitted">
      <View className="xy-card" role="status">
        <View className="xy-title">✓ 心愿已提交</View>
        <View style={{ marginTop: '8px' }}>编号 {wish.no}，当前状态：{STATE_LABELS[wish.state]}。</View>
        <View className="xy-muted">社区审核通过后，心愿会发布给在职党员认领，每一步都会通知您。</View>
      </View>
      <SubscribePrompt moment="submitted" />
      <Button block onClick={() => redirect(ROUTES.detail, { id: wish.id })}>
        查看这个心愿
      </Button>
      <View style={{ height: '12px' }} />
      {again ?? (
        <Button kind="plain" block onClick={() => go(ROUTES.home)}>
          回到首页
        </Button>
      )}
    </View>
  );
}
