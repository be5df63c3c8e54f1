// The project's layering, checked by `npm run lint` (dependency-cruiser): rules are pure and below everything, the
// ledger knows only the rules, workflows stay deterministic (rules, their own api modules and activity types), and
// nothing depends on the command line.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part into a module both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the rules as pure functions: it imports nothing of the project but itself.',
      from: { path: '^domain/' },
      to: { path: '^(activities|cli|config|records|workers|workflows|scripts)/' },
    },
    {
      name: 'records-import-domain-only',
      severity: 'error',
      comment: 'The ledger (records/) knows the rules (domain/) and nothing above it.',
      from: { path: '^records/' },
      to: { path: '^(activities|cli|config|workers|workflows|scripts)/' },
    },
    {
      name: 'workflows-import-rules-apis-and-activity-types',
      severity: 'error',
      comment:
        'Workflow code is deterministic: it imports domain/, workflows/ (api modules) and the types of activities and ledger rows only.',
      from: { path: '^workflows/' },
      to: { path: '^(activities|records|config)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-never-import-io',
      severity: 'error',
      comment: 'Workflow code never reaches the CLI, the workers or scripts.',
      from: { path: '^workflows/' },
      to: { path: '^(cli|workers|scripts)/' },
    },
    {
      name: 'outside-workflows-import-api-only',
      severity: 'error',
      comment:
        "Activities, the CLI and the workers use a workflow's api.ts (types, ids, messages, its type's name), never its implementation.",
      from: { path: '^(activities|cli|config|domain|records|workers|scripts)/' },
      to: {
        path: '^workflows/(activities|progress|waiting|index)\\.ts$|^workflows/.+/(workflow|handlers|ladder|money|referrals|steps|state|open)\\.ts$',
      },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'The command line is the top: only itself imports it.',
      from: { path: '^(activities|config|domain|records|workers|workflows|scripts)/' },
      to: { path: '^cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|test|\\.temporal-bin|var)/' },
  },
};
