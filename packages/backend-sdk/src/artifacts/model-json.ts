import { readFile, stat } from 'node:fs/promises';
import { CorruptModelError } from '../errors/index.js';

/**
 * Largest config.json / generation_config.json read. Real ones hold a few kilobytes; a
 * huge one would only cost a validator memory and time before being refused.
 */
export const MAX_MODEL_JSON_BYTES = 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A model JSON file: the object and the text it was parsed from. */
export interface ModelJsonFile {
  readonly object: Record<string, unknown>;
  readonly text: string;
}

/**
 * Read a model's JSON object file (config.json, generation_config.json): a regular file of
 * at most {@link MAX_MODEL_JSON_BYTES}, strict UTF-8, one JSON object.
 *
 * @returns the object, or `undefined` when the file is missing and not `required`.
 * @throws CorruptModelError for a missing required file, an oversized or irregular one,
 *   invalid UTF-8 or JSON, or JSON that is not an object.
 */
export async function readModelJson(
  path: string,
  required: boolean,
): Promise<Record<string, unknown> | undefined> {
  return (await readModelJsonFile(path, required))?.object;
}

/** {@link readModelJson} with the file's text (how its numbers were written matters to Python). */
export async function readModelJsonFile(path: string, required: boolean): Promise<ModelJsonFile | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && (!info.isFile() || info.size > MAX_MODEL_JSON_BYTES)) {
    throw new CorruptModelError(
      info.isFile()
        ? `"${path}" has ${info.size} bytes; a model's JSON file may hold at most ${MAX_MODEL_JSON_BYTES}`
        : `"${path}" is not a regular file`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    if (!required) return undefined;
    throw new CorruptModelError(`"${path}" is missing: not a Hugging Face model directory`, {
      hint: 'pass a directory with config.json and *.safetensors weights',
      cause,
    });
  }
  let json: unknown;
  let text: string;
  try {
    // transformers opens it as UTF-8 and fails on bad bytes; so do we.
    text = strictUtf8.decode(bytes);
    json = JSON.parse(text);
  } catch (cause) {
    throw new CorruptModelError(`"${path}" is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CorruptModelError(`"${path}" is not a JSON object`);
  }
  return { object: json as Record<string, unknown>, text };
}
