import { describe, expect, it } from 'vitest';
import { CorruptModelError, PretrainError, UsageError } from '@pretrain/core';
import { DEFAULT_HINTS, hintFor } from './default-hints.js';
import { EXIT_UNEXPECTED, EXIT_USAGE, reportError } from './report-error.js';

function report(error: unknown, verbose = false): { code: number; text: string } {
  let text = '';
  const code = reportError(error, { write: (chunk: string) => (text += chunk) }, verbose);
  return { code, text };
}

describe('reportError', () => {
  it('prints message and own hint on one line each', () => {
    const error = new UsageError('bad\n  value "x"', { hint: 'use\ny' });
    expect(report(error)).toEqual({ code: EXIT_USAGE, text: 'error: bad value "x"\nhint: use y\n' });
  });

  it('escapes control characters in messages and hints from outside', () => {
    const error = new UsageError('tensor "w\r\u001b[2Kok" is bad', { hint: 'see\n  "\u009b"' });
    expect(report(error).text).toBe('error: tensor "w\\r\\x1b[2Kok" is bad\nhint: see "\\x9b"\n');
    expect(report(new Error('x\u001b]0;t\u0007')).text).toContain(
      'error: unexpected failure: x\\x1b]0;t\\x07\n',
    );
  });

  it("falls back to the code's default hint, then to a generic one", () => {
    expect(report(new CorruptModelError('"c.json" is not valid JSON')).text).toBe(
      `error: "c.json" is not valid JSON\nhint: ${DEFAULT_HINTS.PRETRAIN_CORRUPT_MODEL}\n`,
    );
    expect(report(new PretrainError('PRETRAIN_PLUGIN_SPECIFIC', 'odd')).text).toBe(
      'error: odd\nhint: rerun with --verbose for details\n',
    );
  });

  it('has a default hint for the code of every core error class', async () => {
    const core = await import('@pretrain/core');
    const errorClasses = (Object.values(core) as unknown[]).filter(
      (value): value is new (...args: unknown[]) => PretrainError =>
        typeof value === 'function' && value.prototype instanceof PretrainError,
    );
    const codes = errorClasses
      .map((ErrorClass) => Reflect.construct(ErrorClass, ['m', [], {}]) as PretrainError)
      .map((error) => error.code);
    expect(codes.length).toBeGreaterThanOrEqual(11);
    for (const code of codes) expect(DEFAULT_HINTS[code], code).toBeDefined();
  });

  it('adds the stack and causes only when verbose', () => {
    const error = new UsageError('outer', { hint: 'h', cause: new Error('inner') });
    expect(report(error).text).not.toContain('    at ');
    const verbose = report(error, true).text;
    expect(verbose).toMatch(/^error: outer\nhint: h\nUsageError: outer\n\s+at /);
    expect(verbose).toContain('caused by: Error: inner');
  });

  it('reports anything else as unexpected, exit 3, asking for a report', () => {
    expect(report('boom')).toEqual({
      code: EXIT_UNEXPECTED,
      text: 'error: unexpected failure: boom\nhint: this is a bug in pretrain: rerun with --verbose for the stack trace and report it\n',
    });
  });
});

describe('hintFor', () => {
  it('gives the generic hint for a code named like an Object.prototype member', () => {
    for (const code of ['constructor', 'toString', '__proto__']) {
      expect(hintFor({ code, hint: undefined }), code).toBe('rerun with --verbose for details');
    }
  });
});
