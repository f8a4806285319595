// TF Serving's :classify and :regress: JSON examples (plus shared "context" features) become
// serialized tf.Example protos fed to the signature's string input, for signatures whose
// method is tensorflow/serving/classify or /regress. JSON numbers that are all integers make
// an int64_list, any fraction a float_list (TF Serving reads "1.0" as a float; JSON.parse
// cannot tell), strings and {"b64": ...} a bytes_list.
import type { ModelVersion } from './model_version';
import { decodeB64, isB64, jsonOf } from './json_values';
import { fromTensor } from './host_tensor';
import { ServingResponse, jsonResponse } from './protocol_types';
import { ServingError } from './serving_error';
import { Example } from './serving_protos';

const METHODS = { classify: 'tensorflow/serving/classify', regress: 'tensorflow/serving/regress' } as const;

export async function classifyOrRegress(
  version: ModelVersion,
  verb: 'classify' | 'regress',
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
  timeoutMs?: number,
): Promise<ServingResponse> {
  for (const key of Object.keys(body))
    if (key !== 'signature_name' && key !== 'context' && key !== 'examples')
      throw new ServingError('INVALID_ARGUMENT', `unknown key '${key}' (expected signature_name, context or examples)`);
  const model = version.model!;
  const name =
    typeof body.signature_name === 'string' && body.signature_name !== ''
      ? body.signature_name
      : model.defaultSignature;
  const sig = Object.hasOwn(model.signatures, name) ? model.signatures[name]! : undefined;
  if (sig === undefined)
    throw new ServingError('INVALID_ARGUMENT', `Serving signature name: "${name}" not found in signature def`);
  if (sig.methodName !== METHODS[verb])
    throw new ServingError(
      'INVALID_ARGUMENT',
      `Expected ${verb === 'classify' ? 'classification' : 'regression'} signature method_name to be ${METHODS[verb]}. Was: ${sig.methodName}`,
    );
  const inputKeys = Object.keys(sig.inputs);
  if (inputKeys.length !== 1 || sig.inputs[inputKeys[0]!]!.dtype !== 'string')
    throw new ServingError(
      'FAILED_PRECONDITION',
      `signature '${name}' must have one string input of serialized tf.Example`,
    );
  const examples = body.examples;
  if (!Array.isArray(examples) || examples.length === 0)
    throw new ServingError('INVALID_ARGUMENT', "'examples' must be a non-empty list of objects");
  const context = body.context === undefined ? {} : featureObject(body.context, 'context');
  const serialized = examples.map((ex, i) => {
    const own = featureObject(ex, `examples[${i}]`);
    for (const key of Object.keys(own))
      if (key in context)
        throw new ServingError(
          'INVALID_ARGUMENT',
          `examples[${i}].${key}: a feature of the context must not appear in examples`,
        );
    return Buffer.from(Example.encode(Example.fromObject({ features: { feature: { ...context, ...own } } })).finish());
  });
  const outputs = await version.run(
    { [inputKeys[0]!]: { dtype: 'string', shape: [serialized.length], data: serialized } },
    { signature: name, signal, timeoutMs },
  );
  try {
    const n = serialized.length;
    if (verb === 'regress') {
      const out = outputs.outputs ?? Object.values(outputs)[0];
      if (out === undefined) throw new ServingError('FAILED_PRECONDITION', `signature '${name}' has no output`);
      const h = fromTensor(out);
      return jsonResponse(200, `{"results":${jsonOf(h, 0, [n])}}`);
    }
    const scores = outputs.scores ? fromTensor(outputs.scores) : null;
    const classes = outputs.classes ? fromTensor(outputs.classes) : null;
    const k = (scores ?? classes)?.shape[1] ?? 0;
    const rows: string[] = [];
    for (let r = 0; r < n; r++) {
      const pairs: string[] = [];
      for (let j = 0; j < k; j++) {
        const label = classes ? JSON.stringify((classes.data as Buffer[])[r * k + j]!.toString('utf8')) : `"${j}"`;
        const score = scores ? jsonOf(scores, r * k + j, []) : '0';
        pairs.push(`[${label},${score}]`);
      }
      rows.push(`[${pairs.join(',')}]`);
    }
    return jsonResponse(200, `{"result":[${rows.join(',')}]}`);
  } finally {
    for (const t of Object.values(outputs)) t.dispose();
  }
}

function featureObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ServingError('INVALID_ARGUMENT', `${what}: expected an object of features`);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const list = Array.isArray(raw) ? raw : [raw];
    const at = `${what}.${key}`;
    if (list.length > 0 && list.every((x) => typeof x === 'number')) {
      out[key] = list.every((x) => Number.isInteger(x))
        ? { int64_list: { value: list } }
        : { float_list: { value: list } };
    } else if (list.every((x) => typeof x === 'string' || isB64(x))) {
      out[key] = {
        bytes_list: {
          value: list.map((x, i) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : decodeB64(x, `${at}[${i}]`))),
        },
      };
    } else {
      throw new ServingError(
        'INVALID_ARGUMENT',
        `${at}: expected numbers, strings or {"b64": ...} values (one kind per feature)`,
      );
    }
  }
  return out;
}
