import { describe, expect, it } from 'vitest';
import { planPretrainedFiles, resolvePretrainedFiles, shardsOfIndex } from './pretrained-files.js';

// The file set of transformers 4.38 `AutoModelForCausalLM.from_pretrained(repo,
// revision, use_safetensors=True)`, the reference's pinned version: config.json, then
// generation_config.json when present, then model.safetensors, else the index and
// `sorted(set(weight_map.values()))`.
describe('planPretrainedFiles', () => {
  it('takes config, generation config and model.safetensors, nothing else', () => {
    expect(
      planPretrainedFiles([
        '.gitattributes',
        'README.md',
        'config.json',
        'generation_config.json',
        'model.safetensors',
        'model.safetensors.index.json',
        'tokenizer.json',
        'other.safetensors',
      ]),
    ).toEqual({ kind: 'complete', files: ['config.json', 'generation_config.json', 'model.safetensors'] });
  });

  it('leaves the generation config out when the repo has none', () => {
    expect(planPretrainedFiles(['config.json', 'model.safetensors'])).toEqual({
      kind: 'complete',
      files: ['config.json', 'model.safetensors'],
    });
  });

  it('needs the index when there is no model.safetensors', () => {
    expect(planPretrainedFiles(['config.json', 'model.safetensors.index.json', 'a.safetensors'])).toEqual({
      kind: 'sharded',
      files: ['config.json', 'model.safetensors.index.json'],
      index: 'model.safetensors.index.json',
    });
  });

  it('calls a repo without config.json or loadable weights invalid', () => {
    expect(planPretrainedFiles(['model.safetensors'])).toMatchObject({
      kind: 'invalid',
      problem: 'it has no config.json',
    });
    expect(planPretrainedFiles(['config.json', 'pytorch_model.bin', 'weights.safetensors'])).toMatchObject({
      kind: 'invalid',
    });
    expect(planPretrainedFiles(['sub/config.json', 'sub/model.safetensors'])).toMatchObject({
      kind: 'invalid',
    });
  });
});

describe('shardsOfIndex', () => {
  const present = new Set(['a.safetensors', 'b.safetensors', 'c.safetensors']);

  it('gives the distinct shards named by weight_map, sorted', () => {
    const index = JSON.stringify({
      weight_map: { x: 'b.safetensors', y: 'a.safetensors', z: 'b.safetensors' },
    });
    expect(shardsOfIndex(index, present)).toEqual({ shards: ['a.safetensors', 'b.safetensors'] });
  });

  it('refuses indexes a load would fail on, and hostile shard names', () => {
    const problems = [
      'not json',
      'null',
      '[]',
      '{"metadata":{}}',
      '{"weight_map":[]}',
      '{"weight_map":{}}',
      '{"weight_map":{"x":1}}',
      '{"weight_map":{"x":"d.safetensors"}}',
      '{"weight_map":{"x":"../a.safetensors"}}',
      '{"weight_map":{"x":"sub/a.safetensors"}}',
      '{"weight_map":{"x":"a.bin"}}',
      '{"weight_map":{"x":".safetensors"}}',
    ];
    for (const text of problems) expect(shardsOfIndex(text, present), text).toHaveProperty('problem');
    // An inherited key is not an own weight_map.
    expect(shardsOfIndex('{"__proto__":{"weight_map":{"x":"a.safetensors"}}}', present)).toHaveProperty(
      'problem',
    );
  });
});

describe('resolvePretrainedFiles', () => {
  it('reads the index only for sharded weights', async () => {
    const read: string[] = [];
    const readIndex = async (path: string) => {
      read.push(path);
      return '{"weight_map":{"x":"s1.safetensors","y":"s0.safetensors"}}';
    };
    expect(await resolvePretrainedFiles(['config.json', 'model.safetensors'], readIndex)).toEqual({
      files: ['config.json', 'model.safetensors'],
    });
    expect(read).toEqual([]);
    expect(
      await resolvePretrainedFiles(
        ['config.json', 'model.safetensors.index.json', 's0.safetensors', 's1.safetensors', 's2.safetensors'],
        readIndex,
      ),
    ).toEqual({ files: ['config.json', 'model.safetensors.index.json', 's0.safetensors', 's1.safetensors'] });
    expect(read).toEqual(['model.safetensors.index.json']);
  });

  it('reports why a repo cannot be loaded', async () => {
    const result = await resolvePretrainedFiles(['config.json'], async () => '');
    expect(result.problem).toMatch(/neither model\.safetensors nor model\.safetensors\.index\.json/);
  });
});
