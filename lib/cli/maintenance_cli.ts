// The commands that look after the installation itself (`setup`, `doctor`). They must run when
// the native addon cannot load, so this module and the commands it registers never import
// the addon at load time; bin/tfcv (tfcv.ts) runs them without loading the rest of the CLI.
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli_error';
import { doctorCommand } from './doctor_command';
import { CliIo } from './io';
import { SetupCommandOptions, setupCommand } from './setup_command';

export const MAINTENANCE_COMMANDS = ['setup', 'doctor'];

/** Adds `setup` and `doctor` to a commander program. */
export function addMaintenanceCommands(root: Command, io: CliIo, done: (code: number) => void): void {
  root
    .command('setup')
    .description(
      'check the installation and repair it (idempotent; nothing to do for a working install): re-copy a damaged libtensorflow, place TFCV_LIBTENSORFLOW_DIR, build from source if needed',
    )
    .option(
      '--build-from-source',
      'build the addon from source against the system OpenCV even when the prebuilt binary is installed',
    )
    .option('--rebuild', 'recompile the source build')
    .action(async (opts: SetupCommandOptions) => done(await setupCommand(opts, io)));
  root
    .command('doctor')
    .description('print which binary, libtensorflow, OpenCV, glibc and Node-API this installation uses')
    .action(async () => done(await doctorCommand(io)));
}

/**
 * Runs `tfcv setup|doctor ...` without the rest of the command line (which loads the addon).
 * `note`: a line printed after the help (why the other commands are not listed).
 */
export async function runMaintenanceCli(argv: readonly string[], io: CliIo, note?: string): Promise<number> {
  let code = EXIT_USAGE;
  const root = new Command('tfcv')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  addMaintenanceCommands(root, io, (c) => (code = c));
  if (note) root.addHelpText('after', `\n${note}`);
  try {
    await root.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof CliError) {
      io.stderr.write(`tfcv: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`tfcv: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
