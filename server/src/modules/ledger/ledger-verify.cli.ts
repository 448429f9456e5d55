// `node dist/cli.js ledger verify [--wish=N] [--org=ID] [--day=YYYY-MM-DD [--digest=HEX] [--up-to=N]] [--batch-progress]`
// Walks the hash chains (wishes/event-chain.ts) and prints the first broken link; with a day, the
// day's digest (台账校验码) of the organisation (or of each community with events that day), compared
// with a printed one. Exit status: 0 intact (and the digest matches), 1 broken or different, 2 usage.
import type { LedgerScopeKind } from '@xinyuan/shared';
import type { Database } from '../../database/database';
import { beijingDayRange, ChainVerifier, type VerifyResult, type VerifyScope } from './chain-verifier';

const USAGE = 'usage: cli.js ledger verify [--wish=N] [--org=ID] [--day=YYYY-MM-DD [--digest=HEX] [--up-to=N]]\n';

export async function runLedgerVerify(db: Database, args: string[], write: (s: string) => void): Promise<number> {
  const arg = (name: string) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
  };
  const int = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : NaN);
  const wishId = int(arg('wish'));
  const orgId = int(arg('org'));
  const upTo = int(arg('up-to'));
  const dayText = arg('day');
  const digest = arg('digest')?.toLowerCase();
  const day = dayText === undefined ? undefined : beijingDayRange(dayText);
  if ([wishId, orgId, upTo].some((v) => Number.isNaN(v)) || day === null || (digest !== undefined && (!/^[0-9a-f]{64}$/.test(digest) || !day || orgId === undefined)) || (upTo !== undefined && !day)) {
    write(USAGE + '  --digest needs --day and --org; --up-to needs --day\n');
    return 2;
  }
  const verifier = new ChainVerifier(db);
  let scopes: VerifyScope[];
  if (orgId !== undefined) {
    const [org] = await db.dataSource.query(`SELECT id, kind FROM organisation WHERE id = ?`, [orgId]);
    if (!org || !['community', 'street', 'district', 'city'].includes(org.kind)) {
      write(`organisation ${orgId} is not a community, street, district or city\n`);
      return 2;
    }
    scopes = [{ kind: org.kind as LedgerScopeKind, orgId, communityIds: await communitiesOf(db, org.kind, orgId) }];
  } else if (day && wishId === undefined) {
    // Each community with events that day: the digests its committee prints.
    const rows: { community_id: unknown }[] = await db.dataSource.query(
      `SELECT DISTINCT w.community_id FROM wish_event e JOIN wish w ON w.id = e.wish_id WHERE e.created_at >= ? AND e.created_at < ? ORDER BY w.community_id`,
      [db.time(day.start), db.time(day.end)],
    );
    scopes = rows.map((r) => ({ kind: 'community' as const, orgId: Number(r.community_id), communityIds: [Number(r.community_id)] }));
    write(`${day.day}: events of ${scopes.length} communities\n`);
  } else {
    scopes = [{ kind: 'city', orgId: 0, communityIds: null }];
  }
  let bad = false;
  const t0 = Date.now();
  let wishes = 0;
  let events = 0;
  for (const scope of scopes) {
    const r = await verifier.verify(scope, { wishId, day: day ?? undefined, upTo });
    wishes += r.wishes;
    events += r.events;
    const label = scope.communityIds === null ? 'the whole ledger' : `${scope.kind} ${scope.orgId}`;
    write(describe(label, r));
    if (!r.ok) bad = true;
    if (r.day) {
      write(`  台账校验码 ${r.day.day} ${label}: ${r.day.digest} (${r.day.events} events${r.day.lastEventId === null ? '' : `, 截至事件 #${r.day.lastEventId}`})\n`);
      if (digest !== undefined) {
        const same = r.day.digest === digest;
        write(same ? '  the printed digest matches\n' : `  the printed digest does NOT match: printed ${digest}, the database gives ${r.day.digest}\n`);
        if (!same) bad = true;
      }
    }
  }
  if (scopes.length > 1) write(`in all: ${wishes} wishes, ${events} events in ${Date.now() - t0} ms\n`);
  return bad ? 1 : 0;
}

function describe(label: string, r: VerifyResult): string {
  const head = `${label}: ${r.wishes} wishes, ${r.events} events verified in ${r.tookMs} ms${r.erased ? `; ${r.erased} events with text erased under PIPL (valid)` : ''}\n`;
  if (r.ok) return head + '  every chain is intact\n';
  const b = r.firstBreak!;
  return (
    head +
    `  BROKEN: ${r.brokenWishes} wish(es); the first broken link: wish ${b.wishId}, ${b.eventId === null ? 'at the head kept on the wish' : `event ${b.eventId}`}, seq ${b.seq ?? '-'}: ${b.kind} row\n` +
    `    expected ${b.expected}\n    found    ${b.found}\n    (${b.detail})\n`
  );
}

async function communitiesOf(db: Database, kind: string, id: number): Promise<number[]> {
  const under: Record<string, string> = {
    community: 'c.id = ?',
    street: 'c.parent_id = ?',
    district: `c.parent_id IN (SELECT s.id FROM organisation s WHERE s.parent_id = ?)`,
    city: `c.parent_id IN (SELECT s.id FROM organisation s WHERE s.parent_id IN (SELECT d.id FROM organisation d WHERE d.parent_id = ?))`,
  };
  const rows: { id: unknown }[] = await db.dataSource.query(`SELECT c.id FROM organisation c WHERE c.kind = 'community' AND ${under[kind]} ORDER BY c.id`, [id]);
  return rows.map((r) => Number(r.id));
}
