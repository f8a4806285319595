// evaluate()'s preprocessing stage: a decoded batch becomes the model's feeds (the default
// recipe through the fused preprocess, or options.preprocess) and its truth (the masks
// stacked into class ids at the input's size, or the labels). Checks first that the
// samples carry the same kind of truth as the first batch did, and the kind every metric
// accepts (Metric.truthInputs).
import { ArgumentError } from '../errors';
import { Feeds } from '../feeds';
import { matHandle } from '../mat';
import type { Metric, TruthKind } from '../metrics/metric';
import { Tensor, tensorFromNative } from '../tensor';
import type { SkippedSample } from './evaluate';
import { buildInput } from './input_plan';
import { LoadedSample } from './load_sample';
import { native } from '../binding';
import type { EvaluatePlan } from './plan';
import { releaseLoaded } from './read_batch';

/** A batch ready for the model; release() frees all it holds. */
export interface PreparedBatch {
  ids: string[];
  loaded: LoadedSample[];
  skipped: SkippedSample[];
  feeds: Feeds | null;
  truth: Tensor | null;
  labels: number[] | null;
}

/** @internal */
export function releasePrepared(p: PreparedBatch | null): void {
  if (p === null) return;
  releaseLoaded(p.loaded);
  if (p.feeds) for (const t of Object.values(p.feeds)) if (t instanceof Tensor) t.dispose();
  p.truth?.dispose();
}

/** @internal The masks of a batch as one class-id tensor [N,H,W] at height x width. */
export function maskBatchSync(
  plan: Pick<EvaluatePlan, 'maskMode'>,
  loaded: readonly LoadedSample[],
  height: number,
  width: number,
): Tensor {
  const handles = loaded.map((s, i) => matHandle(s.mask, `masks[${i}]`));
  return tensorFromNative(native.evalMaskBatchSync(handles, { height, width, mode: plan.maskMode }));
}

async function maskBatch(
  plan: Pick<EvaluatePlan, 'maskMode'>,
  loaded: readonly LoadedSample[],
  height: number,
  width: number,
): Promise<Tensor> {
  const handles = loaded.map((s, i) => matHandle(s.mask, `masks[${i}]`));
  return tensorFromNative(await native.evalMaskBatch(handles, { height, width, mode: plan.maskMode }));
}

type BatchTruth = TruthKind | 'none';

function needsTruthError(metric: Metric): ArgumentError {
  return new ArgumentError(
    `metric '${metric.name}' needs truth ${metric.truthInputs.join(' or ')}: give the samples a mask (tfcv evaluate --masks DIR)`,
  );
}

/** @internal Prepares batches one after another; the first batch fixes the kind of truth. */
export class BatchPreparer {
  #truthKind: BatchTruth | null = null;

  constructor(private readonly plan: EvaluatePlan) {}

  async prepare(loaded: LoadedSample[], skipped: SkippedSample[]): Promise<PreparedBatch> {
    const p: PreparedBatch = { ids: loaded.map((s) => s.id), loaded, skipped, feeds: null, truth: null, labels: null };
    if (loaded.length === 0) return p;
    try {
      const kind = this.truthOf(p);
      const { height, width } = await this.buildFeeds(p);
      if (kind === 'masks') p.truth = await maskBatch(this.plan, loaded, height, width);
      if (kind === 'labels') p.labels = loaded.map((s) => s.label!);
      return p;
    } catch (error) {
      releasePrepared(p);
      throw error;
    }
  }

  // The batch's kind of truth, the same as the first batch's and one every metric accepts.
  private truthOf(p: PreparedBatch): BatchTruth {
    const { loaded } = p;
    const withMask = loaded.filter((s) => s.mask !== null).length;
    const withLabel = loaded.filter((s) => s.label !== null).length;
    const kind: BatchTruth = withMask > 0 ? 'masks' : withLabel > 0 ? 'labels' : 'none';
    const first = (this.#truthKind ??= kind);
    if (
      kind !== first ||
      (withMask > 0 && withMask < loaded.length) ||
      (kind === 'labels' && withLabel < loaded.length)
    ) {
      const odd = loaded.find((s) =>
        first === 'masks'
          ? s.mask === null
          : first === 'labels'
            ? s.label === null
            : s.mask !== null || s.label !== null,
      );
      throw new ArgumentError(
        `sample '${odd?.id ?? p.ids[0]}': ${first === 'none' ? 'has a mask or label while the first samples had none' : `has no ${first === 'masks' ? 'mask' : 'label'} while other samples have one`}`,
      );
    }
    const unmet = this.plan.metrics.find((m) => m.usesTruth && (kind === 'none' || !m.truthInputs.includes(kind)));
    if (unmet) throw needsTruthError(unmet);
    return kind;
  }

  // The model's feeds into p; returns the size the truth masks take (the input's).
  private async buildFeeds(p: PreparedBatch): Promise<{ height: number; width: number }> {
    const images = p.loaded.map((s) => s.image);
    const { recipe } = this.plan;
    if (recipe === null) {
      p.feeds = await this.plan.preprocess!(images, { inputs: this.plan.inputs, ids: p.ids });
      return { height: images[0]!.rows, width: images[0]!.cols };
    }
    p.loaded.forEach(({ id, image }) => {
      if (image.dtype !== 'uint8' || ![1, 3, 4].includes(image.channels)) {
        throw new ArgumentError(
          `sample '${id}': image: the default preprocessing reads uint8 images with 1, 3 or 4 channels, got ${image.dtype} with ${image.channels}; pass options.preprocess`,
        );
      }
    });
    const built = await buildInput(recipe, images);
    p.feeds = built.feeds;
    return { height: built.height, width: built.width };
  }
}
