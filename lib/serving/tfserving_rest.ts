// TF Serving's REST API over the model repository: model status, metadata with signature
// defs, and predict in row ("instances" -> "predictions") and columnar ("inputs" ->
// "outputs") form, binary strings as {"b64": ...}; errors as {"error": message} with the
// canonical HTTP status. One extension: a {"b64": ...} image fed to a rank-4 float or uint8
// input (a model that does not decode images itself) is decoded and preprocessed by the
// signature, through the version's batcher.
import type { DType } from '../dtype';
import type { Outputs } from '../model';
import type { SignatureInfo, TensorSpec } from '../signature';
import { HostTensor, fromTensor } from './host_tensor';
import { decodeB64, hostFromJson, isB64, jsonOf, parseJson, shapeOf } from './json_values';
import type { ModelVersion, ServingFeed } from './model_version';
import { ServingRequest, ServingResponse, errorResponse, jsonResponse } from './protocol_types';
import type { ModelRepository, VersionSelector } from './repository';
import { ServingError } from './serving_error';
import { signatureDefJson } from './signature_json';
import { classifyOrRegress } from './tfserving_classify';

const ROUTE =
  /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15})|\/labels\/([^/:]+))?(\/metadata|:predict|:classify|:regress)?$/;

export interface TfServingRoute {
  model: string;
  selector: VersionSelector;
  verb: 'status' | 'metadata' | 'predict' | 'classify' | 'regress';
}

/** Parses a /v1/models/... path (query already stripped); null when it is not one. */
export function matchTfServing(path: string): TfServingRoute | null {
  const m = ROUTE.exec(path);
  if (m === null) return null;
  let model: string;
  try {
    model = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  const selector: VersionSelector = {};
  if (m[2] !== undefined) selector.version = Number(m[2]);
  if (m[3] !== undefined) selector.label = decodeURIComponent(m[3]);
  const verb =
    m[4] === undefined ? 'status' : m[4] === '/metadata' ? 'metadata' : (m[4].slice(1) as TfServingRoute['verb']);
  return { model, selector, verb };
}

export async function handleTfServing(
  repo: ModelRepository,
  route: TfServingRoute,
  req: ServingRequest,
  observe?: (version: ModelVersion) => void,
): Promise<ServingResponse> {
  try {
    const wantsPost = route.verb === 'predict' || route.verb === 'classify' || route.verb === 'regress';
    if (wantsPost !== (req.method === 'POST'))
      return jsonResponse(
        405,
        { error: `${route.verb} takes ${wantsPost ? 'POST' : 'GET'}, got ${req.method}` },
        {
          allow: wantsPost ? 'POST' : 'GET',
        },
      );
    if (route.verb === 'status') return status(repo, route);
    const { version, release } = await repo.acquire(route.model, route.selector);
    try {
      observe?.(version);
      if (route.verb === 'metadata') return metadata(route, version);
      const body = parseJson(req.body.toString('utf8'));
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new ServingError('INVALID_ARGUMENT', 'the request body must be a JSON object');
      if (route.verb === 'predict')
        return await predict(version, body as Record<string, unknown>, req.signal, req.timeoutMs);
      return await classifyOrRegress(version, route.verb, body as Record<string, unknown>, req.signal, req.timeoutMs);
    } finally {
      release();
    }
  } catch (error) {
    return errorResponse(error);
  }
}

function status(repo: ModelRepository, route: TfServingRoute): ServingResponse {
  if (!repo.modelNames().includes(route.model))
    throw new ServingError('NOT_FOUND', `Servable not found for request: Latest(${route.model})`);
  const s = repo.status(route.model);
  let versions = s.versions;
  if (route.selector.label !== undefined) {
    const n = s.labels[route.selector.label];
    if (n === undefined)
      throw new ServingError('NOT_FOUND', `Unrecognized servable version label: ${route.selector.label}`);
    versions = versions.filter((x) => x.version === n);
  } else if (route.selector.version !== undefined) {
    versions = versions.filter((x) => x.version === route.selector.version);
  }
  if (versions.length === 0)
    throw new ServingError(
      'NOT_FOUND',
      `Could not find version ${route.selector.version ?? route.selector.label ?? ''} of model ${route.model}`.replace(
        'version  of',
        'any version of',
      ),
    );
  return jsonResponse(200, {
    model_version_status: versions.map((x) => ({
      version: String(x.version),
      state: x.state,
      status: { error_code: x.errorCode, error_message: x.errorMessage },
    })),
  });
}

function metadata(route: TfServingRoute, version: ModelVersion): ServingResponse {
  const model = version.model!;
  const defs: Record<string, unknown> = {};
  for (const [key, sig] of Object.entries(model.signatures)) defs[key] = signatureDefJson(sig);
  return jsonResponse(200, {
    model_spec: { name: route.model, signature_name: '', version: String(version.version) },
    metadata: { signature_def: { signature_def: defs } },
  });
}

function signatureOf(version: ModelVersion, body: Record<string, unknown>): SignatureInfo {
  const model = version.model!;
  const name = body.signature_name ?? model.defaultSignature;
  if (typeof name !== 'string')
    throw new ServingError('INVALID_ARGUMENT', `signature_name: expected a string, got ${typeof name}`);
  const key = name === '' ? model.defaultSignature : name;
  if (!Object.hasOwn(model.signatures, key))
    throw new ServingError('INVALID_ARGUMENT', `Serving signature name: "${key}" not found in signature def`);
  return model.signatures[key]!;
}

// An input fed encoded images: rank 4, float32 or uint8 (the batcher decodes into its row).
const takesImages = (spec: TensorSpec) =>
  spec.shape !== null && spec.shape.length === 4 && (spec.dtype === 'float32' || spec.dtype === 'uint8');

function feedOf(spec: TensorSpec, value: unknown, what: string, batched: boolean): ServingFeed {
  const dtype = spec.dtype as DType;
  if (String(dtype).startsWith('unsupported'))
    throw new ServingError('INVALID_ARGUMENT', `${what}: input dtype ${dtype} cannot be fed over REST`);
  if (dtype !== 'string' && takesImages(spec)) {
    if (isB64(value)) return { images: [decodeB64(value, what)] };
    if (batched && Array.isArray(value) && value.length > 0 && value.every(isB64))
      return { images: value.map((x, i) => decodeB64(x as { b64: string }, `${what}[${i}]`)) };
  }
  return hostFromJson(value, dtype, shapeOf(value, what), what);
}

async function predict(
  version: ModelVersion,
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): Promise<ServingResponse> {
  for (const key of Object.keys(body))
    if (key !== 'signature_name' && key !== 'instances' && key !== 'inputs')
      throw new ServingError('INVALID_ARGUMENT', `unknown key '${key}' (expected signature_name, instances or inputs)`);
  const hasInstances = 'instances' in body;
  const hasInputs = 'inputs' in body;
  if (hasInstances === hasInputs)
    throw new ServingError(
      'INVALID_ARGUMENT',
      hasInstances
        ? "Only one of 'instances' or 'inputs' may be given, not both"
        : "Missing 'inputs' or 'instances' key",
    );
  const sig = signatureOf(version, body);
  const inputKeys = Object.keys(sig.inputs);
  const feeds: Record<string, ServingFeed> = {};
  let rows = -1;
  if (hasInstances) {
    const instances = body.instances;
    if (!Array.isArray(instances) || instances.length === 0)
      throw new ServingError('INVALID_ARGUMENT', "'instances' must be a non-empty list");
    rows = instances.length;
    const named = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x) && !isB64(x);
    if (inputKeys.length === 1 && !instances.some(named)) {
      const key = inputKeys[0]!;
      feeds[key] = stackRows(sig.inputs[key]!, instances, `instances (input '${key}')`);
    } else {
      for (let i = 0; i < instances.length; i++) {
        const inst = instances[i];
        if (!named(inst))
          throw new ServingError(
            'INVALID_ARGUMENT',
            `instances[${i}]: expected an object of named inputs (${inputKeys.join(', ')}), as every instance must be when one is`,
          );
        const keys = Object.keys(inst as object);
        const missing = inputKeys.filter((k) => !keys.includes(k));
        const extra = keys.filter((k) => !inputKeys.includes(k));
        if (missing.length > 0 || extra.length > 0)
          throw new ServingError(
            'INVALID_ARGUMENT',
            `instances[${i}]: ${missing.length > 0 ? `missing input(s) ${missing.join(', ')}` : ''}${missing.length > 0 && extra.length > 0 ? '; ' : ''}${extra.length > 0 ? `unknown input(s) ${extra.join(', ')}` : ''} (signature inputs: ${inputKeys.join(', ')})`,
          );
      }
      for (const key of inputKeys)
        feeds[key] = stackRows(
          sig.inputs[key]!,
          instances.map((inst) => (inst as Record<string, unknown>)[key]),
          `instances (input '${key}')`,
        );
    }
  } else {
    const inputs = body.inputs;
    const isMap = typeof inputs === 'object' && inputs !== null && !Array.isArray(inputs) && !isB64(inputs);
    if (isMap) {
      const keys = Object.keys(inputs);
      for (const key of keys)
        if (!inputKeys.includes(key))
          throw new ServingError(
            'INVALID_ARGUMENT',
            `inputs: unknown input '${key}' (signature inputs: ${inputKeys.join(', ')})`,
          );
      for (const key of inputKeys) {
        if (!keys.includes(key)) throw new ServingError('INVALID_ARGUMENT', `inputs: missing input '${key}'`);
        feeds[key] = feedOf(sig.inputs[key]!, (inputs as Record<string, unknown>)[key], `inputs['${key}']`, true);
      }
    } else {
      if (inputKeys.length !== 1)
        throw new ServingError(
          'INVALID_ARGUMENT',
          `inputs: the signature has ${inputKeys.length} inputs (${inputKeys.join(', ')}); give an object of named inputs`,
        );
      feeds[inputKeys[0]!] = feedOf(sig.inputs[inputKeys[0]!]!, inputs, 'inputs', true);
    }
  }
  const outputs = await version.run(feeds, { signature: sig.key, signal, timeoutMs });
  try {
    return jsonResponse(200, hasInstances ? predictionsJson(outputs, rows) : outputsJson(outputs));
  } finally {
    for (const t of Object.values(outputs)) t.dispose();
  }
}

// Instances stacked on a new first dim; every instance must have the same shape.
function stackRows(spec: TensorSpec, values: unknown[], what: string): ServingFeed {
  if (spec.dtype !== 'string' && takesImages(spec) && values.every(isB64))
    return { images: values.map((x, i) => decodeB64(x as { b64: string }, `${what}[${i}]`)) };
  const rowShape = shapeOf(values[0], `${what}[0]`);
  const shape = [values.length, ...rowShape];
  return hostFromJson(values, spec.dtype as DType, shape, what) as HostTensor;
}

const isBytesName = (key: string) => key.endsWith('_bytes');

function predictionsJson(outputs: Outputs, rows: number): string {
  const entries = Object.entries(outputs).map(([key, t]) => [key, fromTensor(t)] as const);
  for (const [key, h] of entries)
    if (h.shape.length === 0 || h.shape[0] !== rows)
      throw new ServingError(
        'INVALID_ARGUMENT',
        `output '${key}' has shape [${h.shape.join(',')}], not a batch of ${rows} rows: use the columnar 'inputs' format for this signature`,
      );
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    if (entries.length === 1) {
      const [key, h] = entries[0]!;
      const rowShape = h.shape.slice(1);
      parts.push(jsonOf(h, r * rowSize(rowShape), rowShape, isBytesName(key)));
    } else {
      parts.push(
        '{' +
          entries
            .map(([key, h]) => {
              const rowShape = h.shape.slice(1);
              return `${JSON.stringify(key)}:${jsonOf(h, r * rowSize(rowShape), rowShape, isBytesName(key))}`;
            })
            .join(',') +
          '}',
      );
    }
  }
  return `{"predictions":[${parts.join(',')}]}`;
}

function outputsJson(outputs: Outputs): string {
  const entries = Object.entries(outputs).map(([key, t]) => [key, fromTensor(t)] as const);
  if (entries.length === 1)
    return `{"outputs":${jsonOf(entries[0]![1], 0, entries[0]![1].shape, isBytesName(entries[0]![0]))}}`;
  return `{"outputs":{${entries.map(([key, h]) => `${JSON.stringify(key)}:${jsonOf(h, 0, h.shape, isBytesName(key))}`).join(',')}}}`;
}

const rowSize = (rowShape: number[]) => rowShape.reduce((a, b) => a * b, 1);
