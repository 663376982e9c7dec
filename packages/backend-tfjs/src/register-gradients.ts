import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Resolve hook for tfjs-core's ESM build: its files import siblings without the `.js`
 * extension, which Node's ESM loader refuses; the hook retries such a relative import
 * inside `@tensorflow/tfjs-core/dist/` with `.js` (then `/index.js`). Nothing else is touched.
 */
const EXTENSIONLESS_TFJS_CORE_HOOK = `
export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent !== undefined && parent.includes('/@tensorflow/tfjs-core/dist/') &&
      /^\\.\\.?\\//.test(specifier) && !/\\.[cm]?js$/.test(specifier)) {
    try {
      return await next(specifier + '.js', context);
    } catch {
      return next(specifier + '/index.js', context);
    }
  }
  return next(specifier, context);
}`;

let registered: Promise<void> | undefined;

/**
 * Make tfjs-core's gradients available, once per process. tfjs-core registers them only
 * in `dist/register_all_gradients.js`, an ESM file that the union package `@tensorflow/tfjs`
 * imports and that plain Node cannot load (extensionless imports), so it is loaded with
 * {@link EXTENSIONLESS_TFJS_CORE_HOOK}. The gradient registry is process-global in tfjs, so
 * gradients registered by that copy of tfjs-core serve the one the backend runs.
 * Takes a few seconds the first time.
 */
export function registerGradients(): Promise<void> {
  registered ??= (async () => {
    if (tf.getGradient('RealDiv') !== undefined) return;
    register(`data:text/javascript,${encodeURIComponent(EXTENSIONLESS_TFJS_CORE_HOOK)}`);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  })();
  return registered;
}
