import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { LocalModelFile } from './download-guards-files.js';

async function sha256Hex(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A git-like commit id for a set of files: `sha1("commit <length>\0" + listing)` where
 * the listing has one `<sha256 hex> <size> <path>\n` line per file in path order. It
 * depends on content only, so re-uploading the same files yields the same commit.
 */
export async function commitShaOf(files: readonly LocalModelFile[]): Promise<string> {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let listing = '';
  for (const file of sorted) listing += `${await sha256Hex(file.absolutePath)} ${file.size} ${file.path}\n`;
  const body = Buffer.from(listing, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`commit ${body.length}\0`, 'utf8'), body]))
    .digest('hex');
}
