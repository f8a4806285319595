// KServe's Open Inference Protocol (v2, as Triton speaks it) over the model repository:
// server and model metadata, health and readiness, and infer in JSON or with the binary
// tensor data extension (Inference-Header-Content-Length: the JSON header comes first, then
// each binary input's bytes in order; outputs come back the same way when asked for).
// Extension: a BYTES input of shape [n] fed to a rank-4 float or uint8 input carries n
// encoded images, decoded and preprocessed by the signature through the batcher.
import type { DType, NumericDType } from '../dtype';
import type { Outputs } from '../model';
import type { TensorSpec } from '../signature';
import { versions as libVersions } from '../stats';
import { HOST_ARRAYS, HostTensor, checkShape, elementCount, fromTensor } from './host_tensor';
import { flatJsonOf, hostFromLeaves, parseJson } from './json_values';
import type { ModelVersion, ServingFeed } from './model_version';
import { ServingRequest, ServingResponse, errorResponse, header, jsonResponse } from './protocol_types';
import type { ModelRepository, VersionSelector } from './repository';
import { ServingError } from './serving_error';
import { DTYPE_OF_V2, V2_DATATYPES, v2TensorMetadata } from './signature_json';

const ROUTE = /^\/v2(?:\/health\/(live|ready)|\/models\/([^/]+)(?:\/versions\/(\d{1,15}))?(\/ready|\/infer)?)?$/;
const HEADER_LENGTH = 'inference-header-content-length';

export interface V2Route {
  kind: 'server' | 'live' | 'ready' | 'model' | 'model-ready' | 'infer';
  model?: string;
  selector: VersionSelector;
}

export function matchV2(path: string): V2Route | null {
  const m = ROUTE.exec(path);
  if (m === null) return null;
  if (m[1] !== undefined) return { kind: m[1] === 'live' ? 'live' : 'ready', selector: {} };
  if (m[2] === undefined) return { kind: 'server', selector: {} };
  let model: string;
  try {
    model = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  const selector: VersionSelector = m[3] === undefined ? {} : { version: Number(m[3]) };
  const kind = m[4] === '/ready' ? 'model-ready' : m[4] === '/infer' ? 'infer' : 'model';
  return { kind, model, selector };
}

export async function handleV2(
  repo: ModelRepository,
  route: V2Route,
  req: ServingRequest,
  observe?: (version: ModelVersion) => void,
): Promise<ServingResponse> {
  try {
    const post = route.kind === 'infer';
    if (post !== (req.method === 'POST'))
      return jsonResponse(405, { error: `use ${post ? 'POST' : 'GET'}` }, { allow: post ? 'POST' : 'GET' });
    switch (route.kind) {
      case 'live':
        return { status: 200, headers: {}, body: '' };
      case 'ready':
        return { status: repo.ready() ? 200 : 400, headers: {}, body: '' };
      case 'server':
        return jsonResponse(200, {
          name: 'tfcv',
          version: libVersions().tfcv,
          extensions: ['binary_tensor_data'],
        });
      case 'model-ready': {
        if (!repo.modelNames().includes(route.model!))
          throw new ServingError('NOT_FOUND', `Request for unknown model: '${route.model}' is not found`);
        return { status: repo.modelReady(route.model!, route.selector.version) ? 200 : 400, headers: {}, body: '' };
      }
      default:
        break;
    }
    const { version, release } = await repo.acquire(route.model!, route.selector);
    try {
      observe?.(version);
      if (route.kind === 'model') return modelMetadata(repo, route.model!, version);
      return await infer(route.model!, version, req);
    } finally {
      release();
    }
  } catch (error) {
    return errorResponse(error);
  }
}

function modelMetadata(repo: ModelRepository, name: string, version: ModelVersion): ServingResponse {
  const model = version.model!;
  const sig = model.signatures[model.defaultSignature]!;
  return jsonResponse(200, {
    name,
    versions: repo
      .status(name)
      .versions.filter((x) => x.state === 'AVAILABLE' || x.evicted)
      .map((x) => String(x.version))
      .reverse(),
    platform: 'tensorflow_savedmodel',
    inputs: Object.values(sig.inputs).map(v2TensorMetadata),
    outputs: Object.values(sig.outputs).map(v2TensorMetadata),
  });
}

interface RequestInput {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  parameters?: Record<string, unknown>;
  data?: unknown;
}

async function infer(name: string, version: ModelVersion, req: ServingRequest): Promise<ServingResponse> {
  const lengthHeader = header(req, HEADER_LENGTH);
  let jsonBytes = req.body;
  let binary: Buffer | null = null;
  if (lengthHeader !== undefined) {
    const n = Number(lengthHeader);
    if (!/^\d{1,12}$/.test(lengthHeader) || n > req.body.length)
      throw new ServingError(
        'INVALID_ARGUMENT',
        `Inference-Header-Content-Length: expected the JSON header's byte count (0..${req.body.length}), got '${lengthHeader}'`,
      );
    jsonBytes = req.body.subarray(0, n);
    binary = req.body.subarray(n);
  }
  const body = parseJson(jsonBytes.toString('utf8'), 'inference request header');
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ServingError('INVALID_ARGUMENT', 'the inference request must be a JSON object');
  const request = body as { id?: unknown; inputs?: unknown; outputs?: unknown; parameters?: Record<string, unknown> };
  const model = version.model!;
  const params = (request.parameters ?? {}) as Record<string, unknown>;
  const signature =
    typeof params.signature_name === 'string' && params.signature_name !== ''
      ? params.signature_name
      : model.defaultSignature;
  if (!Object.hasOwn(model.signatures, signature))
    throw new ServingError('INVALID_ARGUMENT', `parameters.signature_name: unknown signature '${signature}'`);
  const sig = model.signatures[signature]!;
  if (!Array.isArray(request.inputs) || request.inputs.length === 0)
    throw new ServingError('INVALID_ARGUMENT', "'inputs' must be a non-empty list of tensors");
  const feeds: Record<string, ServingFeed> = {};
  let offset = 0;
  for (let i = 0; i < request.inputs.length; i++) {
    const input = request.inputs[i] as RequestInput;
    const what = `inputs[${i}]`;
    if (input === null || typeof input !== 'object')
      throw new ServingError('INVALID_ARGUMENT', `${what}: expected an object`);
    if (typeof input.name !== 'string' || !Object.hasOwn(sig.inputs, input.name))
      throw new ServingError(
        'INVALID_ARGUMENT',
        `${what}.name: unexpected inference input '${String(input.name)}' for model '${name}' (inputs: ${Object.keys(sig.inputs).join(', ')})`,
      );
    if (input.name in feeds) throw new ServingError('INVALID_ARGUMENT', `${what}: input '${input.name}' given twice`);
    const spec = sig.inputs[input.name]!;
    if (!Array.isArray(input.shape) || !input.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new ServingError('INVALID_ARGUMENT', `${what}.shape: expected a list of non-negative integers`);
    const shape = input.shape as number[];
    checkShape(shape, what);
    const dtype = typeof input.datatype === 'string' ? DTYPE_OF_V2[input.datatype] : undefined;
    if (dtype === undefined)
      throw new ServingError('INVALID_ARGUMENT', `${what}.datatype: unknown datatype '${String(input.datatype)}'`);
    const images = dtype === 'string' && spec.dtype !== 'string' && takesImages(spec) && shape.length === 1;
    if (dtype !== spec.dtype && !images)
      throw new ServingError(
        'INVALID_ARGUMENT',
        `${what}: inference input '${input.name}' data-type is '${input.datatype}', but model '${name}' expects '${V2_DATATYPES[spec.dtype as DType] ?? spec.dtype}'`,
      );
    const size = input.parameters?.binary_data_size;
    let host: HostTensor;
    if (size !== undefined) {
      if (binary === null)
        throw new ServingError(
          'INVALID_ARGUMENT',
          `${what}.parameters.binary_data_size given without the Inference-Header-Content-Length header`,
        );
      if (!Number.isInteger(size) || (size as number) < 0 || offset + (size as number) > binary.length)
        throw new ServingError(
          'INVALID_ARGUMENT',
          `${what}.parameters.binary_data_size: ${String(size)} bytes at offset ${offset} run past the ${binary.length} bytes of binary data`,
        );
      if (input.data !== undefined)
        throw new ServingError('INVALID_ARGUMENT', `${what}: give either 'data' or binary_data_size, not both`);
      host = hostFromBinary(binary.subarray(offset, offset + (size as number)), dtype, shape, what);
      offset += size as number;
    } else {
      host = hostFromData(input.data, dtype, shape, what);
    }
    feeds[input.name] = images ? { images: host.data as Buffer[] } : host;
  }
  if (binary !== null && offset !== binary.length)
    throw new ServingError(
      'INVALID_ARGUMENT',
      `the body holds ${binary.length} bytes of binary data, the inputs' binary_data_size add up to ${offset}`,
    );
  const wanted = readRequestedOutputs(request.outputs, sig.outputs, params);
  const outputs = await version.run(feeds, { signature, signal: req.signal, timeoutMs: req.timeoutMs });
  try {
    return inferResponse(name, version, request.id, outputs, wanted);
  } finally {
    for (const t of Object.values(outputs)) t.dispose();
  }
}

const takesImages = (spec: TensorSpec) =>
  spec.shape !== null && spec.shape.length === 4 && (spec.dtype === 'float32' || spec.dtype === 'uint8');

function hostFromData(data: unknown, dtype: DType, shape: number[], what: string): HostTensor {
  if (!Array.isArray(data)) throw new ServingError('INVALID_ARGUMENT', `${what}.data: expected a list`);
  const leaves = (data as unknown[]).flat(shape.length);
  if (leaves.some(Array.isArray))
    throw new ServingError('INVALID_ARGUMENT', `${what}.data: nested deeper than the shape [${shape.join(',')}]`);
  const count = elementCount(shape);
  if (leaves.length !== count)
    throw new ServingError(
      'INVALID_ARGUMENT',
      `${what}: unexpected number of elements: ${leaves.length} in data, shape [${shape.join(',')}] needs ${count}`,
    );
  return hostFromLeaves(leaves, dtype, shape, `${what}.data`);
}

function hostFromBinary(bytes: Buffer, dtype: DType, shape: number[], what: string): HostTensor {
  const count = elementCount(shape);
  if (dtype === 'string') {
    const out: Buffer[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (at + 4 > bytes.length) throw new ServingError('INVALID_ARGUMENT', `${what}: truncated BYTES element length`);
      const n = bytes.readUInt32LE(at);
      if (at + 4 + n > bytes.length)
        throw new ServingError('INVALID_ARGUMENT', `${what}: BYTES element ${out.length} runs past its data`);
      out.push(Buffer.from(bytes.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
    if (out.length !== count)
      throw new ServingError(
        'INVALID_ARGUMENT',
        `${what}: ${out.length} BYTES elements, shape [${shape.join(',')}] needs ${count}`,
      );
    return { dtype, shape, data: out };
  }
  const Ctor = HOST_ARRAYS[dtype as NumericDType];
  if (bytes.length !== count * Ctor.BYTES_PER_ELEMENT)
    throw new ServingError(
      'INVALID_ARGUMENT',
      `${what}: ${bytes.length} bytes of binary data, shape [${shape.join(',')}] of ${V2_DATATYPES[dtype]} needs ${count * Ctor.BYTES_PER_ELEMENT}`,
    );
  const data = new Ctor(count);
  new Uint8Array(data.buffer).set(bytes); // copied: aligned, and the body can go
  return { dtype, shape, data };
}

function readRequestedOutputs(
  value: unknown,
  outputs: Record<string, TensorSpec>,
  params: Record<string, unknown>,
): Array<{ name: string; binary: boolean }> {
  const allBinary = params.binary_data_output === true;
  if (value === undefined) return Object.keys(outputs).map((name) => ({ name, binary: allBinary }));
  if (!Array.isArray(value)) throw new ServingError('INVALID_ARGUMENT', "'outputs' must be a list");
  return value.map((o: { name?: unknown; parameters?: Record<string, unknown> }, i) => {
    if (o === null || typeof o !== 'object' || typeof o.name !== 'string' || !Object.hasOwn(outputs, o.name))
      throw new ServingError(
        'INVALID_ARGUMENT',
        `outputs[${i}].name: unexpected inference output '${String(o?.name)}' (outputs: ${Object.keys(outputs).join(', ')})`,
      );
    const b = o.parameters?.binary_data;
    return { name: o.name, binary: b === undefined ? allBinary : b === true };
  });
}

function inferResponse(
  name: string,
  version: ModelVersion,
  id: unknown,
  outputs: Outputs,
  wanted: Array<{ name: string; binary: boolean }>,
): ServingResponse {
  const chunks: Buffer[] = [];
  const parts = wanted.map(({ name: key, binary }) => {
    const h = fromTensor(outputs[key]!);
    const head = `{"name":${JSON.stringify(key)},"datatype":"${V2_DATATYPES[h.dtype]}","shape":[${h.shape.join(',')}]`;
    if (!binary) return `${head},"data":${flatJsonOf(h)}}`;
    const bytes = binaryOf(h);
    chunks.push(bytes);
    return `${head},"parameters":{"binary_data_size":${bytes.length}}}`;
  });
  const idPart = typeof id === 'string' ? `,"id":${JSON.stringify(id)}` : '';
  const json = `{"model_name":${JSON.stringify(name)},"model_version":"${version.version}"${idPart},"outputs":[${parts.join(',')}]}`;
  if (chunks.length === 0) return jsonResponse(200, json);
  const head = Buffer.from(json, 'utf8');
  return {
    status: 200,
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(head.length) },
    body: Buffer.concat([head, ...chunks]),
  };
}

function binaryOf(h: HostTensor): Buffer {
  if (h.dtype === 'string') {
    const bufs = h.data as Buffer[];
    const out: Buffer[] = [];
    for (const b of bufs) {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length, 0);
      out.push(len, b);
    }
    return Buffer.concat(out);
  }
  const data = h.data as Exclude<HostTensor['data'], Buffer[]>;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
