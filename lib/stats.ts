// Process-wide counters (all threads): copies made by tfcv and bytes moved, zero-copy
// conversions, native tensors and Mats alive, and native bytes reported to V8.
import { native } from './binding';
import { OneDnnState, oneDnn } from './onednn';

export interface Stats {
  /** Copies made (explicit copies and share/move fallbacks). */
  copies: number;
  bytesCopied: number;
  /** Conversions / creations that aliased memory instead of copying. */
  zeroCopies: number;
  /** Native tensors alive (held by a Tensor, a view, a Mat or a pending job). */
  liveTensors: number;
  /** Native Mat handles alive. */
  liveMats: number;
  /** Native bytes currently reported to V8 as external memory. */
  externalBytes: number;
}

export function stats(): Stats {
  return native.stats();
}

export interface Versions {
  tensorflow: string;
  opencv: string;
  tfcv: string;
  /** Whether TensorFlow runs its oneDNN CPU kernels, and what decided it (lib/onednn.ts). */
  onednn: OneDnnState;
}

export function versions(): Versions {
  // package.json sits outside tsc's rootDir, so it is read at run time rather than imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../package.json') as { version: string };
  return { ...native.versions(), tfcv: pkg.version, onednn: oneDnn() };
}
