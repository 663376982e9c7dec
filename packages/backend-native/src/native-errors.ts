import { CorruptModelError, PretrainError, UsageError } from '@pretrain/backend-sdk';

/** Turn an addon rejection (an Error with a `kind`) into the matching typed error. */
export function fromAddonError(cause: unknown, dir: string): PretrainError {
  const { kind, message } = cause as { kind?: string; message?: string };
  switch (kind) {
    case 'corrupt':
      return new CorruptModelError(`backend native could not read "${dir}": ${message}`, {
        hint: 'the weight files are truncated, do not match their headers or hold NaN: download the model again',
        cause,
      });
    case 'usage':
      return new UsageError(`backend native: ${message}`, { cause });
    case 'device':
      return new PretrainError('PRETRAIN_DEVICE_UNAVAILABLE', `backend native on CUDA: ${message}`, {
        hint: 'check the GPU (nvidia-smi), its free memory and libcublas, or use --device cpu',
        cause,
      });
    case 'cancelled':
    case 'disposed':
      return new PretrainError('PRETRAIN_DISPOSED', `model "${dir}" was disposed while in use`, {
        hint: 'load the model again before evaluating it',
        cause,
      });
    default:
      return new PretrainError(
        'PRETRAIN_BACKEND_FAILED',
        `backend native failed on "${dir}": ${message ?? String(cause)}`,
        {
          cause,
        },
      );
  }
}
