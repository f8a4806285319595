// How evaluate() turns decoded images into the model's input when the caller gives no
// `preprocess`: from the signature's one 4-D input (NHWC, 1 or 3 channels, float32 or uint8)
// — resize to its H x W (the first image's size when the model accepts any), RGB order and
// pixel / 255 for float inputs (the Keras convention; both are options).
import { ArgumentError } from '../errors';
import { Feeds } from '../feeds';
import { Mat, matHandle } from '../mat';
import { TensorSpec } from '../signature';
import { Tensor, tensorFromNative } from '../tensor';
import { evaluateNative, NativeInputSpec } from './native_evaluate';

export interface InputRecipe {
  key: string;
  spec: Omit<NativeInputSpec, 'height' | 'width'> & { height: number | null; width: number | null };
}

/** @internal */
export function defaultRecipe(inputs: Record<string, TensorSpec>, order: 'rgb' | 'bgr', divisor: number): InputRecipe {
  const keys = Object.keys(inputs);
  if (keys.length !== 1) {
    throw new ArgumentError(`preprocess: the signature has ${keys.length} inputs (${keys.join(', ')}); pass options.preprocess to build the feeds`);
  }
  const key = keys[0]!;
  const spec = inputs[key]!;
  const shape = spec.shape;
  if (shape === null || shape.length !== 4 || (shape[3] !== 1 && shape[3] !== 3)) {
    throw new ArgumentError(`preprocess: input '${key}' is ${spec.dtype} [${shape?.join(',') ?? '?'}]; the default preprocessing feeds NHWC images with 1 or 3 channels, pass options.preprocess`);
  }
  if (spec.dtype !== 'float32' && spec.dtype !== 'uint8') {
    throw new ArgumentError(`preprocess: input '${key}' is ${spec.dtype}; the default preprocessing feeds float32 or uint8, pass options.preprocess`);
  }
  return {
    key,
    spec: {
      height: shape[1]! > 0 ? shape[1]! : null,
      width: shape[2]! > 0 ? shape[2]! : null,
      channels: shape[3]!,
      order,
      dtype: spec.dtype,
      divisor,
    },
  };
}

/** @internal The input tensor for a batch of decoded images. */
export async function buildInput(recipe: InputRecipe, images: Mat[]): Promise<{ feeds: Feeds; tensor: Tensor; height: number; width: number }> {
  const height = recipe.spec.height ?? images[0]!.rows;
  const width = recipe.spec.width ?? images[0]!.cols;
  const handles = images.map((m, i) => matHandle(m, `images[${i}]`));
  const tensor = tensorFromNative(await evaluateNative.evalInputBatchAsync(handles, { ...recipe.spec, height, width }));
  return { feeds: { [recipe.key]: tensor }, tensor, height, width };
}
