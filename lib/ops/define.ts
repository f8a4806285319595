// The one way an image operation that returns a new Mat is attached to Mat: `name` runs
// off the event loop (the native async twin, caller's stack kept on errors) and
// `nameSync` inline, both through the same argument reader, so the twins cannot differ.
import { withCallerStack } from '../async_stack';
import { NativeMat, Twin } from '../binding';
import { Mat, matHandle } from '../mat';

/** Mat methods `x` that have a `xSync` twin. */
type TwinMethod = { [K in keyof Mat & string]: `${K}Sync` extends keyof Mat ? K : never }[keyof Mat & string];

/**
 * @internal `read` validates the method's arguments and returns the native ones (after the
 * Mat); `op` is the native twin, e.g. `{ sync: native.resizeSync, async: native.resize }`.
 */
export function defineMatOp<A extends unknown[]>(
  name: TwinMethod,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  read: (...args: any[]) => NoInfer<A>,
  op: Twin<[NativeMat, ...A], NativeMat>,
): void {
  Object.assign(Mat.prototype, {
    [name]: async function (this: Mat, ...args: unknown[]): Promise<Mat> {
      const handle = matHandle(this);
      const nativeArgs = read(...args);
      return new Mat(await withCallerStack(op.async(handle, ...nativeArgs)));
    },
    [`${name}Sync`]: function (this: Mat, ...args: unknown[]): Mat {
      const handle = matHandle(this);
      return new Mat(op.sync(handle, ...read(...args)));
    },
  });
}
