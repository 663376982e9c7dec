import { UsageError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { translateDottedFlags } from './dotted-flags.js';

describe('translateDottedFlags', () => {
  it("turns bittensor's dotted flags into ours, in both spellings", () => {
    expect(
      translateDottedFlags([
        'validate',
        '--wallet.name',
        'w',
        '--wallet.hotkey=h',
        '--wallet.path',
        '/p',
        '--subtensor.network',
        'test',
        '--netuid',
        '9',
      ]),
    ).toEqual([
      'validate',
      '--wallet',
      'w',
      '--hotkey=h',
      '--wallet-path',
      '/p',
      '--network',
      'test',
      '--netuid',
      '9',
    ]);
    expect(translateDottedFlags(['--subtensor.chain_endpoint', 'ws://x:1'])).toEqual([
      '--network',
      'ws://x:1',
    ]);
  });

  it('leaves other words alone, dotted values included', () => {
    expect(translateDottedFlags(['eval', '--model', './a.b', 'x.y'])).toEqual([
      'eval',
      '--model',
      './a.b',
      'x.y',
    ]);
  });

  it('names the closest flag for an unknown dotted one', () => {
    const error = (() => {
      try {
        translateDottedFlags(['--wallet.hotkye', 'h']);
      } catch (e) {
        return e;
      }
    })() as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('unknown flag --wallet.hotkye');
    expect(error.hint).toMatch(/^did you mean --wallet\.hotkey\?/);
  });
});
