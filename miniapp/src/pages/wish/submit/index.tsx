import { View } from '@tarojs/components';
import { ERROR_MESSAGES_ZH, type WishDetail } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../components/Button';
import Screen from '../../../components/Screen';
import SessionGate from '../../../components/SessionGate';
import { ErrorState } from '../../../components/StateView';
import SubmittedView from '../../../components/SubmittedView';
import WishForm from '../../../components/WishForm';
import { KEYS } from '../../../services/storage';
import { can, homeCommunities } from '../../../stores/session';

export default function SubmitWish() {
  const [done, setDone] = useState<WishDetail | null>(null);
  return (
    <Screen>
      <SessionGate>
        {(me) =>
          !can(me, 'submit') ? (
            <ErrorState message={ERROR_MESSAGES_ZH.SUBMIT_NOT_ALLOWED} />
          ) : done ? (
            <SubmittedView wish={done} again={<Button kind="plain" block onClick={() => setDone(null)}>再提交一个</Button>} />
          ) : (
            <View>
              <View className="xy-muted" style={{ marginBottom: '12px' }}>
                写下您需要的帮助，社区审核后会发布给在职党员认领。
              </View>
              <WishForm onBehalf={false} draftKey={KEYS.wishDraft} communities={homeCommunities(me)} defaultName={me.nickname ?? ''} onSubmitted={setDone} />
            </View>
          )
        }
      </SessionGate>
    </Screen>
  );
}
