// The project's layering, checked by `npm run lint` (dependency-cruiser): rules are pure and below everything, the
// ledger knows only the rules, workflows stay deterministic (rules, their own api modules and activity types), the
// payload codec sits on the settings alone, and nothing depends on the command line.
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
      to: { path: '^(activities|cli|codec|config|records|workers|workflows|scripts)/' },
    },
    {
      name: 'records-import-domain-only',
      severity: 'error',
      comment: 'The ledger (records/) knows the rules (domain/) and nothing above it.',
      from: { path: '^records/' },
      to: { path: '^(activities|cli|codec|config|workers|workflows|scripts)/' },
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
      comment: 'Workflow code never reaches the CLI, the workers, the payload codec (it runs outside the sandbox) or scripts.',
      from: { path: '^workflows/' },
      to: { path: '^(cli|codec|workers|scripts)/' },
    },
    {
      name: 'codec-imports-settings-only',
      severity: 'error',
      comment:
        'The payload codec (codec/) is built from the runtime settings alone, so every client and worker can use it: it imports config/ and itself.',
      from: { path: '^codec/' },
      to: { path: '^(activities|cli|domain|records|workers|workflows|scripts)/' },
    },
    {
      name: 'settings-below-codec',
      severity: 'error',
      comment: 'config/ validates settings and is read by the codec: it never imports codec/ (no cycle through the keys).',
      from: { path: '^config/' },
      to: { path: '^codec/' },
    },
    {
      name: 'outside-workflows-import-api-only',
      severity: 'error',
      comment:
        "Activities, the CLI and the workers use a workflow's api.ts (types, ids, messages, its type's name), never its implementation.",
      from: { path: '^(activities|cli|codec|config|domain|records|workers|scripts)/' },
      to: {
        path: '^workflows/(activities|fan-out|progress|waiting|index)\\.ts$|^workflows/.+/(workflow|handlers|ladder|money|referrals|steps|state|open)\\.ts$',
      },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'The command line is the top: only itself imports it.',
      from: { path: '^(activities|codec|config|domain|records|workers|workflows|scripts)/' },
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
