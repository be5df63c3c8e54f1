// A batch of 200 clues transferred by the national bureau, from intake to closed on the time-skipping server, every
// deadline on the working-day calendar: the batch recorded once, each clue its own workflow started once by its number
// (a second start of the batch starts nothing), decided, verified and concluded; the ledger counts the batch as weekly
// table 3 does (转办总数, 已办结, 查证属实) and holds each clue's processing report.
//
// The years past the package's holiday data get an arrangement through the plan (calendar.holidays), as a bureau adds a
// new year's notice: here a FICTITIOUS one (the first three days of January only), so that the test runs on any date.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { clueWorkflowId } from '../../domain/business-keys';
import { holidayCalendar } from '../../domain/workdays';
import { deadlineAfter } from '../../domain/period';
import { ONE_RUN_PER_KEY } from '../../workflows/business-key';
import { acceptClueUpdate, clueStatusQuery, concludeClueUpdate, type ClueInput } from '../../workflows/clue/api';
import { clueWorkflow } from '../../workflows/clue/workflow';
import { clueInput } from '../helpers/clue-input';
import { TZ } from '../helpers/inspection-input';
import { mapLimit } from '../helpers/dev-stack';
import { retryUpdatesTheTestServerLoses } from '../helpers/temporal';
import { untilAtRest, useWorkflowTestEnv } from '../helpers/workflow-test';
import { fictitiousYears } from '../helpers/holidays';

const fx = useWorkflowTestEnv();
const J = '349901';
const SIZE = 200;

describe('a transferred batch of clues', () => {
  it(`takes ${SIZE} clues of a national batch from intake to closed, each deadline in working days`, async () => {
    retryUpdatesTheTestServerLoses(fx.env.client.workflow);
    await fx.harness.run(async () => {
      const now = new Date(await fx.env.currentTimeMs());
      const batch = {
        jurisdiction: J,
        source: 'national' as const,
        batchNo: `GJ-${process.pid}`,
        batchDate: now.toISOString().slice(0, 10),
        clueCount: SIZE,
        receivedAt: now.toISOString(),
      };
      await fx.harness.store.saveClueBatch(batch);
      const base = await clueInput('template', {}, null);
      const holidays = fictitiousYears(now.getUTCFullYear());
      const inputs: ClueInput[] = Array.from({ length: SIZE }, (_, i) => ({
        ...base,
        clueNo: `${batch.batchNo}-${String(i + 1).padStart(3, '0')}`,
        receivedAt: now.toISOString(),
        channel: 'transferred',
        source: { kind: 'national', batchNo: batch.batchNo, batchDate: batch.batchDate },
        rules: { ...base.rules, holidays },
      }));
      const startAll = () =>
        mapLimit(inputs, 10, async (input) => {
          try {
            await fx.env.client.workflow.start(clueWorkflow, {
              workflowId: clueWorkflowId(J, input.clueNo),
              taskQueue: fx.harness.taskQueue,
              args: [input],
              ...ONE_RUN_PER_KEY,
            });
            return 'started';
          } catch (error) {
            if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already';
            throw error;
          }
        });
      expect((await startAll()).filter((r) => r === 'started')).toHaveLength(SIZE);
      expect((await startAll()).filter((r) => r === 'already')).toHaveLength(SIZE);

      const calendar = holidayCalendar(holidays);
      const handles = inputs.map((input, i) => ({ i, handle: fx.env.client.workflow.getHandle(clueWorkflowId(J, input.clueNo)) }));
      await mapLimit(handles, 10, async ({ i, handle }) => {
        const registered = await handle.query(clueStatusQuery);
        expect(registered.dueAt).toBe(deadlineAfter(now, base.rules.acceptance, base.rules.endOfDay, TZ, calendar).toISOString());
        const accepted = await handle.executeUpdate(acceptClueUpdate, {
          args: [{ decidedBy: 'leader-deputy-fund', unitId: 'audit-centre' }],
        });
        expect(accepted.dueAt).toBe(
          deadlineAfter(new Date(accepted.acceptance!.decidedAt), base.rules.handling, base.rules.endOfDay, TZ, calendar).toISOString(),
        );
        // Every third clue verified (no further action: the flying check's own test is clue.test.ts), the others not.
        const verified = i % 3 === 0;
        await handle.executeUpdate(concludeClueUpdate, {
          args: [
            verified
              ? { handledBy: 'insp-01', outcome: 'verified', verifiedFen: 100_000, findings: '查实', action: 'none' }
              : { handledBy: 'insp-01', outcome: 'unfounded', findings: '不属实', action: 'none' },
          ],
        });
      });
      // Time may skip (result() lets it) only once every clue is at rest: a timer firing while an Update's task cancels it
      // leaves that workflow stuck (workers/time-skipping.ts untilAtRest).
      await mapLimit(handles, 10, ({ handle }) => untilAtRest(handle));
      const finals = await mapLimit(handles, 10, ({ handle }) => handle.result());
      expect(finals.every((f) => f.stage === 'closed')).toBe(true);

      // What weekly table 3 counts for the batch, from the ledger.
      const rows = await fx.harness.store.listClues({ jurisdiction: J, source: 'national', batchNo: batch.batchNo });
      expect(rows).toHaveLength(SIZE);
      expect(rows.filter((r) => r.concludedAt !== null)).toHaveLength(SIZE);
      expect(rows.filter((r) => r.outcome === 'verified')).toHaveLength(Math.ceil(SIZE / 3));
      expect(rows.every((r) => r.report?.includes('国家局移交') && r.batchDate === batch.batchDate)).toBe(true);
      expect(await fx.harness.store.listClueBatches(J)).toEqual([batch]);
    });
  }, 600_000);
});
