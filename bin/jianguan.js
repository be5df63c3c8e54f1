#!/usr/bin/env node
// `jianguan` on PATH (npm link / npx): runs the TypeScript CLI through tsx, no build step.
'use strict';
require('tsx/cjs');
// `jianguan … | head`: a reader that closes the pipe early ends the command quietly (cli/output.ts).
require('../cli/output.ts').exitQuietlyOnClosedOutput();
require('../cli/main.ts')
  .buildProgram()
  .parseAsync(process.argv)
  .catch((error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
