// The `serve` command's flags: TF Serving's names and meanings (underscores included, so
// `--rest_api_port=8501` works as it does for tensorflow_model_server), plus tfcv's own
// (memory budget, eviction policy, image scaling, body limit).
import { Command, Option } from 'commander';
import { CliIo } from './io';
import { integerOption, numberOption } from './options';
import { ServeCommandOptions, serveCommand } from './serve_command';

export function addServeCommand(root: Command, io: CliIo, done: (code: number) => void): void {
  root
    .command('serve')
    .description(
      'serve SavedModels like TF Serving (REST API, KServe v2, image endpoints, Prometheus metrics) from <base_path>/<version>/',
    )
    .option('--rest_api_port <port>', 'HTTP port (0: any free port)', integerOption(0, 65535), 8501)
    .option('--rest_api_host <host>', 'address to listen on', '0.0.0.0')
    .option(
      '--port <port>',
      'gRPC port of TF Serving: accepted, not served (a warning says so)',
      integerOption(0, 65535),
    )
    .option('--model_name <name>', 'name of the one model (with --model_base_path); default "default"')
    .option('--model_base_path <dir>', 'directory of numbered version folders of the one model')
    .option('--model_config_file <file>', 'ModelServerConfig text proto listing several models')
    .option(
      '--file_system_poll_wait_seconds <s>',
      'seconds between scans for new versions (0: no polling)',
      numberOption,
      1,
    )
    .option('--rest_api_timeout_in_ms <ms>', 'deadline of one request (504 beyond)', integerOption(1))
    .option('--tensorflow_intra_op_parallelism <n>', 'TensorFlow intra-op threads (0: default)', integerOption(0, 1024))
    .option('--tensorflow_inter_op_parallelism <n>', 'TensorFlow inter-op threads (0: default)', integerOption(0, 1024))
    .option('--max_batch_size <n>', 'largest batch the batcher forms', integerOption(1, 65536))
    .option('--allowed_batch_sizes <list>', 'comma-separated ascending batch sizes (batches padded up to one)')
    .option('--batch_timeout_micros <us>', 'how long a request waits for company while a batch runs', integerOption(0))
    .option('--memory_budget_bytes <n>', 'most bytes resident across all models and versions', integerOption(1))
    .addOption(
      new Option('--on_evicted <policy>', 'a request for a version unloaded by the budget: load it again, or 503')
        .choices(['load', 'reject'])
        .default('load'),
    )
    .option('--max_body_bytes <n>', 'largest request body (413 beyond)', integerOption(1))
    .addOption(
      new Option('--image_scale <scale>', "encoded images fed to float inputs: 'unit' [0,1] or 'symmetric' [-1,1]")
        .choices(['unit', 'symmetric'])
        .default('unit'),
    )
    .option('--drain_timeout_seconds <s>', 'how long a replaced version may finish its requests', numberOption, 30)
    .action(async (opts: ServeCommandOptions) => done(await serveCommand(opts, io)));
}
