// Every recorded history (test/replay/histories, made by test/replay/record.ts) must replay against today's workflow
// code without a nondeterminism error: the guard that lets operators upgrade workers while cases are open. And the
// histories must cover today's code: every workflow type the bundle registers, and both sides of every patch in force.
// They replay through the payload codec, as a worker runs them: the 1.0 histories, recorded before it, hold payloads
// in clear, which it must pass through.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowInfo } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataConverterOfKeys } from '../../codec/data-converter';
import * as workflows from '../../workflows';
import { instrumentedWorkflowBundle, patchPointsInForce, type PatchPoint } from './patch-coverage';
import type { PatchSide } from './workflow-shim';

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** `patch-id new` / `patch-id old`: one side of one patch. */
const sideKey = (patchId: string, side: PatchSide) => `${patchId} ${side}`;
const calls = (points: PatchPoint[], patchId: string) =>
  points
    .filter((point) => point.patchId === patchId)
    .map((point) => point.where)
    .join(', ');

describe('recorded histories replay', () => {
  const results = new Map<string, ReplayResult>();
  /** The patch sides the histories took (`sideKey`). */
  const taken = new Set<string>();

  // One replay worker for all histories (one per history cost most of this file's time).
  beforeAll(async () => {
    const asked = (_info: WorkflowInfo, patchId: string, side: PatchSide, replaying: boolean) => {
      if (replaying) taken.add(sideKey(patchId, side)); // (not past the recorded events: there it is a fresh decision)
    };
    const histories = files.map((file) => ({
      workflowId: file,
      history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))),
    }));
    const options = {
      dataConverter: dataConverterOfKeys([{ id: 'replay', key: randomBytes(32) }]),
      workflowBundle: await instrumentedWorkflowBundle(),
      sinks: { patchCoverage: { asked: { fn: asked, callDuringReplay: true } } },
    };
    for await (const result of Worker.runReplayHistories(options, histories)) results.set(result.workflowId, result);
  });

  it('has a history of every workflow type the bundle registers', () => {
    const recorded = new Set(
      files.map(
        (f) =>
          JSON.parse(readFileSync(path.join(DIR, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name as string,
      ),
    );
    const registered = Object.keys(workflows);
    expect(registered.length).toBeGreaterThan(0);
    expect(
      registered.filter((type) => !recorded.has(type)),
      'workflow types without a recorded history',
    ).toEqual([]);
  });

  it('has a history of each side of every patch in force', () => {
    const points = patchPointsInForce();
    const missing = new Set(
      points.flatMap(({ patchId, sides }) => sides.map((side) => sideKey(patchId, side)).filter((key) => !taken.has(key))),
    );
    const uncovered = [...missing].map((key) => `${key} (${calls(points, key.split(' ')[0])})`);
    expect(uncovered, 'patch sides no history takes (patch id, side, its calls)').toEqual([]);
    // A patch asked at replay that the source scan did not find: the scan missed a call, and its sides go unchecked.
    const inForce = new Set(points.map((point) => point.patchId));
    const asked = new Set([...taken].map((key) => key.split(' ')[0]));
    expect(
      [...asked].filter((id) => !inForce.has(id)),
      'patch ids asked but not found in the sources',
    ).toEqual([]);
  });

  it.each(files)('%s replays without nondeterminism', (file) => {
    expect(results.has(file)).toBe(true);
    expect(results.get(file)?.error).toBeUndefined();
  });
});
