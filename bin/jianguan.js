#!/usr/bin/env node
// `jianguan` on PATH (npm link / npx): runs the TypeScript CLI through tsx, no build step.
'use strict';
require('tsx/cjs');
require('../cli/main.ts').buildProgram().parseAsync(process.argv).catch((error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
