/**
 * The worklist when more is open than it shows: it must show the first 200 of each kind in its own order
 * (cases by what falls due first, placements and prevention records by what has waited longest), not the
 * newest 200 rearranged, which left an officer's oldest overdue cases off the list once 200 newer ones were
 * open. The rows are written straight into the projections' own tables (built from their definitions, with
 * their indexes), so the query runs against the real schema on PGlite and PostgreSQL.
 */
import { type DatabaseConfig, openEventStore, type SqlClient } from '@jejak/event-store';
import type { Actor } from '@jejak/kernel';
import { describeIfPostgres, type Disposable, freshDirectory, freshPostgresDatabase } from '@jejak/testing';

import { createTable, tableName } from '../projection';
import { casesProjection } from '../projections/cases';
import { placementsProjection } from '../projections/placements';
import { preventionsProjection } from '../projections/preventions';
import { worklist } from './lists';

const VILLAGE = '3201012001';
const OTHER = '3201012002';
const NOW = new Date('2026-06-15T05:00:00.000Z');
const at = (minutes: number) => new Date(Date.parse('2026-06-01T00:00:00.000Z') + minutes * 60_000).toISOString();

const officer: Actor = { id: 'officer-1', role: 'officer', scopes: [{ level: 'village', code: VILLAGE }] };
const supervisor: Actor = { id: 'supervisor-1', role: 'supervisor', scopes: [{ level: 'regency', code: '3201' }] };

interface Row {
  id: string;
  area: string;
  status: string;
  at: string;
}

async function fill(
  db: SqlClient,
): Promise<{ tables: { cases: string; placements: string; preventions: string }; rows: Record<string, Row[]> }> {
  const projections = { cases: casesProjection(), placements: placementsProjection(), preventions: preventionsProjection() };
  for (const projection of Object.values(projections)) await db.transaction((tx) => createTable(tx, projection, 1));
  const tables = {
    cases: tableName(projections.cases, 1),
    placements: tableName(projections.placements, 1),
    preventions: tableName(projections.preventions, 1),
  };
  const rows: Record<string, Row[]> = { cases: [], placements: [], preventions: [] };
  // 260 open cases in the village, the earliest due first in no particular order of opening; 150 closed
  // ones whose deadlines come before all of them; 40 open ones in the next village.
  for (let i = 0; i < 450; i++) {
    const closed = i >= 260 && i < 410;
    const area = i >= 410 ? OTHER : VILLAGE;
    const due = closed ? at(-i) : at(((i * 7919) % 450) * 60);
    const firstActionTaken = i % 3 === 0;
    rows.cases!.push({ id: `case-${i}`, area, status: closed ? 'closed' : 'accepted', at: due });
    await db.query(
      `insert into ${tables.cases} (id, doc, area, status, urgency, opened_at, first_action_at, first_action_due, resolution_due)
       values ($1, '{}', $2, $3, 'normal', $4, $5, $6, $7)`,
      [
        `case-${i}`,
        area,
        closed ? 'closed' : 'accepted',
        at(i), // opened in the order of i: the newest 200 are not the first 200 due
        firstActionTaken ? at(i + 1) : null,
        firstActionTaken ? at(-10_000) : due,
        firstActionTaken ? due : at(100_000),
      ],
    );
  }
  // Placements and prevention records: 230 open and 300 finished in the village, the finished ones oldest.
  for (const [kind, open, finished] of [
    ['placements', 'open', 'departed'],
    ['preventions', 'reported', 'closed'],
  ] as const) {
    for (let i = 0; i < 530; i++) {
      const done = i < 300;
      const row = { id: `${kind}-${i}`, area: VILLAGE, status: done ? finished : open, at: at(i) };
      rows[kind]!.push(row);
      await db.query(`insert into ${tables[kind]} (id, doc, area, status, sort_at) values ($1, '{}', $2, $3, $4)`, [
        row.id,
        row.area,
        row.status,
        row.at,
      ]);
    }
  }
  return { tables, rows };
}

function suite(fresh: () => Promise<Disposable<DatabaseConfig>>): void {
  it('shows the first 200 of each kind in its order, however many are open: the oldest overdue case stays on it', async () => {
    const database = await fresh();
    const { db, close } = await openEventStore(database.value);
    try {
      const { tables, rows } = await fill(db);
      const firstDue = (area: (a: string) => boolean) =>
        rows
          .cases!.filter((r) => r.status !== 'closed' && area(r.area))
          .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
          .slice(0, 200);

      const mine = (await worklist(db, tables, officer, NOW)).items;
      const cases = mine.filter((i) => i.kind === 'case');
      expect(cases.map((i) => i.id)).toEqual(firstDue((a) => a === VILLAGE).map((r) => r.id));
      expect(cases.map((i) => i.due)).toEqual(firstDue((a) => a === VILLAGE).map((r) => r.at));
      // The earliest due is overdue at NOW, the last shown is not yet.
      expect(cases[0]).toMatchObject({ overdue: true, status: 'accepted', areaCode: VILLAGE });
      expect(cases.at(-1)!.overdue).toBe(Date.parse(cases.at(-1)!.due!) < NOW.getTime());
      for (const kind of ['placement', 'prevention'] as const) {
        const open = rows[`${kind}s`]!.filter((r) => r.status === (kind === 'placement' ? 'open' : 'reported'));
        const shown = mine.filter((i) => i.kind === kind);
        expect(shown.map((i) => i.id)).toEqual(open.slice(0, 200).map((r) => r.id));
        expect(shown.map((i) => i.since)).toEqual(open.slice(0, 200).map((r) => r.at));
      }
      expect(mine.map((i) => i.kind)).toEqual([
        ...Array(200).fill('case'),
        ...Array(200).fill('placement'),
        ...Array(200).fill('prevention'),
      ]);

      // A regency's supervisor: both villages' open cases in one order.
      const theirs = (await worklist(db, tables, supervisor, NOW)).items.filter((i) => i.kind === 'case');
      expect(theirs.map((i) => i.id)).toEqual(firstDue(() => true).map((r) => r.id));
      expect(new Set(theirs.map((i) => i.areaCode))).toEqual(new Set([VILLAGE, OTHER]));
    } finally {
      await close();
      await database.dispose();
    }
  }, 60_000);
}

describe('worklist: the first of each kind, however many are open (embedded)', () => {
  suite(async () => {
    const dir = await freshDirectory();
    return { value: { kind: 'pglite', dataDir: dir.value }, dispose: dir.dispose };
  });
});

describeIfPostgres('worklist: the first of each kind, however many are open (PostgreSQL)', () => {
  suite(async () => {
    const database = await freshPostgresDatabase();
    return { value: { kind: 'postgres', connectionString: database.value }, dispose: database.dispose };
  });
});
