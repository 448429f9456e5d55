import { Text, View } from '@tarojs/components';
import type { LedgerWishItem } from '@xinyuan/shared';
import { useMemo } from 'react';
import { StateTag } from '../../../components/Badge';
import { pressable } from '../../../utils/a11y';
import { formatTime, tierShort } from '../../../utils/format';
import { go } from '../../../utils/nav';
import { LEDGER_COLUMNS, nextSort, sortLedger, type LedgerSort } from '../logic';
import { DESK_ROUTES } from '../routes';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * The ledger at desk width: one row per wish (number, title, state, tier, community, submitted,
 * deadline, claimant). A column header sorts the lines loaded so far; a row opens the wish.
 */
export default function LedgerTable({ items, sort, onSort }: { items: LedgerWishItem[]; sort: LedgerSort; onSort: (s: LedgerSort) => void }) {
  const rows = useMemo(() => sortLedger(items, sort), [items, sort]);
  return (
    <View className="xy-ledger-table" role="table" aria-label="台账" aria-rowcount={items.length + 1}>
      <View className="xy-ledger-table__row xy-ledger-table__head" role="row">
        {LEDGER_COLUMNS.map((c) => (
          <View
            key={c.key}
            className={`xy-ledger-table__cell xy-ledger-table__cell--${c.key}`}
            role="columnheader"
            aria-sort={sort.key === c.key ? ARIA_SORT[sort.dir] : 'none'}
            data-column={c.key}
          >
            <Text {...pressable(() => onSort(nextSort(sort, c.key)))} aria-label={`按${c.label}排序`} className="xy-ledger-table__sort">
              {c.label}
              {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
            </Text>
          </View>
        ))}
      </View>
      {rows.map((i) => (
        <View key={i.id} className="xy-ledger-table__row" {...pressable(() => go(DESK_ROUTES.wish, { id: i.id }))} role="row" data-wish-id={i.id}>
          <View className="xy-ledger-table__cell xy-ledger-table__cell--no" role="cell">{i.no}</View>
          <View className="xy-ledger-table__cell xy-ledger-table__cell--title" role="cell">
            {i.title}
            {i.urgent ? <Text className="xy-ledger-table__flag">紧急</Text> : null}
            {i.supervisedAt ? <Text className="xy-ledger-table__flag">督办</Text> : null}
          </View>
          <View className="xy-ledger-table__cell" role="cell">
            <StateTag state={i.state} />
          </View>
          <View className="xy-ledger-table__cell" role="cell">{tierShort(i.tierReached)}</View>
          <View className="xy-ledger-table__cell" role="cell">{i.communityName}</View>
          <View className="xy-ledger-table__cell" role="cell">{formatTime(i.submittedAt)}</View>
          <View className={`xy-ledger-table__cell ${i.overdue ? 'xy-ledger-table__cell--overdue' : ''}`} role="cell">
            {i.dueAt ? formatTime(i.dueAt) : '—'}
            {i.overdue ? '（已超期）' : ''}
          </View>
          <View className="xy-ledger-table__cell" role="cell">{i.claimant ? i.claimant.name : '—'}</View>
        </View>
      ))}
    </View>
  );
}
