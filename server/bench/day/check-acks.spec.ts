import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkAcks, checkLine } from './check-acks';
import { assertLoopback } from './deployment';
import { DbView } from './probes';

// A real SQLite file holding the columns check-acks reads, written by hand: what was acknowledged,
// what the database kept, and the line the check must print for it.
describe('check-acks: every acknowledged write once', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xy-check-acks-'));
    file = join(dir, 'db.sqlite');
    const db = new Database(file);
    db.exec(`
      CREATE TABLE photo (id TEXT PRIMARY KEY);
      CREATE TABLE member_registration (id INTEGER PRIMARY KEY);
      CREATE TABLE wish (id INTEGER PRIMARY KEY, title TEXT);
      CREATE TABLE wish_event (id INTEGER PRIMARY KEY, wish_id INT, type TEXT, actor_id INT, actor_role TEXT, to_tier INT, created_at TEXT);
      CREATE TABLE outbox (id INTEGER PRIMARY KEY, wish_id INT, kind TEXT, audience_type TEXT, audience_id INT, tier INT, created_at TEXT);
      CREATE TABLE message (id INTEGER PRIMARY KEY, outbox_id INT, user_id INT);
      INSERT INTO photo VALUES ('p-1');
      INSERT INTO wish VALUES (1, '帮忙aaaaaaaaaaaa'), (2, '帮忙bbbbbbbbbbbb'), (3, '帮忙bbbbbbbbbbbb');
      INSERT INTO wish_event (wish_id, type, actor_id, actor_role, to_tier, created_at) VALUES
        (1, 'approve', 7, 'community_admin', 1, '2026-12-02 09:00:00.000'),
        (1, 'escalate', NULL, 'system', 2, '2026-12-02 10:00:00.000'),
        (1, 'escalate', NULL, 'system', 2, '2026-12-02 10:00:00.000');
      INSERT INTO outbox (wish_id, kind, audience_type, audience_id, tier, created_at) VALUES
        (1, 'approved', 'user', 5, 1, '2026-12-02 09:00:00.000');
      INSERT INTO message (outbox_id, user_id) VALUES (1, 5);
    `);
    db.close();
    const acks = [
      // found: the photo, wish 1 (its key's title), its approval by user 7
      { kind: 'photo', key: 'day-x-photo-1', userId: 5, photoId: 'p-1' },
      { kind: 'wish', key: 'day-x-aaaaaaaaaaaa', userId: 5, wishId: 1 },
      { kind: 'approve', key: 'day-x-approve-1', userId: 7, wishId: 1 },
      // the same key again, its answer replayed: still one write
      { kind: 'approve', key: 'day-x-approve-1', userId: 7, wishId: 1, replayed: true },
      // found, but a second wish carries the same key: doubled
      { kind: 'wish', key: 'day-x-bbbbbbbbbbbb', userId: 5, wishId: 2 },
      // lost: no claim event by user 9 on wish 1
      { kind: 'claim', key: 'day-x-claim-1', userId: 9, wishId: 1 },
    ];
    writeFileSync(join(dir, 'acks.jsonl'), acks.map((a) => JSON.stringify({ replayed: false, t: '2026-12-02T01:00:00Z', ...a })).join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts five writes, four found, one lost; the key with two wishes and the escalation recorded twice are doubled', async () => {
    const view = new DbView({ sqlite: file });
    try {
      const r = await checkAcks(join(dir, 'acks.jsonl'), view);
      expect(checkLine(r)).toBe('acknowledged 5, found 4, lost 1, doubled 2');
      expect(r.details.join('\n')).toMatch(/lost claim day-x-claim-1/);
      expect(r.details.join('\n')).toMatch(/timer step escalate of wish 1 to tier 2/);
    } finally {
      await view.close();
    }
  });
});

describe('bench:day sends to loopback only', () => {
  it.each(['http://127.0.0.1:3000', 'http://127.9.8.7:80', 'http://localhost:3000', 'http://[::1]:3000'])('accepts %s', (u) => {
    expect(() => assertLoopback(u)).not.toThrow();
  });
  it.each(['http://10.0.0.5:3000', 'http://192.168.1.2', 'https://xinyuan.example.cn', 'http://128.0.0.1:3000'])('refuses %s', (u) => {
    expect(() => assertLoopback(u)).toThrow(/loopback/);
  });
});
