import Button from '../../../components/Button';
import Screen from '../../../components/Screen';
import SessionGate from '../../../components/SessionGate';
import WishList, { SUBMITTER_TABS } from '../../../components/WishList';
import { wishesApi } from '../../../services/wishes';
import { go, ROUTES } from '../../../utils/nav';

export default function MyWishes() {
  return (
    <Screen>
      <SessionGate>
        {() => (
          <WishList
            tabs={SUBMITTER_TABS}
            fetchPage={(q) => wishesApi.mine(q)}
            emptyText="还没有这样的心愿"
            emptyAction={<Button onClick={() => go(ROUTES.submit)}>提交心愿</Button>}
          />
        )}
      </SessionGate>
    </Screen>
  );
}
