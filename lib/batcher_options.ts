// The declared keys of the batcher's two options objects (model.batcher(options) and
// batcher.run(feeds, options)), kept beside batcher.ts so that the key tables and their
// messages do not grow the batcher itself.
import type { BatcherOptions, BatchRunOptions } from './batcher';
import { optionKeys } from './option_keys';
import type { PreprocessSpec } from './preprocess_spec';
import { PREPROCESS_TABLE } from './preprocess_keys';

/** @internal */
export const BATCHER_KEYS = optionKeys<BatcherOptions>('model.batcher', {
  maxBatchSize: true,
  maxDelayMs: true,
  maxQueue: true,
  allowedBatchSizes: true,
  warmup: true,
  signature: true,
  outputs: true,
  preprocess: true,
  concurrency: true,
});

/** @internal The spec over the signature's that model.batcher({ preprocess }) takes. */
export const BATCHER_PREPROCESS_KEYS = optionKeys<PreprocessSpec>(
  'model.batcher (options.preprocess)',
  PREPROCESS_TABLE,
);

/** @internal */
export const BATCH_RUN_KEYS = optionKeys<BatchRunOptions>(
  'batcher.run',
  { signal: true, timeoutMs: true },
  {
    preprocess:
      'a batcher preprocesses with the spec it was made with: model.batcher({ preprocess: { scale: 1 / 255, ... } }), then batcher.run({ image: bytes })',
    outputs: 'a batcher fetches the outputs it was made with: model.batcher({ outputs: [...] })',
    signature: 'a batcher runs the signature it was made with: model.batcher({ signature })',
  },
);
