// TF Serving's --model_config_file: a ModelServerConfig in protobuf text format, read by a
// small strict parser of the subset tfcv serves (model_config_list { config { name,
// base_path, model_platform, model_version_policy, version_labels } }). Anything else is an
// error naming the line, column and field, never silently ignored. protobufjs reads .proto
// schemas and JSON, not the text format, hence this parser.
import { ArgumentError } from '../errors';
import type { ModelConfig } from './repository';
import type { VersionPolicy } from './version_policy';

type Value =
  | { kind: 'scalar'; text: string; string: boolean; line: number; col: number }
  | { kind: 'message'; fields: Field[]; line: number; col: number };
interface Field {
  name: string;
  value: Value;
  line: number;
  col: number;
}

interface Token {
  type: 'ident' | 'string' | 'number' | 'punct';
  text: string;
  line: number;
  col: number;
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (msg: string): never => {
    throw new ArgumentError(`${file}:${line}:${i - lineStart + 1}: ${msg}`);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\n') fail('unterminated string');
        if (text[i] === '\\') {
          const n = text[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };
          if (n === undefined || !(n in map)) fail(`unsupported escape \\${n ?? ''} in a string`);
          s += map[n!];
          i += 2;
        } else s += text[i++];
      }
      if (i >= text.length) fail('unterminated string');
      i++;
      tokens.push({ type: 'string', text: s, line, col });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      tokens.push({ type: 'ident', text: m[0], line, col });
      i += m[0].length;
      continue;
    }
    if (/[-0-9]/.test(c)) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(text.slice(i));
      if (m === null) fail(`unexpected '${c}'`);
      tokens.push({ type: 'number', text: m![0], line, col });
      i += m![0].length;
      continue;
    }
    if ('{}<>:;,'.includes(c)) {
      tokens.push({ type: 'punct', text: c, line, col });
      i++;
      continue;
    }
    fail(`unexpected character '${c}'`);
  }
  return tokens;
}

function parseMessage(tokens: Token[], at: { i: number }, close: string | null, file: string): Field[] {
  const fields: Field[] = [];
  for (;;) {
    const t = tokens[at.i];
    if (t === undefined) {
      if (close !== null) throw new ArgumentError(`${file}: unexpected end of file, expected '${close}'`);
      return fields;
    }
    if (t.type === 'punct' && t.text === close) {
      at.i++;
      return fields;
    }
    if (t.type === 'punct' && (t.text === ';' || t.text === ',')) {
      at.i++;
      continue;
    }
    if (t.type !== 'ident')
      throw new ArgumentError(`${file}:${t.line}:${t.col}: expected a field name, got '${t.text}'`);
    at.i++;
    let n = tokens[at.i];
    let colon = false;
    if (n?.type === 'punct' && n.text === ':') {
      colon = true;
      at.i++;
      n = tokens[at.i];
    }
    if (n === undefined) throw new ArgumentError(`${file}:${t.line}:${t.col}: field '${t.text}' has no value`);
    if (n.type === 'punct' && (n.text === '{' || n.text === '<')) {
      at.i++;
      const inner = parseMessage(tokens, at, n.text === '{' ? '}' : '>', file);
      fields.push({
        name: t.text,
        value: { kind: 'message', fields: inner, line: n.line, col: n.col },
        line: t.line,
        col: t.col,
      });
    } else if (colon && n.type !== 'punct') {
      at.i++;
      fields.push({
        name: t.text,
        value: { kind: 'scalar', text: n.text, string: n.type === 'string', line: n.line, col: n.col },
        line: t.line,
        col: t.col,
      });
    } else throw new ArgumentError(`${file}:${n.line}:${n.col}: expected ':' and a value or '{' after '${t.text}'`);
  }
}

function expectFields(fields: Field[], allowed: string[], where: string, file: string): void {
  for (const f of fields)
    if (!allowed.includes(f.name))
      throw new ArgumentError(
        `${file}:${f.line}:${f.col}: ${where}.${f.name} is not supported by tfcv serve (supported: ${allowed.join(', ')})`,
      );
}

function message(f: Field, file: string): Field[] {
  if (f.value.kind !== 'message')
    throw new ArgumentError(`${file}:${f.line}:${f.col}: '${f.name}' must be a message ({ ... })`);
  return f.value.fields;
}

function scalar(f: Field, file: string, kind: 'string' | 'integer'): string | number {
  const v = f.value;
  if (v.kind !== 'scalar')
    throw new ArgumentError(`${file}:${f.line}:${f.col}: '${f.name}' must be a ${kind}, got a message`);
  if (kind === 'string') {
    if (!v.string)
      throw new ArgumentError(`${file}:${v.line}:${v.col}: '${f.name}' must be a quoted string, got ${v.text}`);
    return v.text;
  }
  if (v.string || !/^[0-9]{1,15}$/.test(v.text))
    throw new ArgumentError(`${file}:${v.line}:${v.col}: '${f.name}' must be a non-negative integer, got ${v.text}`);
  return Number(v.text);
}

function once(fields: Field[], name: string, file: string): Field | undefined {
  const found = fields.filter((f) => f.name === name);
  if (found.length > 1) throw new ArgumentError(`${file}:${found[1]!.line}:${found[1]!.col}: '${name}' given twice`);
  return found[0];
}

function readPolicy(f: Field, file: string): VersionPolicy {
  const fields = message(f, file);
  expectFields(fields, ['latest', 'all', 'specific'], 'model_version_policy', file);
  if (fields.length !== 1)
    throw new ArgumentError(
      `${file}:${f.line}:${f.col}: model_version_policy needs exactly one of latest, all, specific`,
    );
  const p = fields[0]!;
  const inner = message(p, file);
  if (p.name === 'all') {
    expectFields(inner, [], 'model_version_policy.all', file);
    return { all: true };
  }
  if (p.name === 'latest') {
    expectFields(inner, ['num_versions'], 'model_version_policy.latest', file);
    const n = once(inner, 'num_versions', file);
    const count = n === undefined ? 1 : (scalar(n, file, 'integer') as number);
    if (count < 1) throw new ArgumentError(`${file}:${n!.line}:${n!.col}: num_versions must be at least 1`);
    return { latest: count };
  }
  expectFields(inner, ['versions'], 'model_version_policy.specific', file);
  const versions = inner.map((x) => scalar(x, file, 'integer') as number);
  if (versions.length === 0)
    throw new ArgumentError(`${file}:${p.line}:${p.col}: specific needs at least one 'versions'`);
  return { specific: versions };
}

/** Parses a ModelServerConfig text proto into model configs (base paths relative to `baseDir`). */
export function parseModelConfigText(text: string, file = 'model config'): ModelConfig[] {
  if (typeof text !== 'string') throw new ArgumentError(`text: expected the config file's text, got ${typeof text}`);
  const top = parseMessage(tokenize(text, file), { i: 0 }, null, file);
  expectFields(top, ['model_config_list'], 'ModelServerConfig', file);
  const list = once(top, 'model_config_list', file);
  if (list === undefined) throw new ArgumentError(`${file}: no model_config_list { config { ... } }`);
  const configs = message(list, file);
  expectFields(configs, ['config'], 'model_config_list', file);
  if (configs.length === 0) throw new ArgumentError(`${file}: model_config_list has no config`);
  return configs.map((c) => {
    const fields = message(c, file);
    expectFields(
      fields,
      ['name', 'base_path', 'model_platform', 'model_version_policy', 'version_labels'],
      'config',
      file,
    );
    const name = once(fields, 'name', file);
    const base = once(fields, 'base_path', file);
    if (name === undefined || base === undefined)
      throw new ArgumentError(`${file}:${c.line}:${c.col}: a config needs name and base_path`);
    const platform = once(fields, 'model_platform', file);
    if (platform !== undefined && scalar(platform, file, 'string') !== 'tensorflow')
      throw new ArgumentError(
        `${file}:${platform.line}:${platform.col}: model_platform '${String(scalar(platform, file, 'string'))}' is not served (only 'tensorflow' SavedModels)`,
      );
    const config: ModelConfig = {
      name: scalar(name, file, 'string') as string,
      basePath: scalar(base, file, 'string') as string,
    };
    const policy = once(fields, 'model_version_policy', file);
    if (policy !== undefined) config.versionPolicy = readPolicy(policy, file);
    const labels: Record<string, number> = {};
    for (const l of fields.filter((f) => f.name === 'version_labels')) {
      const kv = message(l, file);
      expectFields(kv, ['key', 'value'], 'version_labels', file);
      const key = once(kv, 'key', file);
      const value = once(kv, 'value', file);
      if (key === undefined || value === undefined)
        throw new ArgumentError(`${file}:${l.line}:${l.col}: version_labels needs key and value`);
      const k = scalar(key, file, 'string') as string;
      if (k in labels) throw new ArgumentError(`${file}:${key.line}:${key.col}: label '${k}' given twice`);
      labels[k] = scalar(value, file, 'integer') as number;
    }
    if (Object.keys(labels).length > 0) config.versionLabels = labels;
    return config;
  });
}
