import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptModelError } from '../errors/index.js';
import { generationSettings, readGenerationSettings } from './generation-settings.js';
import { MAX_MODEL_JSON_BYTES } from './model-json.js';

const config = { eos_token_id: 2, repetition_penalty: 1.0 };

describe('generationSettings', () => {
  it('reads the deterministic processors of generation_config.json and its own EOS ids', () => {
    const settings = generationSettings(
      config,
      {
        eos_token_id: [7, 3, 7],
        repetition_penalty: 1.3,
        encoder_repetition_penalty: 0.9,
        no_repeat_ngram_size: 3,
        bad_words_ids: [[5], [6, true]],
        forced_bos_token_id: 1,
        forced_eos_token_id: 4,
        suppress_tokens: [8],
        begin_suppress_tokens: [9],
        temperature: 0.7,
      },
      10,
    );
    expect(settings).toEqual({
      source: 'generation_config.json',
      eosTokenIds: [3, 7],
      processors: {
        encoderRepetitionPenalty: 0.9,
        repetitionPenalty: 1.3,
        noRepeatNgramSize: 3,
        badWordsIds: [[5], [6, 1]],
        forcedBosTokenId: 1,
        forcedEosTokenIds: [4],
        suppressTokens: [8],
        beginSuppressTokens: [9],
      },
      notes: [],
    });
  });

  it('falls back to config.json without the file or when the file says _from_model_config', () => {
    const model = { ...config, no_repeat_ngram_size: 2 };
    for (const generation of [
      undefined,
      { _from_model_config: true, eos_token_id: 9, repetition_penalty: 2.0 },
    ]) {
      expect(generationSettings(model, generation, 10)).toEqual({
        source: 'config.json',
        eosTokenIds: [2],
        processors: { noRepeatNgramSize: 2 },
        notes: [],
      });
    }
  });

  it('treats neutral values as no processor, as generate does', () => {
    const neutral = {
      repetition_penalty: 1,
      no_repeat_ngram_size: 0,
      encoder_no_repeat_ngram_size: 0,
      bad_words_ids: null,
      forced_bos_token_id: 99,
      do_sample: false,
      num_beams: 1,
      guidance_scale: 1,
    };
    expect(generationSettings(config, neutral, 10)).toEqual({
      source: 'generation_config.json',
      eosTokenIds: [],
      processors: {},
      notes: [],
    });
  });

  it('notes what the reference does that a greedy check cannot (sampling, beams, …)', () => {
    const notes = generationSettings(
      config,
      { do_sample: true, num_beams: 4, guidance_scale: 1.5 },
      10,
    ).notes;
    expect(notes).toEqual([
      expect.stringMatching(
        /generation_config.json sets do_sample: the reference's sanity check samples at random/,
      ),
      expect.stringMatching(/num_beams: .*beam search/),
      expect.stringMatching(/guidance_scale: the reference applies it and pretrain does not/),
    ]);
  });

  it.each<[Record<string, unknown>, RegExp]>([
    [{ repetition_penalty: 0 }, /"repetition_penalty" is 0; expected a number > 0/],
    [{ repetition_penalty: '1.2' }, /"repetition_penalty"/],
    [{ no_repeat_ngram_size: 2.5 }, /"no_repeat_ngram_size" is 2.5; expected a whole number/],
    [{ no_repeat_ngram_size: '3' }, /"no_repeat_ngram_size"/],
    [{ bad_words_ids: [] }, /"bad_words_ids" is \[\]/],
    [{ bad_words_ids: [[1], []] }, /lists of at least one token id/],
    [{ bad_words_ids: [[10]] }, /token ids inside the vocabulary 0…9/],
    [{ suppress_tokens: 3 }, /"suppress_tokens" is 3; expected a list of token ids/],
    [{ begin_suppress_tokens: [-1] }, /"begin_suppress_tokens"/],
    [{ forced_eos_token_id: 10 }, /"forced_eos_token_id"/],
    [{ eos_token_id: 'x' }, /"eos_token_id"/],
    [{ encoder_no_repeat_ngram_size: 2 }, /decoder-only/],
    [{ sequence_bias: { '(1,)': -1 } }, /"sequence_bias"/],
  ])('refuses %j, which generate refuses too', (generation, message) => {
    expect(() => generationSettings(config, generation, 10)).toThrow(CorruptModelError);
    expect(() => generationSettings(config, generation, 10)).toThrow(message);
  });

  it('refuses, given the text, an int where generate wants a float and a float where it wants an int', () => {
    const read = (text: string) => generationSettings(config, JSON.parse(text), 10, { generation: text });
    expect(read('{"repetition_penalty": 2.0}').processors).toEqual({ repetitionPenalty: 2 });
    expect(read('{"repetition_penalty": 1, "no_repeat_ngram_size": 3}').processors).toEqual({
      noRepeatNgramSize: 3,
    });
    for (const bad of [
      '{"repetition_penalty": 2}',
      '{"encoder_repetition_penalty": 3}',
      '{"no_repeat_ngram_size": 3.0}',
      '{"suppress_tokens": [1.0]}',
      '{"bad_words_ids": [[1, 2e0]]}',
      '{"forced_eos_token_id": 4.0}',
      '{"eos_token_id": 2.0}',
    ]) {
      expect(() => read(bad), bad).toThrow(CorruptModelError);
    }
    // config.json's text counts when the settings come from it.
    const model = '{"eos_token_id": 2, "repetition_penalty": 3}';
    expect(() => generationSettings(JSON.parse(model), undefined, 10, { config: model })).toThrow(
      /"repetition_penalty" is 3; expected a float/,
    );
  });

  it('accepts a huge n-gram size (it bans nothing) and never reads inherited keys', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"repetition_penalty": 5}, "no_repeat_ngram_size": 1000000000}',
    ) as Record<string, unknown>;
    expect(generationSettings(config, hostile, 10).processors).toEqual({ noRepeatNgramSize: 1e9 });
    expect(generationSettings(config, { constructor: undefined }, 10).processors).toEqual({});
  });
});

describe('readGenerationSettings', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const model = async (files: Record<string, string>) => {
    const dir = await mkdtemp(join(tmpdir(), 'pretrain-genconfig-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  };

  it('reads the files of a model directory, and how their numbers are written', async () => {
    const dir = await model({
      'config.json': JSON.stringify(config),
      'generation_config.json': JSON.stringify({ eos_token_id: 2, repetition_penalty: 1.5 }),
    });
    const int = await model({
      'config.json': JSON.stringify(config),
      'generation_config.json': '{"eos_token_id": 2, "repetition_penalty": 2}',
    });
    await expect(readGenerationSettings(int, 10)).rejects.toThrow(/expected a float/);
    expect(await readGenerationSettings(dir, 10)).toMatchObject({
      source: 'generation_config.json',
      eosTokenIds: [2],
      processors: { repetitionPenalty: 1.5 },
    });
    const bare = await model({ 'config.json': JSON.stringify(config) });
    expect((await readGenerationSettings(bare, 10)).source).toBe('config.json');
  });

  it('refuses invalid JSON, a non-object and an oversized file without reading it whole', async () => {
    for (const text of ['{', '[1]', ' '.repeat(MAX_MODEL_JSON_BYTES + 1)]) {
      const dir = await model({ 'config.json': JSON.stringify(config), 'generation_config.json': text });
      await expect(readGenerationSettings(dir, 10)).rejects.toThrow(CorruptModelError);
    }
  });
});
