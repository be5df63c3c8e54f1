// Every recorded history (test/replay/histories, made by test/replay/record.ts) must replay against today's workflow
// code without a nondeterminism error: the guard that lets operators upgrade workers while cases are open.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../helpers/temporal';

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('recorded histories replay', () => {
  it('has histories for every workflow type', () => {
    const types = new Set(files.map((f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name as string));
    expect([...types].sort()).toEqual([
      'annualCycle',
      'caseWorkflow',
      'closureReview',
      'flyingChecks',
      'flyingLookBack',
      'fullCoverage',
      'importRiskSignals',
      'inspection',
      'inspectionCampaign',
      'inspectionShard',
      'practitionerPoints',
      'readLedger',
      'yearStarter',
    ]);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, [{ workflowId: file, history }])) {
      results.push(result);
    }
    expect(results).toHaveLength(1);
    expect(results[0].error).toBeUndefined();
  });
});
