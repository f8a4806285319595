// The two small models shipped with the package (in test/fixtures/models/, listed in
// package.json "files"): where they are in an installed package and what they take and give,
// so the docs' examples run from an installed package without reading the CLI's flags.
// test/models.test.js checks every field against the loaded models and their meta.json.
import path from 'node:path';

/** One input or output of a bundled model's default signature. */
export interface BundledTensor {
  dtype: 'float32';
  /** -1 for the batch dim (and any other dim the signature leaves open). */
  shape: readonly number[];
  description: string;
}

/** A model that ships with tfcv: load it with loadSavedModel(model.path). */
export interface BundledModel {
  /** Absolute path of the SavedModel directory inside the installed package. */
  path: string;
  task: string;
  signature: 'serving_default';
  inputs: Readonly<Record<string, BundledTensor>>;
  outputs: Readonly<Record<string, BundledTensor>>;
  /** Class names by class id (detection_classes / the classes channel). */
  classNames: readonly string[];
  /** How its input is made: evaluate's default (RGB, pixel / 255) or preprocess with these. */
  preprocess: { width: number; height: number; channelOrder: 'RGB'; scale: number };
}

const MODELS_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'models');
const IMAGE: BundledTensor = {
  dtype: 'float32',
  shape: [-1, 64, 64, 3],
  description: 'RGB images, values in [0, 1] (uint8 / 255)',
};
const PREPROCESS = { width: 64, height: 64, channelOrder: 'RGB', scale: 1 / 255 } as const;

const freeze = <T extends object>(x: T): Readonly<T> => Object.freeze(x);

/** The bundled models: `tfcv.models.segnet` (segmentation) and `tfcv.models.shapedet` (detection). */
export const models: Readonly<{ segnet: BundledModel; shapedet: BundledModel }> = freeze({
  segnet: freeze({
    path: path.join(MODELS_DIR, 'segnet'),
    task: 'binary foreground segmentation of synthetic shapes on noisy gradient backgrounds (64x64)',
    signature: 'serving_default',
    inputs: freeze({ image: IMAGE }),
    outputs: freeze({
      foreground: { dtype: 'float32', shape: [-1, 64, 64, 1], description: 'sigmoid foreground probability in [0, 1]' },
      classes: { dtype: 'float32', shape: [-1, 64, 64, 2], description: 'per-pixel [background, foreground] scores' },
    }),
    classNames: freeze(['background', 'foreground']),
    preprocess: PREPROCESS,
  }),
  shapedet: freeze({
    path: path.join(MODELS_DIR, 'shapedet'),
    task: 'object detection of synthetic shapes (circle, ellipse, rotated square), 1-3 per 64x64 image',
    signature: 'serving_default',
    inputs: freeze({ image: IMAGE }),
    outputs: freeze({
      detection_boxes: {
        dtype: 'float32',
        shape: [-1, 16, -1],
        description: "16 boxes per image, normalized [y1, x1, y2, x2] (boxesFromTensor format 'yxyx', normalized)",
      },
      detection_scores: {
        dtype: 'float32',
        shape: [-1, 16],
        description: 'objectness x class probability, descending',
      },
      detection_classes: {
        dtype: 'float32',
        shape: [-1, 16],
        description: 'class ids as float32 (0 circle, 1 ellipse, 2 square): round them for an index',
      },
    }),
    classNames: freeze(['circle', 'ellipse', 'square']),
    preprocess: PREPROCESS,
  }),
});
