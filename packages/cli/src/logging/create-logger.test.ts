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

  it('escapes control characters from outside, so one event stays one line', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ stream, format: 'pretty', verbose: false, now });
    logger.info('commitment\r\u001b[2Kforged', { data: 'ns/x\n03:04:05 info  fake', n: ['\u009b'] });
    expect(lines).toEqual([
      '03:04:05 info  commitment\\r\\x1b[2Kforged data=ns/x\\n03:04:05 info  fake n=["\\x9b"]\n',
    ]);
    const json = capture();
    createLogger({ stream: json.stream, format: 'json', verbose: false, now }).warn('m\u001b', {
      name: 'a\u202eb\u0085',
    });
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(json.lines[0]).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ msg: 'm\u001b', name: 'a\u202eb\u0085' });
  });
});
