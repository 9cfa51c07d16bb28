#!/usr/bin/env node
'use strict';
const { run, UsageError } = require('../dist/cli/index.js');

run(process.argv.slice(2)).then(
  (stop) => {
    if (!stop) return;
    const shutdown = () => stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    // the sandbox's server does not hold the process open by itself: this does, until a signal
    setInterval(() => undefined, 1 << 30);
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    // 2: the command line was wrong (usage printed); 1: the command ran and failed
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
