// Bad payloads at the workflows themselves, on the time-skipping server with the real activities and a PGlite ledger:
// what another client (or a CLI that skipped its own check) sends is refused by the Update validator, before it is
// written to history. The operator's cases: a 1.5 MB note (a PayloadsTooLarge loop of the workflow task before) and
// 10,000 finding items (accepted: a 6.5 MB history and a 1.4 MB mail). The inspection's history stays small, it has
// no failed workflow task, the ledger is unchanged, and it still takes good findings afterwards. And `risk import`
// without DATABASE_URL, into the PGlite ledger the worker serves: a GBK file lands with its Chinese text intact.
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { riskImport } from '../../cli/risk';
import { DEFAULT_PLAN_FILE, loadRuntimeConfig } from '../../config';
import { drawTeam } from '../../domain/draw';
import { inspection } from '../../workflows/inspection/workflow';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { inspectionInput, localEndOfDay } from '../helpers/inspection-input';
import { useWorkflowTestEnv, validatorRejection } from '../helpers/workflow-test';
import { rowCounts } from './ledger';
import { ledgerInstitution } from '../helpers/case-records';

const fx = useWorkflowTestEnv();
const { EventType } = temporal.api.enums.v1;

const item = { category: '串换药品', description: '将自费药品串换为医保药品结算', amountFen: 123_450, article: '38' };

describe('the findings Update refuses oversize payloads in its validator', () => {
  it.each([
    ['a 1.5 MB note', { note: '查'.repeat(500_000) }, 'note: at most 4000 characters'],
    ['10,000 items', { items: Array(10_000).fill(item) }, 'items: at most 200 items'],
    ['a NUL in the note', { note: '现场检查发现\u0000' }, 'note: must not contain the control character U+0000 (character 7)'],
  ])('%s: rejected naming the field, history small, no failed workflow task', async (_what, fields, problem) => {
    const now = await fx.env.currentTimeMs();
    const input = inspectionInput(localEndOfDay(now, 40));
    const campaignId = `bad-input-${process.pid}-${now}`;
    await fx.harness.store.upsertInstitutions([ledgerInstitution({ responsibleUnitId: undefined })]);
    await fx.harness.store.ensureCampaign({
      id: campaignId,
      jurisdiction: '349901',
      kind: 'coverage',
      title: '全覆盖现场检查',
      year: 2026,
      startsAt: new Date(now).toISOString(),
      dueAt: input.dueAt,
      drawSeed: input.drawSeed,
    });
    const [inspectorId] = drawTeam(input.drawSeed, input.inspectorPool, 'H001', 2);
    const findings = { inspectorId, inspectedAt: new Date(now).toISOString(), violation: true, items: [item], note: '' };

    const result = await fx.harness.run(async () => {
      const handle = await fx.env.client.workflow.start(inspection, {
        workflowId: `inspection:${campaignId}:H001`,
        taskQueue: fx.harness.taskQueue,
        args: [{ ...input, campaign: { ...input.campaign, id: campaignId } }],
      });
      await fx.env.sleep('1 day');
      const unchanged = async () => ({
        status: await handle.query(inspectionStatusQuery),
        ledger: await rowCounts(fx.harness.store.db),
        sent: fx.harness.sent.length,
      });
      const message = await validatorRejection(handle, recordFindingsUpdate, [{ ...findings, ...fields }], {
        type: 'InvalidPayload',
        unchanged,
      });
      expect(message).toBe(`invalid findings: ${problem}`);

      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
      // The start, the team's notices and a timer: 12 events, under 3 KB. The refused payload (1.5 MB) left no trace.
      expect(temporal.api.history.v1.History.encode({ events }).finish().length).toBeLessThan(20_000);

      // The inspection still takes good findings.
      const accepted = await handle.executeUpdate(recordFindingsUpdate, { args: [{ ...findings, violation: false, items: [] }] });
      expect(accepted.findings?.violation).toBe(false);
      return handle.result();
    });
    expect(result.stage).toBe('compliant');
  });
});

describe('risk import into the PGlite ledger the worker serves', () => {
  const corpus = (name: string) => path.resolve(__dirname, 'files', name);

  it('imports a GBK file with its Chinese references and notes; refuses a bidi control, nothing written', async () => {
    const config = loadRuntimeConfig({
      TEMPORAL_ADDRESS: fx.env.address,
      TEMPORAL_TASK_QUEUE: fx.harness.taskQueue,
      LEDGER_PORT: String(fx.harness.ledgerPort),
    });
    const importFile = (name: string) => riskImport(corpus(name), { plan: DEFAULT_PLAN_FILE }, config);
    await fx.harness.run(async () => {
      expect(await importFile('risk-gbk.csv')).toBe("imported 2 risk signal(s) into the running worker's embedded ledger of 349901");
      const before = await rowCounts(fx.harness.store.db);
      await expect(importFile('risk-bidi.csv')).rejects.toThrow(
        /rows\[0\]\.reference: must not contain the bidirectional control U\+202E \(character 9\) \(line 2\)/,
      );
      expect(await rowCounts(fx.harness.store.db)).toEqual(before);
    });
    const rows = await fx.harness.store.db.query('SELECT institution_id, reference, note FROM risk_signal_items ORDER BY signal_date');
    expect(rows).toEqual([
      { institution_id: 'H34990100003', reference: '清医保线索〔2027〕012号', note: '群众举报：挂床住院, 虚开检查' },
      { institution_id: 'P34990100002', reference: '清医保疑点〔2027〕101号', note: '智能监控：同一患者短期重复购药' },
    ]);
  });
});
