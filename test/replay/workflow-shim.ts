// `@temporalio/workflow` as the replay test bundles it (test/replay/instrumented-bundle.ts aliases the package to this
// file): the real module, with `patched` and `deprecatePatch` also reporting each ask through a replay sink, so that the
// test measures which side of every patch its recorded histories take. The answers themselves are the real ones.
// Bundled into the workflow sandbox: the workflow rules apply.
import {
  deprecatePatch as realDeprecatePatch,
  patched as realPatched,
  proxySinks,
  workflowInfo,
  type Sinks,
} from '@temporalio/workflow/lib/index.js';

export * from '@temporalio/workflow/lib/index.js';

/** Which branch an ask took: `deprecatePatch` has only the new one. */
export type PatchSide = 'new' | 'old';

export interface PatchCoverageSinks extends Sinks {
  patchCoverage: {
    /** `replaying` false: the workflow ran past its recorded history, where the answer is not the history's. */
    asked(patchId: string, side: PatchSide, replaying: boolean): void;
  };
}

const { patchCoverage } = proxySinks<PatchCoverageSinks>();

export function patched(patchId: string): boolean {
  const result = realPatched(patchId);
  patchCoverage.asked(patchId, result ? 'new' : 'old', workflowInfo().unsafe.isReplaying);
  return result;
}

export function deprecatePatch(patchId: string): void {
  realDeprecatePatch(patchId);
  patchCoverage.asked(patchId, 'new', workflowInfo().unsafe.isReplaying);
}
