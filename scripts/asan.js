#!/usr/bin/env node
// The sanitizer run (`npm run test:asan`): builds the addon with AddressSanitizer and UBSan
// into build-asan/ (CMake option TFCV_SANITIZE, separate from the normal build/), then runs
// the mocha suite and the fixed-seed fuzz smoke against it, with libasan preloaded into
// node (the addon is a plugin of an uninstrumented executable, so the runtime must come
// first) and the binary chosen through TFCV_BINARY_PATH. Any ASan report or UBSan finding
// ends the process with an error, so a clean run is exit code 0.
//
//   node scripts/asan.js build        only build build-asan/Release/tfcv.node
//   node scripts/asan.js test [...]   bring the build up to date, then mocha [...] (the fuzz smoke is part of it)
//   node scripts/asan.js env          print the environment a manual run needs
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const binary = path.join(root, 'build-asan/Release/tfcv.node');

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    process.stderr.write(`asan: ${path.basename(cmd)} ${args.join(' ')} failed (${r.signal ?? `exit ${r.status}`})\n`);
    process.exit(r.status || 1);
  }
}

function build() {
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  const parallel = process.env.TFCV_BUILD_JOBS || String(require('node:os').availableParallelism());
  run(process.execPath, [cmakeJs, 'build', '--out', 'build-asan', '--CDTFCV_SANITIZE=ON', '--log-level', 'warn'], {
    ...process.env,
    CMAKE_BUILD_PARALLEL_LEVEL: parallel,
  });
}

function sanitizerEnv() {
  // gcc's own runtime, the one the addon was linked against (-fsanitize=address).
  const libasan = fs.realpathSync(execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim());
  return {
    ...process.env,
    LD_PRELOAD: libasan,
    TFCV_BINARY_PATH: binary,
    // detect_leaks=0: V8 and TensorFlow keep process-lifetime allocations LeakSanitizer reports.
    // allocator_may_return_null=1: an impossible allocation is std::bad_alloc (LimitError), as
    // without ASan, instead of an ASan abort. Small quarantine: the leak tests bound RSS.
    ASAN_OPTIONS:
      'detect_leaks=0:allocator_may_return_null=1:quarantine_size_mb=64:detect_odr_violation=0:halt_on_error=1:print_summary=1',
    UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
  };
}

const [command = 'test', ...rest] = process.argv.slice(2);
if (command === 'build') {
  build();
} else if (command === 'env') {
  const env = sanitizerEnv();
  for (const k of ['LD_PRELOAD', 'TFCV_BINARY_PATH', 'ASAN_OPTIONS', 'UBSAN_OPTIONS'])
    process.stdout.write(`export ${k}='${env[k]}'\n`);
} else if (command === 'test') {
  // Always brought up to date (an incremental build: seconds when nothing changed). A stale
  // sanitized binary would test yesterday's code against today's facade.
  build();
  const env = sanitizerEnv();
  // The suite, the fuzz smoke included (test/fuzz-smoke.test.js: its child processes inherit
  // this environment, so they load the sanitized binary too).
  run(process.execPath, [require.resolve('mocha/bin/mocha.js'), ...rest], env);
} else {
  process.stderr.write(`asan: unknown command '${command}' (build | test | env)\n`);
  process.exit(2);
}
