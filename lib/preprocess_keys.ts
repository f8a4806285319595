// The keys of a preprocess spec, declared once (checked against PreprocessSpec by the
// compiler): preprocess, specFromSignature's overrides, run's and the batcher's preprocess.
import { KeyTable, optionKeys } from './option_keys';
import type { PreprocessSpec } from './preprocess_spec';

/** @internal */
export const PREPROCESS_TABLE: KeyTable<PreprocessSpec> = {
  width: true,
  height: true,
  resize: true,
  fill: true,
  interpolation: true,
  channels: true,
  channelOrder: true,
  dtype: true,
  scale: true,
  mean: true,
  std: true,
  layout: true,
  decodeScale: true,
  maxPixels: true,
};

/** @internal */
export const PREPROCESS_KEYS = optionKeys<PreprocessSpec>('preprocess', PREPROCESS_TABLE);
/** @internal */
export const SPEC_OVERRIDES_KEYS = optionKeys<PreprocessSpec>('specFromSignature', PREPROCESS_TABLE);
