// evaluate()'s reading stage: the next batchSize samples from the dataset, read and decoded
// with at most `concurrency` in flight, in dataset order. A failure stops new decodes; the
// one reported is the first in dataset order (every earlier sample had started), so the
// same bad file is named whatever the timing. With onError 'skip' a failing sample is
// listed instead.
import type { SkippedSample } from './evaluate';
import { LoadedSample, loadSample } from './load_sample';
import type { EvaluatePlan } from './plan';
import { Sample } from './sample';

export interface ReadBatch {
  loaded: LoadedSample[];
  skipped: SkippedSample[];
}

export interface Numbered {
  sample: Sample;
  index: number;
}

/** @internal Releases the decoded images a batch owns. */
export function releaseLoaded(loaded: readonly LoadedSample[]): void {
  for (const s of loaded) for (const m of s.owned) m.dispose();
}

function skippedId(sample: Sample, index: number): string {
  return sample && typeof sample === 'object' && typeof sample.id === 'string'
    ? sample.id
    : typeof sample?.image === 'string'
      ? sample.image
      : String(index);
}

/** @internal Reads the dataset batch by batch: take() the next samples (none when exhausted), then load() them. */
export class BatchReader {
  #nextIndex = 0;
  #exhausted = false;

  constructor(private readonly plan: Pick<EvaluatePlan, 'iterator' | 'batchSize' | 'concurrency' | 'onError'>) {}

  async take(): Promise<Numbered[]> {
    const items: Numbered[] = [];
    while (items.length < this.plan.batchSize && !this.#exhausted) {
      const r = await this.plan.iterator.next();
      if (r.done) this.#exhausted = true;
      else items.push({ sample: r.value, index: this.#nextIndex++ });
    }
    return items;
  }

  async load(items: Numbered[]): Promise<ReadBatch> {
    const slots: Array<LoadedSample | SkippedSample | undefined> = new Array(items.length);
    const failures: Array<{ at: number; error: unknown }> = [];
    let cursor = 0;
    const worker = async () => {
      while (cursor < items.length && failures.length === 0) {
        const i = cursor++;
        const { sample, index } = items[i]!;
        try {
          slots[i] = await loadSample(sample, index);
        } catch (error) {
          if (this.plan.onError === 'skip')
            slots[i] = { id: skippedId(sample, index), error: (error as Error).message };
          else failures.push({ at: i, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.plan.concurrency, items.length) }, worker));
    const loaded = slots.filter((s): s is LoadedSample => s !== undefined && 'image' in s);
    if (failures.length > 0) {
      releaseLoaded(loaded);
      throw failures.reduce((a, b) => (b.at < a.at ? b : a)).error;
    }
    return { loaded, skipped: slots.filter((s): s is SkippedSample => s !== undefined && !('image' in s)) };
  }
}
