import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (chunk: string) => lines.push(chunk) } };
}
const now = () => new Date('2026-01-02T03:04:05.678Z');

describe('createLogger', () => {
  it('writes pretty lines with fields, and debug only when verbose', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ stream, format: 'pretty', verbose: false, now });
    logger.debug('hidden');
    logger.child({ uid: 3 }).warn('slow model', { seconds: 12.5, repo: 'a/b' });
    expect(lines).toEqual(['03:04:05 warn  slow model uid=3 seconds=12.5 repo=a/b\n']);
  });

  it('writes one JSON object per line, secrets masked', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ stream, format: 'json', verbose: true, now });
    logger.debug('config', { hfToken: 'hf_x', netuid: 9 });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-01-02T03:04:05.678Z',
      level: 'debug',
      msg: 'config',
      hfToken: '***',
      netuid: 9,
    });
  });
});
