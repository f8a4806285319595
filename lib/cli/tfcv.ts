#!/usr/bin/env node
// The `tfcv` executable (package.json "bin"): runs the command line and exits with its code.
// `setup` and `doctor` run without loading the native addon (they repair and describe an
// install whose addon may not load); the other commands load it, and a load failure is
// printed as the one-line cause with the way out. `--help` (and no command) works without
// the addon too: it then lists `setup` and `doctor` and says why the rest is missing.
import { CliIo } from './io';
import { MAINTENANCE_COMMANDS, runMaintenanceCli } from './maintenance_cli';

const argv = process.argv.slice(2);
const HELP = ['--help', '-h', 'help'];
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };

function main(): Promise<number> {
  if (MAINTENANCE_COMMANDS.includes(argv[0])) return runMaintenanceCli(argv, io);
  let runCli: typeof import('./run_cli').runCli;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ runCli } = require('./run_cli') as typeof import('./run_cli'));
  } catch (error) {
    const why = (error as Error)?.message ?? String(error);
    if (argv.length === 0 || HELP.includes(argv[0]))
      return runMaintenanceCli(
        ['--help'],
        io,
        `The other commands (evaluate, merge, demo) need the native addon, which does not load here:\n  ${why}`,
      );
    io.stderr.write(`${why}\n`);
    return Promise.resolve(1);
  }
  return runCli(argv, io);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tfcv: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
