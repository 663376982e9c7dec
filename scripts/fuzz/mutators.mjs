// Mutations of untrusted inputs: raw bytes (what a damaged or hand-crafted file holds)
// and JSON trees (what gets past the parser and reaches the checks behind it).

/** Names that break code which indexes plain objects by untrusted text. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
];

/** Numbers at the edges of the checks: signs, integer limits, floats, huge counts. */
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  2,
  3,
  7,
  8,
  15,
  16,
  31,
  32,
  255,
  256,
  1023,
  1024,
  4096,
  65535,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 63,
  2 ** 64,
  1e308,
  -1e308,
  1.5,
  0.5,
  1e-300,
];

const STRINGS = [
  '',
  'a',
  'F32',
  'F16',
  'BF16',
  'I64',
  'F64',
  'U8',
  'BOOL',
  'f32',
  'gelu',
  'silu',
  'gelu_new',
  'relu',
  'default',
  'yarn',
  'linear',
  'llama',
  'gpt2',
  'None',
  ':',
  '/',
  '..',
  '../..',
  '\0',
  '\u0000x',
  '\u202e',
  '\ud800',
  '\u{1f600}',
  '\r\n\u001b[2J',
  'model.safetensors',
  '../model.safetensors',
  'model-00001-of-00002.safetensors',
  'x'.repeat(300),
  ...PROTOTYPE_NAMES,
];

/** Keys the readers look for, so that added members reach their checks. */
const KEYS = [
  'architectures',
  'model_type',
  'vocab_size',
  'hidden_size',
  'num_hidden_layers',
  'n_layer',
  'n_embd',
  'n_head',
  'num_attention_heads',
  'num_key_value_heads',
  'intermediate_size',
  'max_position_embeddings',
  'n_positions',
  'tie_word_embeddings',
  'rope_scaling',
  'rope_theta',
  'hidden_act',
  'sliding_window',
  'eos_token_id',
  'bad_words_ids',
  'repetition_penalty',
  'no_repeat_ngram_size',
  'suppress_tokens',
  'begin_suppress_tokens',
  'forced_bos_token_id',
  'forced_eos_token_id',
  'do_sample',
  'num_beams',
  '_from_model_config',
  'weight_map',
  '__metadata__',
  'dtype',
  'shape',
  'data_offsets',
];

/** A value that is not what a field expects (or just barely is). */
export function randomValue(rng, depth = 0) {
  switch (rng.int(depth > 2 ? 3 : 8)) {
    case 0:
      return rng.pick(NUMBERS);
    case 1:
      return rng.pick(STRINGS);
    case 2:
      return rng.pick([null, true, false]);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return Array.from({ length: 1 + rng.int(5) }, () => randomValue(rng, depth + 1));
    case 6:
      return Object.fromEntries(
        Array.from({ length: 1 + rng.int(3) }, () => [rng.pick(STRINGS), randomValue(rng, depth + 1)]),
      );
    default:
      return rng.int(1 << rng.int(31));
  }
}

/** Every container (object or array) in a JSON tree, with the root first. */
function containers(root) {
  const found = [];
  const visit = (node) => {
    if (node === null || typeof node !== 'object') return;
    found.push(node);
    for (const child of Object.values(node)) visit(child);
  };
  visit(root);
  return found;
}

/** Set an own enumerable key, even `__proto__` (as JSON.parse would create it). */
function setOwn(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Apply 1–3 structural mutations to a parsed JSON value (in place where possible) and
 * return the result: replace, delete, add or duplicate members, nudge numbers, swap keys.
 */
export function mutateJson(rng, root) {
  let value = root;
  const rounds = 1 + rng.int(3);
  for (let round = 0; round < rounds; round++) {
    const nodes = containers(value);
    if (nodes.length === 0 || rng.chance(0.02)) {
      value = randomValue(rng);
      continue;
    }
    const node = rng.pick(nodes);
    const keys = Object.keys(node);
    const key = keys.length > 0 ? rng.pick(keys) : undefined;
    switch (rng.int(9)) {
      case 0:
      case 1:
        if (key !== undefined) setOwn(node, key, randomValue(rng));
        break;
      case 2:
        if (key !== undefined && Array.isArray(node)) node.splice(Number(key), 1);
        else if (key !== undefined) delete node[key];
        break;
      case 3:
        if (Array.isArray(node)) node.push(randomValue(rng));
        else setOwn(node, rng.chance(0.6) ? rng.pick(KEYS) : rng.pick(STRINGS), randomValue(rng));
        break;
      case 4:
        if (key !== undefined && typeof node[key] === 'number') {
          const n = node[key];
          setOwn(node, key, rng.pick([n + 1, n - 1, n * 2, -n, n + 2 ** 32, n / 2, Math.floor(n / 3)]));
        } else if (key !== undefined) setOwn(node, key, randomValue(rng));
        break;
      case 5:
        // Rename a key (a tensor, a config field) to something it should not be.
        if (key !== undefined && !Array.isArray(node)) {
          const moved = node[key];
          delete node[key];
          setOwn(
            node,
            rng.chance(0.5) ? rng.pick(PROTOTYPE_NAMES) : `${key}${rng.pick(['', '.', 'x', '\u0000'])}`,
            moved,
          );
        }
        break;
      case 6:
        // Copy one member onto another (duplicate tensors, shared offsets).
        if (keys.length > 1) setOwn(node, rng.pick(keys), structuredClone(node[rng.pick(keys)]));
        break;
      case 7:
        if (key !== undefined && Array.isArray(node[key])) node[key].reverse();
        else if (key !== undefined) setOwn(node, key, [node[key]]);
        break;
      default:
        if (Array.isArray(node) && node.length > 0) node.length = rng.int(node.length);
        else if (key !== undefined) setOwn(node, key, JSON.stringify(node[key]) ?? 'undefined');
    }
  }
  return value;
}

/** JSON text of a value, sometimes with a duplicated key or odd whitespace (as a file may have). */
export function jsonText(rng, value) {
  let text = JSON.stringify(value) ?? 'null';
  if (rng.chance(0.05) && text.startsWith('{"')) {
    const end = text.indexOf(',"');
    if (end > 0) text = `{${text.slice(1, end)},${text.slice(1)}`;
  }
  if (rng.chance(0.05)) text = `${' '.repeat(rng.int(4))}${text}${rng.pick(['', ' ', '\n', '  \t'])}`;
  return text;
}

const INTERESTING_BYTES = [
  0x00, 0xff, 0x7f, 0x80, 0x22, 0x7b, 0x7d, 0x2c, 0x3a, 0x5b, 0x5d, 0x5c, 0xc3, 0xed, 0xef, 0x30, 0x39, 0x2d,
];

/**
 * 1–4 byte-level mutations of `bytes` within [from, to) (default the whole buffer): bit
 * flips, interesting bytes, insertions, deletions, duplicated ranges, truncation.
 */
export function mutateBytes(rng, bytes, from = 0, to = bytes.length) {
  let out = Buffer.from(bytes);
  let end = Math.max(from, Math.min(to, out.length));
  const rounds = 1 + rng.int(4);
  for (let round = 0; round < rounds; round++) {
    const span = Math.max(1, end - from);
    const at = from + rng.int(span);
    switch (rng.int(7)) {
      case 0:
        if (at < out.length) out[at] ^= 1 << rng.int(8);
        break;
      case 1:
        if (at < out.length) out[at] = rng.pick(INTERESTING_BYTES);
        break;
      case 2: {
        const inserted = Buffer.from(
          Array.from({ length: 1 + rng.int(8) }, () => rng.pick(INTERESTING_BYTES)),
        );
        out = Buffer.concat([out.subarray(0, at), inserted, out.subarray(at)]);
        end += inserted.length;
        break;
      }
      case 3: {
        const length = Math.min(1 + rng.int(16), out.length - at);
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + length)]);
        end -= length;
        break;
      }
      case 4: {
        const length = Math.min(1 + rng.int(32), out.length - at);
        const copy = out.subarray(at, at + length);
        out = Buffer.concat([out.subarray(0, at), copy, out.subarray(at)]);
        end += length;
        break;
      }
      case 5:
        if (rng.chance(0.3)) out = out.subarray(0, rng.int(out.length + 1));
        break;
      default:
        if (at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1], out[at]];
    }
  }
  return out;
}
