// Compile-only check of the metric and evaluate typings: results are typed per metric, the
// option unions reject typos. Run by test/typings.test.js.
import {
  Circularity,
  MeanIoU,
  Metric,
  Tensor,
  Mat,
  evaluate,
  loadSavedModel,
  metricByName,
  folderDataset,
  AvgPixelValue,
  MetricJSON,
  IoUResult,
} from '../../dist';

async function metricsUsage(): Promise<void> {
  const masks: Mat[] = [];
  const probabilities = Tensor.alloc('float32', [2, 64, 64, 1]);
  const ids = Tensor.alloc('uint8', [2, 64, 64]);
  const c = new Circularity({ emptyPolicy: 'skip', threshold: 'auto' });
  const perImage: number[] = await c.update(null, masks);
  const counted: number = c.result().counted;
  const iou = new MeanIoU(2, { ignoreClass: 255, predictions: 'probability' });
  iou.updateSync(ids, probabilities, [1, 2]);
  const r: IoUResult = iou.result();
  const perClass: number[] = r.perClass;
  const json: MetricJSON = iou.toJSON();
  const again: Metric = Metric.fromJSON(json).merge(Metric.fromJSON(JSON.stringify(json)));
  const model = await loadSavedModel('segnet');
  const { samples } = folderDataset('images', { masksDir: 'masks', shard: { index: 1, count: 2 } });
  const result = await evaluate(model, samples, [iou, c, metricByName('dice')], {
    batchSize: 8,
    masks: 'binary',
    onError: 'skip',
    signal: AbortSignal.timeout(1000),
  });
  const imagesPerSecond: number = result.timing.imagesPerSecond;
  // @ts-expect-error emptyPolicy is a literal union
  new Circularity({ emptyPolicy: 'drop' });
  // @ts-expect-error average is 'pixels' | 'batches'
  new AvgPixelValue({ average: 'median' });
  // @ts-expect-error predictions is a literal union
  new MeanIoU(2, { predictions: 'logits' });
  // @ts-expect-error metric names are a literal union
  metricByName('f1');
  // @ts-expect-error masks is 'binary' | 'ids' | 'auto'
  await evaluate(model, samples, [c], { masks: 'rgb' });
  void [perImage, counted, perClass, again, imagesPerSecond];
}
void metricsUsage;
