// Workflow ids are business keys (DESIGN §5): one run per key, ever. A start under a key whose workflow has already
// closed is refused like one whose workflow still runs; Temporal's default would start a second run and redo finished
// work (a retried fan-out page reopening inspections that had ended). Pure, so activities and the CLI share it.
export const ONE_RUN_PER_KEY = { workflowIdReusePolicy: 'REJECT_DUPLICATE' } as const;
