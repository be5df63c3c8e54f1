// The weekly tables on a province-sized ledger (issue 13): PostgreSQL (the local test server, a schema of its own),
// generated in SQL — 60,000 institutions, half of them inspected on site with findings, 20,000 cases with their steps in
// the audit trail (opened, interviews, suspensions, penalties with amounts, referrals) and payments, 50,000 clues in
// national, provincial and local batches, 5,000 cases against insured persons with their actions (table 2) — then the
// three tables as of a cut-off, by the code the weeklyReport workflow runs (weeklyTablesFromLedger), against one plain
// `SELECT count(*)` over the same rows. At `scale` 2 every count doubles: the ratio should stay flat.
import { weeklyTablesFromLedger } from '../../activities/weekly-report';
import { openStore } from '../../records';
import { isolatedStoreOptions } from '../helpers/db';

const J = '349901';
const WEEK = '2026-W50';
const BASE = { institutions: 60_000, cases: 20_000, clues: 50_000, persons: 5_000 };

export interface WeeklyBench {
  scale: number;
  rows: number;
  weeklySeconds: number;
  countSeconds: number;
  ratio: number;
}

const seconds = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};

const RUNS = 5;

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await seconds(fn));
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/** The generated ledger: every statement one INSERT … SELECT over generate_series. */
function generation(scale: number): string[] {
  const n = {
    institutions: BASE.institutions * scale,
    cases: BASE.cases * scale,
    clues: BASE.clues * scale,
    persons: BASE.persons * scale,
  };
  const inspected = n.institutions / 2;
  const at = (dayExpr: string) => `timestamptz '2026-01-05 02:00+00' + (${dayExpr}) * interval '1 day'`;
  return [
    `INSERT INTO institutions (jurisdiction, id, name, kind, level, ownership, district)
     SELECT '${J}', 'I' || g, '机构' || g, CASE WHEN g % 3 = 0 THEN 'hospital' ELSE 'pharmacy' END, NULL,
            CASE WHEN g % 2 = 0 THEN 'public' ELSE 'private' END, 'D' || (g % 40)
     FROM generate_series(1, ${n.institutions}) g`,
    `INSERT INTO campaigns (id, jurisdiction, kind, title, year, starts_at, due_at, draw_seed)
     VALUES ('bench-coverage', '${J}', 'coverage', '全覆盖', 2026, '2026-01-01', '2026-12-31', 'bench')`,
    `INSERT INTO inspections (id, campaign_id, institution_id, team, draw_seed, announced, stage, due_at, updated_at)
     SELECT 'insp-' || g, 'bench-coverage', 'I' || g, ARRAY['a', 'b'], 'bench', true, 'compliant', '2026-12-31', now()
     FROM generate_series(1, ${inspected}) g`,
    `INSERT INTO findings (inspection_id, inspector_id, inspected_at, violation, items, note, recorded_at)
     SELECT 'insp-' || g, 'a', ${at('g % 330')}, g % 3 = 0, '[]'::jsonb, '', now() FROM generate_series(1, ${inspected}) g`,
    `INSERT INTO onsite_inspections (jurisdiction, institution_id, year, inspection_id)
     SELECT '${J}', 'I' || g, 2026, 'insp-' || g FROM generate_series(1, ${inspected}) g`,
    `INSERT INTO cases (id, jurisdiction, case_no, year, institution_id, stage, open, opened_at, loss_fen, fine_fen, updated_at)
     SELECT 'case:${J}:' || g, '${J}', g::text, 2026, 'I' || (g * 3 % ${n.institutions} + 1), 'rectifying', true,
            ${at('g % 330')}, (g % 97) * 123456, (g % 13) * 100000, now()
     FROM generate_series(1, ${n.cases}) g`,
    // Each case's steps: opened; every 2nd an interview, every 5th suspended, every 3rd a penalty, every 7th a referral.
    `INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
     SELECT 'case:${J}:' || g || ':' || s.action, 'bench', s.action, 'case', 'case:${J}:' || g, '',
            CASE s.action
              WHEN 'penalty-decided' THEN jsonb_build_object('assessment', jsonb_build_object('fineFen', (g % 13) * 100000, 'recoveryFen', (g % 97) * 123456))
              WHEN 'referral-sent' THEN jsonb_build_object('agency', CASE WHEN g % 2 = 0 THEN 'public-security' ELSE 'health' END)
              ELSE '{}'::jsonb END,
            ${at('g % 330 + s.offset_days')}
     FROM generate_series(1, ${n.cases}) g
     JOIN (VALUES ('case-opened', 0, 1), ('interview', 3, 2), ('suspended', 9, 5), ('penalty-decided', 12, 3), ('referral-sent', 15, 7))
          AS s(action, offset_days, every) ON g % s.every = 0`,
    `INSERT INTO case_payments (key, case_id, amount_fen, paid_at, reference, recorded_by)
     SELECT 'pay-' || g, 'case:${J}:' || g, (g % 97) * 50000 + 1, ${at('g % 330 + 20')}, 'R' || g, 'bench'
     FROM generate_series(1, ${n.cases}) g WHERE g % 4 = 0`,
    `INSERT INTO clue_batches (jurisdiction, source, batch_no, batch_date, clue_count, received_at)
     SELECT '${J}', CASE WHEN b % 2 = 0 THEN 'national' ELSE 'provincial' END, 'B' || b, date '2026-01-10' + b * 6,
            ${(n.clues * 0.8) / 50}, ${at('5 + b * 6')}
     FROM generate_series(1, 50) b`,
    `INSERT INTO clues (id, jurisdiction, clue_no, year, received_at, channel, source, batch_no, batch_date, subject, summary,
                        real_name, reporter_masked, stage, overdue, outcome, concluded_at, updated_at)
     SELECT 'clue:${J}:K' || g, '${J}', 'K' || g, 2026, ${at('g % 330')},
            CASE WHEN g % 5 = 0 THEN 'phone' ELSE 'transferred' END,
            CASE WHEN g % 5 = 0 THEN 'local' WHEN (g % 50 + 1) % 2 = 0 THEN 'national' ELSE 'provincial' END,
            CASE WHEN g % 5 = 0 THEN NULL ELSE 'B' || (g % 50 + 1) END,
            CASE WHEN g % 5 = 0 THEN NULL ELSE date '2026-01-10' + (g % 50 + 1) * 6 END,
            '某机构', '反映问题', false, '匿名', CASE WHEN g % 4 = 0 THEN 'verifying' ELSE 'closed' END, false,
            CASE WHEN g % 4 = 0 THEN NULL WHEN g % 3 = 0 THEN 'verified' ELSE 'unfounded' END,
            CASE WHEN g % 4 = 0 THEN NULL ELSE ${at('g % 330 + 10')} END, now()
     FROM generate_series(1, ${n.clues}) g`,
    `INSERT INTO person_cases (id, jurisdiction, case_no, year, source_kind, source_ref, person_masked, professional, stage, open,
                               overdue, opened_at, amount_fen, updated_at)
     SELECT 'person-case:${J}:P' || g, '${J}', 'P' || g, 2026, 'clue', 'K' || g, '某*', g % 10 = 0, 'open', true, false,
            ${at('g % 330')}, (g % 50) * 10000, now()
     FROM generate_series(1, ${n.persons}) g`,
    // Each person's actions: every 2nd interviewed, 3rd card suspended, 4th penalised, 7th referred, 11th other, 5th recovered.
    `INSERT INTO person_case_actions (case_id, key, action, table2, decided_by, at, months, fine_fen, amount_fen, agency, note)
     SELECT 'person-case:${J}:P' || g, s.action, s.action, s.table2, 'bench', ${at('g % 330 + s.offset_days')},
            CASE WHEN s.action = 'suspend-card' THEN 6 END, CASE WHEN s.action = 'penalty' THEN (g % 50) * 20000 ELSE 0 END,
            CASE WHEN s.action IN ('penalty', 'recover') THEN (g % 50) * 10000 ELSE 0 END,
            CASE WHEN s.action = 'refer' THEN 'public-security' END, CASE WHEN s.action = 'other' THEN '纳入重点监控' ELSE '' END
     FROM generate_series(1, ${n.persons}) g
     JOIN (VALUES ('interview', 'interview', 2, 2), ('suspend-card', 'card-suspension', 5, 3), ('penalty', 'penalty', 8, 4),
                  ('refer', 'judicial-referral', 10, 7), ('other', 'other', 12, 11), ('recover', NULL, 14, 5))
          AS s(action, table2, offset_days, every) ON g % s.every = 0`,
    'ANALYZE',
  ];
}

/** One plain count over every row the tables read. */
const COUNT_ALL = `SELECT (SELECT count(*) FROM institutions) + (SELECT count(*) FROM inspections) + (SELECT count(*) FROM findings)
  + (SELECT count(*) FROM onsite_inspections) + (SELECT count(*) FROM cases) + (SELECT count(*) FROM audit_trail)
  + (SELECT count(*) FROM case_payments) + (SELECT count(*) FROM clues) + (SELECT count(*) FROM clue_batches)
  + (SELECT count(*) FROM person_cases) + (SELECT count(*) FROM person_case_actions) AS n`;

export async function benchWeeklyReport(scale: number, log: (line: string) => void): Promise<WeeklyBench> {
  const { options, cleanup } = await isolatedStoreOptions('postgres');
  const store = await openStore(options);
  try {
    const generated = await seconds(async () => {
      for (const statement of generation(scale)) await store.db.exec(statement);
    });
    const [{ n }] = await store.db.query<{ n: string }>(COUNT_ALL);
    log(`weekly report ×${scale}: ${n} rows generated in ${generated.toFixed(1)} s`);
    const request = { jurisdiction: { code: J, name: '基准' }, week: WEEK, timeZone: 'Asia/Shanghai', weekday: 3, time: '09:00' };
    // Warm both once (plans, caches), then the median of five runs each: one run on a shared machine is noise.
    await weeklyTablesFromLedger(store, request);
    await store.db.query(COUNT_ALL);
    const weeklySeconds = await median(() => weeklyTablesFromLedger(store, request));
    const countSeconds = await median(() => store.db.query(COUNT_ALL));
    log(`weekly report ×${scale}: tables ${weeklySeconds.toFixed(2)} s, count(*) ${countSeconds.toFixed(3)} s`);
    return { scale, rows: Number(n), weeklySeconds, countSeconds, ratio: weeklySeconds / countSeconds };
  } finally {
    await store.close();
    await cleanup();
  }
}
