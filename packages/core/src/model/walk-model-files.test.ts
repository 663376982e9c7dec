import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkModelFiles } from './walk-model-files.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-walk-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const file of walkModelFiles(dir)) out.push(relative(dir, file));
  return out;
}

describe('walkModelFiles', () => {
  it("gives os.walk's top-down order: files sorted by bytes, then each sub-directory in turn", async () => {
    const dir = join(root, 'order');
    for (const path of ['b/2', 'b/a/1', 'a/z', 'a/b/y', 'A', 'c', '\u{1f600}', '\u{ff5e}']) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), path);
    }
    expect(await collect(dir)).toEqual(['A', 'c', '\u{ff5e}', '\u{1f600}', 'a/z', 'a/b/y', 'b/2', 'b/a/1']);
  });

  it('yields symlinked and broken-linked files, never enters linked directories', async () => {
    const dir = join(root, 'links');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'sub', 'f'), 'f');
    await symlink(join(dir, 'sub', 'f'), join(dir, 'file-link'));
    await symlink(join(dir, 'sub'), join(dir, 'dir-link'));
    await symlink(join(dir, 'nowhere'), join(dir, 'broken'));
    expect(await collect(dir)).toEqual(['broken', 'file-link', 'sub/f']);
  });

  it('refuses a path that is not a directory', async () => {
    await writeFile(join(root, 'plain'), 'x');
    await expect(collect(join(root, 'plain'))).rejects.toThrow(/is not a directory/);
    await expect(collect(join(root, 'missing'))).rejects.toThrow(/is not a directory/);
  });
});
