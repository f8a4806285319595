// How evaluate() turns decoded images into the model's input when the caller gives no
// `preprocess`: from the signature's one 4-D input (NHWC, 1 or 3 channels, float32 or uint8)
// — resize to its H x W (the first image's size when the model accepts any), RGB order and
// pixel / 255 for float inputs (the Keras convention; both are options). The batch is built
// by the one fused preprocess (lib/preprocess.ts, binding/bridge/preprocess.cc) with the two
// settings that keep evaluate()'s inputs equal to a Python pipeline's: an IEEE division by
// the divisor (not a multiply by its inverse, which differs in the last bit for half of the
// byte values) and INTER_AREA for images that shrink (cv2's advice), INTER_LINEAR otherwise.
import { withCallerStack } from '../async_stack';
import { ArgumentError } from '../errors';
import { Feeds } from '../feeds';
import { Mat, matHandle } from '../mat';
import { native } from '../binding';
import { nativeSpec, resolveSpec } from '../preprocess_spec';
import { TensorSpec } from '../signature';
import { Tensor, tensorFromNative } from '../tensor';

export interface InputRecipe {
  key: string;
  /** null: the model accepts any size, the batch takes its first image's. */
  height: number | null;
  width: number | null;
  channels: 1 | 3;
  order: 'rgb' | 'bgr';
  dtype: 'float32' | 'uint8';
  divisor: number;
}

/** @internal */
export function defaultRecipe(inputs: Record<string, TensorSpec>, order: 'rgb' | 'bgr', divisor: number): InputRecipe {
  const keys = Object.keys(inputs);
  if (keys.length !== 1) {
    throw new ArgumentError(
      `preprocess: the signature has ${keys.length} inputs (${keys.join(', ')}); pass options.preprocess to build the feeds`,
    );
  }
  const key = keys[0]!;
  const spec = inputs[key]!;
  const shape = spec.shape;
  if (shape === null || shape.length !== 4 || (shape[3] !== 1 && shape[3] !== 3)) {
    throw new ArgumentError(
      `preprocess: input '${key}' is ${spec.dtype} [${shape?.join(',') ?? '?'}]; the default preprocessing feeds NHWC images with 1 or 3 channels, pass options.preprocess`,
    );
  }
  if (spec.dtype !== 'float32' && spec.dtype !== 'uint8') {
    throw new ArgumentError(
      `preprocess: input '${key}' is ${spec.dtype}; the default preprocessing feeds float32 or uint8, pass options.preprocess`,
    );
  }
  return {
    key,
    height: shape[1]! > 0 ? shape[1]! : null,
    width: shape[2]! > 0 ? shape[2]! : null,
    channels: shape[3] as 1 | 3,
    order,
    dtype: spec.dtype,
    divisor,
  };
}

/** @internal The input tensor for a batch of decoded images (uint8, 1, 3 or 4 channels: the caller checks). */
export async function buildInput(
  recipe: InputRecipe,
  images: Mat[],
): Promise<{ feeds: Feeds; tensor: Tensor; height: number; width: number }> {
  const height = recipe.height ?? images[0]!.rows;
  const width = recipe.width ?? images[0]!.cols;
  const spec = nativeSpec(
    resolveSpec({
      width,
      height,
      channels: recipe.channels,
      channelOrder: recipe.order === 'rgb' ? 'RGB' : 'BGR',
      dtype: recipe.dtype,
      interpolation: 'linear',
    }),
  );
  if (recipe.dtype === 'float32') spec.divisor = recipe.divisor;
  spec.shrinkInterpolation = 'area';
  const handles = images.map((m, i) => matHandle(m, `images[${i}]`));
  const tensor = tensorFromNative(await withCallerStack(native.preprocess(handles, spec)));
  return { feeds: { [recipe.key]: tensor }, tensor, height, width };
}
