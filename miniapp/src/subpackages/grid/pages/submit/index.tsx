import { View } from '@tarojs/components';
import type { WishDetail } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { ErrorState } from '../../../../components/StateView';
import SubmittedView from '../../../../components/SubmittedView';
import WishForm from '../../../../components/WishForm';
import { KEYS } from '../../../../services/storage';
import { communitiesFor } from '../../../../stores/session';

/** Community staff (the `submit_on_behalf` ability) file for a resident, recording how that person agreed; the phone may be left out. */
export default function GridSubmit() {
  const [done, setDone] = useState<WishDetail | null>(null);
  return (
    <Screen>
      <SessionGate>
        {(me) => {
          const communities = communitiesFor(me, 'submit_on_behalf');
          if (!communities.length) return <ErrorState message="只有社区党委和网格员可以代居民提交心愿" />;
          if (done) return <SubmittedView wish={done} again={<Button kind="plain" block onClick={() => setDone(null)}>再代提交一个</Button>} />;
          return (
            <View>
              <View className="xy-muted" style={{ marginBottom: '12px' }}>
                为本社区居民代为提交。请当面说明用途并取得本人或监护人同意；居民没有电话可不填。
              </View>
              <WishForm onBehalf draftKey={KEYS.onBehalfDraft} communities={communities} onSubmitted={setDone} />
            </View>
          );
        }}
      </SessionGate>
    </Screen>
  );
}
