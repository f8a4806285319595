// The one way an image operation that returns a new Mat is attached to Mat: `name` runs
// off the event loop (the native `nameAsync`, caller's stack kept on errors) and
// `nameSync` inline, both through the same argument reader, so the twins cannot differ.
import { withCallerStack } from '../async_stack';
import { Mat, matHandle } from '../mat';
import { NativeMat } from '../native';
import { nativeImage } from '../native_image';

type NativeOp = (mat: NativeMat, ...args: unknown[]) => NativeMat | Promise<NativeMat>;

/** @internal `read` validates the method's arguments and returns the native ones (after the Mat). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineMatOp(name: string, read: (...args: any[]) => unknown[]): void {
  const ops = nativeImage as unknown as Record<string, NativeOp>;
  const proto = Mat.prototype as unknown as Record<string, unknown>;
  proto[name] = async function (this: Mat, ...args: unknown[]): Promise<Mat> {
    const handle = matHandle(this);
    const nativeArgs = read(...args);
    return new Mat(await withCallerStack(ops[`${name}Async`]!(handle, ...nativeArgs) as Promise<NativeMat>));
  };
  proto[`${name}Sync`] = function (this: Mat, ...args: unknown[]): Mat {
    const handle = matHandle(this);
    return new Mat(ops[name]!(handle, ...read(...args)) as NativeMat);
  };
}
