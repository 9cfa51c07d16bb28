#!/usr/bin/env node
'use strict';
const { run, UsageError } = require('../dist/cli/index.js');

// Signals are handled from the start: a long-running command (the sandbox) is stopped through its stopper, which
// closes the server and removes its temporary folder (it holds a private key). Before there is a stopper, or on a
// second signal, the process exits at once; the sandbox's exit hook still removes the folder then.
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let stop;
let stopping = false;
function shutdown(signal) {
  if (!stop || stopping) process.exit(SIGNALS[signal]);
  stopping = true;
  stop().then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
for (const signal of Object.keys(SIGNALS)) process.on(signal, shutdown);

run(process.argv.slice(2)).then(
  (stopper) => {
    if (!stopper) {
      for (const signal of Object.keys(SIGNALS)) process.off(signal, shutdown);
      return;
    }
    stop = stopper;
    // the sandbox's server does not hold the process open by itself: this does, until a signal
    setInterval(() => undefined, 1 << 30);
  },
  (error) => {
    for (const signal of Object.keys(SIGNALS)) process.off(signal, shutdown);
    console.error(error instanceof Error ? error.message : error);
    // 2: the command line was wrong (usage printed); 1: the command ran and failed
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
