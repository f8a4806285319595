// Whether TensorFlow runs its oneDNN CPU kernels, and why: the answer changes a model's last
// bits (kernels are chosen by batch size, docs/batching-numerics.md) and its speed, so
// versions() and `tfcv doctor` report it. TensorFlow 2.21 decides once, while its library
// loads (a static initialiser), from
// TF_ENABLE_ONEDNN_OPTS ('0' / 'false' / '1' / 'true', any case), and without it by the CPU:
// on for CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX (tensorflow/core/util/util.cc,
// DefaultOneDnnPolicy). tfcv keeps TensorFlow's default: measured on an AVX-512 VNNI machine
// it is the faster setting (bench/onednn.js, docs/batching-numerics.md).
import fs from 'node:fs';

/** The CPU flags (as /proc/cpuinfo names them) that make TensorFlow turn oneDNN on by default. */
export const ONEDNN_CPU_FLAGS = ['avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_int8', 'amx_bf16'] as const;

export interface OneDnnState {
  /** oneDNN kernels run (TensorFlow's IsMklEnabled()). */
  enabled: boolean;
  /** What decided: the environment variable, or TensorFlow's default for this CPU. */
  source: 'TF_ENABLE_ONEDNN_OPTS' | 'cpu';
  /** The variable's value when it was set (also when TensorFlow ignored it). */
  setting?: string;
  /** Which of ONEDNN_CPU_FLAGS this CPU has. */
  cpuFlags: string[];
  /** Set when TF_ENABLE_ONEDNN_OPTS holds a value TensorFlow ignores. */
  note?: string;
}

/** The flags line of /proc/cpuinfo as a set ('' where there is none: not Linux, or no access). */
export function readCpuFlags(cpuinfo?: string): Set<string> {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      text = '';
    }
  }
  const line = /^flags\s*:(.*)$/m.exec(text);
  return new Set(line ? line[1]!.trim().split(/\s+/) : []);
}

/** TensorFlow's decision for this environment and CPU, computed as TensorFlow computes it. */
export function oneDnnFor(env: Record<string, string | undefined>, cpuFlags: Set<string>): OneDnnState {
  const present = ONEDNN_CPU_FLAGS.filter((f) => cpuFlags.has(f));
  const byCpu = process.platform === 'linux' && present.length > 0;
  const setting = env.TF_ENABLE_ONEDNN_OPTS;
  if (setting === undefined) return { enabled: byCpu, source: 'cpu', cpuFlags: present };
  const word = setting.toLowerCase();
  if (word === '1' || word === 'true')
    return { enabled: true, source: 'TF_ENABLE_ONEDNN_OPTS', setting, cpuFlags: present };
  if (word === '0' || word === 'false')
    return { enabled: false, source: 'TF_ENABLE_ONEDNN_OPTS', setting, cpuFlags: present };
  return {
    enabled: byCpu,
    source: 'cpu',
    setting,
    cpuFlags: present,
    note: `TF_ENABLE_ONEDNN_OPTS=${JSON.stringify(setting)} is not '0', '1', 'true' or 'false': TensorFlow ignores it`,
  };
}

let decided: OneDnnState | null = null;

/**
 * Called just before libtensorflow loads: TensorFlow reads TF_ENABLE_ONEDNN_OPTS then, once,
 * so later changes to the environment change nothing and are not reported.
 */
export function noteOneDnnDecided(): void {
  decided ??= oneDnnFor(process.env, readCpuFlags());
}

/** What TensorFlow runs in this process. */
export function oneDnn(): OneDnnState {
  return decided ?? oneDnnFor(process.env, readCpuFlags());
}

/** One line for `tfcv doctor`: on or off, why, and how to change it. */
export function describeOneDnn(state: OneDnnState): string {
  const onOff = state.enabled ? 'on' : 'off';
  const why =
    state.source === 'TF_ENABLE_ONEDNN_OPTS'
      ? `TF_ENABLE_ONEDNN_OPTS=${state.setting}`
      : state.cpuFlags.length > 0
        ? `TensorFlow's default on a CPU with ${state.cpuFlags.join(', ')}`
        : "TensorFlow's default on a CPU without AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX";
  const change = `set TF_ENABLE_ONEDNN_OPTS=${state.enabled ? 0 : 1} before tfcv is loaded to turn it ${state.enabled ? 'off' : 'on'}`;
  return `${onOff} (${why}${state.note ? `; ${state.note}` : ''}); ${change}`;
}
