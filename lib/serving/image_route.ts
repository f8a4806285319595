// Image endpoints: POST an encoded image (JPEG, PNG, ...) as the body of
// /v1/models/{m}[/versions/{v}|/labels/{l}]/image and get the answer of the model's task:
// a classifier's top classes, a segmenter's class shares, or a detector's boxes mapped back
// to the posted image's pixels (with ?annotate=1 the image with the boxes drawn, as JPEG).
// The image is decoded and preprocessed by the signature (specFromSignature over the
// model's image spec) straight into its row of the version's batch.
import { imageSize } from 'image-size';
import { boxesFromTensor } from '../detection/boxes_from_tensor';
import type { BoxFormat } from '../detection/boxes';
import '../detection/draw_detections';
import { Mat } from '../mat';
import type { Outputs } from '../model';
import { specFromSignature } from '../preprocess_spec';
import type { SignatureInfo, TensorSpec } from '../signature';
import type { Tensor } from '../tensor';
import type { ModelVersion } from './model_version';
import { ServingRequest, ServingResponse, errorResponse, jsonResponse } from './protocol_types';
import type { ModelRepository, VersionSelector } from './repository';
import { ServingError } from './serving_error';

const ROUTE = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15})|\/labels\/([^/:]+))?\/image$/;

export type ImageTask = 'classifier' | 'segmenter' | 'detector';

/** How a model's outputs are read by the image endpoint (ModelConfig.imageTask). */
export interface ImageTaskOptions {
  /** Default: detected from the outputs (boxes + scores: detector; [N,K]: classifier; [N,H,W,C]: segmenter). */
  task?: ImageTask;
  /** Names by class id. */
  classNames?: readonly string[];
  /** Detector box layout. Default 'yxyx' (TF Object Detection API). */
  boxFormat?: BoxFormat;
  /** Detector boxes in [0, 1] of the model input. Default true. */
  normalizedBoxes?: boolean;
  /** Detections below this score are left out (?min_score= overrides). Default 0.3. */
  minScore?: number;
}

export interface ImageRoute {
  model: string;
  selector: VersionSelector;
  query: URLSearchParams;
}

export function matchImage(path: string, query: string): ImageRoute | null {
  const m = ROUTE.exec(path);
  if (m === null) return null;
  try {
    const selector: VersionSelector = {};
    if (m[2] !== undefined) selector.version = Number(m[2]);
    if (m[3] !== undefined) selector.label = decodeURIComponent(m[3]);
    return { model: decodeURIComponent(m[1]!), selector, query: new URLSearchParams(query) };
  } catch {
    return null;
  }
}

export async function handleImage(
  repo: ModelRepository,
  route: ImageRoute,
  req: ServingRequest,
  task: ImageTaskOptions,
  observe?: (version: ModelVersion) => void,
): Promise<ServingResponse> {
  try {
    if (req.method !== 'POST') return jsonResponse(405, { error: 'POST an image' }, { allow: 'POST' });
    if (req.body.length === 0)
      throw new ServingError('INVALID_ARGUMENT', 'empty body: POST the bytes of a JPEG or PNG image');
    let size: { width: number; height: number };
    try {
      const s = imageSize(req.body);
      if (!s.width || !s.height) throw new Error('no size');
      size = { width: s.width, height: s.height };
    } catch {
      throw new ServingError(
        'INVALID_ARGUMENT',
        'the body is not an image of a known format (JPEG, PNG, BMP, WebP, TIFF)',
      );
    }
    const { version, release } = await repo.acquire(route.model, route.selector);
    try {
      observe?.(version);
      const model = version.model!;
      const sig = model.signatures[model.defaultSignature]!;
      const inputs = Object.entries(sig.inputs);
      if (inputs.length !== 1)
        throw new ServingError(
          'FAILED_PRECONDITION',
          `model '${route.model}': the image endpoint needs a signature with one image input`,
        );
      const [inputKey, inputSpec] = inputs[0]!;
      const outputs = await version.run(
        { [inputKey]: { images: [req.body] } },
        { signal: req.signal, timeoutMs: req.timeoutMs },
      );
      try {
        return await answer(route, version, sig, inputSpec, outputs, size, req.body, task);
      } finally {
        for (const t of Object.values(outputs)) t.dispose();
      }
    } finally {
      release();
    }
  } catch (error) {
    return errorResponse(error);
  }
}

function detectTask(sig: SignatureInfo): ImageTask {
  const keys = Object.keys(sig.outputs);
  if (keys.some((k) => /boxes/.test(k)) && keys.some((k) => /scores/.test(k))) return 'detector';
  if (Object.values(sig.outputs).some((s) => s.shape?.length === 4)) return 'segmenter';
  return 'classifier';
}

async function answer(
  route: ImageRoute,
  version: ModelVersion,
  sig: SignatureInfo,
  input: TensorSpec,
  outputs: Outputs,
  size: { width: number; height: number },
  image: Buffer,
  o: ImageTaskOptions,
): Promise<ServingResponse> {
  const task = o.task ?? detectTask(sig);
  const head = { model: route.model, version: String(version.version), task, image: size };
  const label = (c: number) => (o.classNames?.[c] !== undefined ? { label: o.classNames[c] } : {});
  if (task === 'classifier') {
    const key =
      Object.keys(outputs).find((k) => /prob|score/.test(k) && outputs[k]!.shape.length === 2) ??
      Object.keys(outputs).find((k) => outputs[k]!.shape.length === 2);
    if (key === undefined) throw new ServingError('FAILED_PRECONDITION', 'classifier: no [N,K] output');
    const k = intParam(route.query, 'top_k', 5, 1, 1000);
    const scores = Array.from(outputs[key]!.data as Float32Array);
    const top = scores
      .map((score, c) => ({ class: c, ...label(c), score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
    return jsonResponse(200, { ...head, output: key, classes: top });
  }
  if (task === 'segmenter') {
    const key = Object.keys(outputs).find((k) => outputs[k]!.shape.length === 4);
    if (key === undefined) throw new ServingError('FAILED_PRECONDITION', 'segmenter: no [N,H,W,C] output');
    const t = outputs[key]!;
    const [, h, w, c] = t.shape as [number, number, number, number];
    const data = t.data as Float32Array;
    const counts = new Array<number>(Math.max(2, c)).fill(0);
    for (let p = 0; p < h * w; p++) {
      if (c === 1) counts[data[p]! > 0.5 ? 1 : 0]!++;
      else {
        let best = 0;
        for (let j = 1; j < c; j++) if (data[p * c + j]! > data[p * c + best]!) best = j;
        counts[best]!++;
      }
    }
    return jsonResponse(200, {
      ...head,
      output: key,
      mask: { width: w, height: h },
      classes: counts.map((n, cls) => ({ class: cls, ...label(cls), fraction: n / (h * w) })),
    });
  }
  const find = (re: RegExp) => Object.keys(outputs).find((k) => re.test(k));
  const boxesKey = find(/boxes/);
  const scoresKey = find(/scores/);
  const classesKey = find(/classes/);
  if (boxesKey === undefined || scoresKey === undefined)
    throw new ServingError('FAILED_PRECONDITION', 'detector: needs outputs named *boxes* and *scores*');
  const spec = specFromSignature(input as { dtype: string; shape: number[] }, version.imageSpec);
  const boxes = boxesFromTensor(outputs[boxesKey]! as Tensor, {
    format: o.boxFormat ?? 'yxyx',
    normalized: o.normalizedBoxes ?? true,
    geometry: { spec, source: size },
    batchIndex: 0,
  });
  const scores = outputs[scoresKey]!.data as Float32Array;
  const classes = classesKey ? (outputs[classesKey]!.data as Float32Array) : null;
  const minScore = numberParam(route.query, 'min_score', o.minScore ?? 0.3);
  const detections: Array<{ box: number[]; score: number; class: number; label?: string }> = [];
  for (let i = 0; i < scores.length; i++) {
    if (!(scores[i]! >= minScore)) continue;
    const cls = classes ? Math.round(classes[i]!) : 0;
    detections.push({
      box: Array.from(boxes.subarray(i * 4, i * 4 + 4)),
      score: scores[i]!,
      class: cls,
      ...label(cls),
    });
  }
  if (route.query.get('annotate') === '1') {
    const mat = await Mat.decode(image);
    try {
      mat.drawDetections(
        detections.map((d) => d.box),
        { labels: detections.map((d) => d.class), scores: detections.map((d) => d.score), classNames: o.classNames },
      );
      const jpeg = await mat.encode('jpeg');
      return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: jpeg };
    } finally {
      mat.dispose();
    }
  }
  return jsonResponse(200, { ...head, box_format: 'xywh', detections });
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ServingError('INVALID_ARGUMENT', `?${name}: expected an integer in ${min}..${max}, got '${raw}'`);
  return n;
}

function numberParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ServingError('INVALID_ARGUMENT', `?${name}: expected a number, got '${raw}'`);
  return n;
}
