// Busy time per pipeline stage. Stages overlap (the next batch decodes while the model
// runs), so the stage times add up to more than the wall time; their ratio shows where
// the time goes.
export type Stage = 'decode' | 'preprocess' | 'run' | 'metrics';

export interface StageTimes {
  decode: number;
  preprocess: number;
  run: number;
  metrics: number;
}

export class StageTimer {
  readonly ms: StageTimes = { decode: 0, preprocess: 0, run: 0, metrics: 0 };

  async time<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.ms[stage] += performance.now() - started;
    }
  }
}
