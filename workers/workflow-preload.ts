// Libraries every workflow imports, loaded ONCE per worker and shared by all cached workflows
// (WorkerOptions.bundlerOptions.preloadModules, see WORKFLOW_BUNDLER_OPTIONS in ./worker.ts). This file is bundled into
// the workflow sandbox: the workflow rules apply (no Node built-ins, no I/O, no environment).
//
// Why: with the reusable V8 context (the SDK default), every module a workflow imports is evaluated again for each
// workflow and kept alive while the workflow is cached, unless it is preloaded. zod alone (imported by
// domain/inspection.ts for the Update payload schemas) then costs about 0.7 MiB of heap per cached workflow, luxon
// (domain/calendar.ts) about 0.07 MiB; preloaded, both are paid once (measured with test/bench/run.ts and a probe of
// 300 cached workflows: 0.91 MiB → 0.17 MiB of heap per inspection).
//
// The SDK deep-freezes preloaded modules right after this file has run. Both libraries fill some shared state lazily,
// on first use (zod: its default locale and memoizer on the first schema constructed, the `allowsEval` probe on the
// first object parse; luxon: nothing that lives on an exported object, its caches are module-local Maps and variables),
// so everything below is used once here, before the freeze. Only stateless libraries belong in this list: never a
// module that keeps per-workflow state (it would leak between workflows).
import { DateTime } from 'luxon';
import { z } from 'zod';

const warmUp = z.object({
  id: z.string().min(1),
  at: z.iso.datetime({ offset: true }).optional(),
  kind: z.enum(['a', 'b']),
  amount: z.number().int().nonnegative(),
  items: z.array(z.object({ text: z.string() })).default([]),
  flag: z.boolean().optional(),
});
warmUp.safeParse({ id: 'x', at: '2026-01-01T00:00:00+08:00', kind: 'a', amount: 1, items: [{ text: 'y' }], flag: true });
warmUp.safeParse({ id: '', kind: 'c', amount: -1.5 }); // the error path: issues formatted with the default (English) locale
DateTime.fromMillis(0, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');
