// Compile-only check of the detection typings: boxes, NMS, drawing, COCO mAP and detection
// evaluation are typed, and the literal unions reject typos. Run by test/typings.test.js.
import {
  Mat,
  MeanAveragePrecision,
  MeanAveragePrecisionResult,
  Tensor,
  boxesFromTensor,
  cocoDataset,
  evaluate,
  loadSavedModel,
  nms,
  nmsSync,
} from '../../dist';

async function detectionUsage(): Promise<void> {
  const t = Tensor.alloc('float32', [1, 10, 4]);
  const boxes: Float32Array = boxesFromTensor(t, {
    format: 'yxyx',
    normalized: true,
    geometry: { resize: 'letterbox', source: { width: 640, height: 480 }, target: { width: 320, height: 320 } },
  });
  const kept: Int32Array = await nms(boxes, new Float32Array(10), {
    iouThreshold: 0.5,
    classes: new Int32Array(10),
    topK: 5,
    eta: 0.9,
  });
  nmsSync([[0, 0, 1, 1]], [0.5], { format: 'xyxy' });
  const image = Mat.zeros(480, 640, { channels: 3 });
  image.drawDetections(boxes, {
    labels: [0, 1],
    scores: [0.9, 0.8],
    classNames: ['a', 'b'],
    colors: [[255, 0, 0]],
    thickness: 2,
  });
  const map = new MeanAveragePrecision({ boxFormat: 'xywh' });
  await map.update(
    [{ boxes: [[0, 0, 10, 10]], classes: [1], iscrowd: [0], area: [null] }],
    [{ boxes, classes: kept, scores: new Float32Array(10) }],
  );
  const r: MeanAveragePrecisionResult = map.result();
  const ap: number = r.ap + r.ap50 + r.perClass[0]!.ar100;
  const data = cocoDataset('instances.json', 'images', { shard: { index: 1, count: 2 } });
  const model = await loadSavedModel('detector');
  const result = await evaluate(model, data.samples, [map], {
    detection: {
      outputs: { boxes: 'detection_boxes', scores: 'detection_scores', format: 'yxyx' },
      resize: 'stretch',
      nms: { iouThreshold: 0.6 },
    },
  });
  void [ap, result.images];
  // @ts-expect-error format is a literal union
  boxesFromTensor(t, { format: 'ltrb' });
  // @ts-expect-error boxFormat is a literal union
  new MeanAveragePrecision({ boxFormat: 'yolo' });
  boxesFromTensor(t, {
    format: 'xyxy',
    // @ts-expect-error resize is a literal union
    geometry: { resize: 'fill', source: { width: 1, height: 1 }, target: { width: 1, height: 1 } },
  });
}
void detectionUsage;
