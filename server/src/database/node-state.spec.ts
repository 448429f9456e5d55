import { causal } from './database';
import { judgeNode } from './node-state';

// What a load balancer must be told, by the Galera states of the MariaDB manual (wsrep_local_state:
// 1 Joining, 2 Donor/Desynced, 3 Joined, 4 Synced; wsrep_cluster_status Primary or non-Primary).
describe('judgeNode', () => {
  const synced = { wsrep_ready: 'ON', wsrep_local_state: '4', wsrep_cluster_status: 'Primary' };

  it('a server outside any cluster is ready when it answers (wsrep_on OFF, or no such variable on MySQL)', () => {
    expect(judgeNode('OFF', { wsrep_ready: 'OFF', wsrep_cluster_status: 'Disconnected' })).toEqual({ ready: true, galera: null });
    expect(judgeNode(null, {})).toEqual({ ready: true, galera: null });
  });

  it('a Synced node of the Primary component is ready', () => {
    expect(judgeNode('ON', synced)).toEqual({ ready: true, galera: { ready: 'ON', localState: 4, clusterStatus: 'Primary' } });
  });

  it.each([
    ['a donor or a node desynced by hand (wsrep_desync=ON)', { ...synced, wsrep_local_state: '2' }, 'NODE_NOT_SYNCED', 'wsrep_local_state=2 (Donor/Desynced)'],
    ['a joiner receiving its state transfer', { ...synced, wsrep_local_state: '1', wsrep_ready: 'OFF' }, 'NODE_NOT_SYNCED', 'wsrep_local_state=1 (Joining)'],
    ['a joined node still catching up', { ...synced, wsrep_local_state: '3' }, 'NODE_NOT_SYNCED', 'wsrep_local_state=3 (Joined)'],
    ['a node in a minority partition', { wsrep_ready: 'OFF', wsrep_local_state: '4', wsrep_cluster_status: 'non-Primary' }, 'NODE_NOT_PRIMARY', 'wsrep_cluster_status=non-Primary'],
    ['a node cut off from every other', { wsrep_ready: 'OFF', wsrep_local_state: '0', wsrep_cluster_status: 'Disconnected' }, 'NODE_NOT_PRIMARY', 'wsrep_cluster_status=Disconnected'],
    ['a Synced Primary node whose provider is not ready', { ...synced, wsrep_ready: 'OFF' }, 'NODE_NOT_READY', 'wsrep_ready=OFF'],
  ])('%s is not ready', (_what, status, reason, detail) => {
    expect(judgeNode('ON', status)).toMatchObject({ ready: false, reason, detail });
  });
});

describe('causal', () => {
  it('asks for wsrep_sync_wait=1 for the one statement, joining a SET STATEMENT already there', () => {
    expect(causal('SELECT 1')).toBe('SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1');
    expect(causal('SET STATEMENT max_statement_time = 0.250000 FOR SELECT COUNT(*) AS n FROM wish w')).toBe(
      'SET STATEMENT wsrep_sync_wait = 1, max_statement_time = 0.250000 FOR SELECT COUNT(*) AS n FROM wish w',
    );
  });
});
