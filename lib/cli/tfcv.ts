#!/usr/bin/env node
// The `tfcv` executable (package.json "bin"): runs the command line and exits with its code.
import { runCli } from './run_cli';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tfcv: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
