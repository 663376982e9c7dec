import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatasetError, UsageError } from '@pretrain/backend-sdk';
import { compareUtf8 } from '../model/compare-utf8.js';
import { MAX_TEXT_BYTES } from './eval-limits.js';

/** File types a local dataset reads. */
export const DOCUMENT_EXTENSIONS: readonly string[] = ['.txt', '.jsonl'];

/** Every .txt / .jsonl file under `dir`, recursively, in byte-wise sorted path order. */
async function documentFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareUtf8(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await documentFiles(path)));
    else if (DOCUMENT_EXTENSIONS.includes(extname(entry.name))) files.push(path);
  }
  return files;
}

/** Paragraphs of a text file: blocks separated by blank lines, trimmed, empty ones dropped. */
function textDocuments(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The `text` (FineWeb) or `content` (Falcon) string of each JSON line; blank lines skipped. */
function jsonlDocuments(text: string, file: string): string[] {
  const docs: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`${file}:${index + 1} is not valid JSON`, {
        cause: error,
        hint: 'write one JSON object per line',
      });
    }
    const { text: body, content } = (typeof row === 'object' && row !== null ? row : {}) as Record<
      string,
      unknown
    >;
    const doc = typeof body === 'string' ? body : content;
    if (typeof doc !== 'string') {
      throw new DatasetError(`${file}:${index + 1} has no string 'text' or 'content' field`, {
        hint: 'each line must look like {"text": "..."}',
      });
    }
    docs.push(doc);
  });
  return docs;
}

/**
 * The documents of a local dataset: a `.txt` file gives its blank-line-separated
 * paragraphs, a `.jsonl` file the `text` (or `content`) field of each line, and a
 * directory the documents of all such files below it, in sorted path order.
 *
 * At most {@link MAX_TEXT_BYTES} are read, all files together (checked before reading each).
 *
 * @throws UsageError for a missing path, an unsupported file or too much text; DatasetError for a bad line.
 */
export async function readDocuments(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new UsageError(`dataset path '${path}' does not exist`, {
      hint: 'pass a .txt/.jsonl file or a directory of them',
    });
  }
  const files = info.isDirectory() ? await documentFiles(path) : [path];
  const docs: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const extension = extname(file);
    if (!DOCUMENT_EXTENSIONS.includes(extension)) {
      throw new UsageError(`'${file}' is not a .txt or .jsonl file`, {
        hint: 'convert it to .txt or .jsonl',
      });
    }
    bytes += (await stat(file)).size;
    if (bytes > MAX_TEXT_BYTES) {
      throw new UsageError(`'${path}' holds more than ${MAX_TEXT_BYTES} bytes of text (at '${file}')`, {
        hint: 'evaluate on a smaller part of the text: a validator step reads about 18 pages of 100 documents',
      });
    }
    const text = await readFile(file, 'utf8');
    docs.push(...(extension === '.txt' ? textDocuments(text) : jsonlDocuments(text, file)));
  }
  return docs;
}
