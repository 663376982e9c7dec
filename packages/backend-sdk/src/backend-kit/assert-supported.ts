import { modelFeatures } from '../artifacts/model-features.js';
import type { ModelSpec } from '../artifacts/model-spec.js';
import type { BackendCapabilities } from '../contracts/loss-backend.js';
import { UnsupportedModelError } from '../errors/index.js';

/**
 * Refuse, before any weight is read, a model that backend `name` cannot run: a family or
 * dtype outside its `capabilities`, query heads that do not split evenly over the kv
 * heads, or an odd number of rotary dimensions (rotate-half pairs them).
 *
 * @throws UnsupportedModelError naming what is supported.
 */
export function assertSupported(name: string, capabilities: BackendCapabilities, spec: ModelSpec): void {
  const reason = unsupportedReason(name, capabilities, spec);
  if (reason !== undefined) throw reason;
}

/**
 * Why backend `name` with `capabilities` cannot run `spec` (the error
 * {@link assertSupported} would throw), or undefined when it can. Conformance suites use
 * it to skip, with this reason, the cases of a layout a backend declares unsupported.
 */
export function unsupportedReason(
  name: string,
  capabilities: BackendCapabilities,
  spec: ModelSpec,
): UnsupportedModelError | undefined {
  try {
    check(name, capabilities, spec);
    return undefined;
  } catch (error) {
    if (error instanceof UnsupportedModelError) return error;
    throw error;
  }
}

function check(name: string, capabilities: BackendCapabilities, spec: ModelSpec): void {
  if (!capabilities.families.includes(spec.family)) {
    throw new UnsupportedModelError(
      `backend ${name} cannot run family "${spec.family}" (${spec.architecture})`,
      {
        hint: `supported families: ${capabilities.families.join(', ')}`,
      },
    );
  }
  const declared = capabilities.features ?? [];
  const missing = modelFeatures(spec).filter((f) => !declared.includes(f));
  if (missing.length > 0) {
    throw new UnsupportedModelError(
      `backend ${name} cannot run ${spec.architecture} "${spec.dir}": it needs ${missing.join(', ')}`,
      {
        hint: `this backend implements: ${declared.length > 0 ? declared.join(', ') : 'the base transformer only'}`,
      },
    );
  }
  const badDtype = spec.dtypes.find((d) => !capabilities.dtypes.includes(d));
  if (badDtype !== undefined) {
    throw new UnsupportedModelError(`backend ${name} cannot read ${badDtype} weights of "${spec.dir}"`, {
      hint: `supported dtypes: ${capabilities.dtypes.join(', ')}`,
    });
  }
  const rotaryDims = spec.positions.kind === 'rotary' ? spec.positions.dims : 0;
  if (spec.numHeads % spec.numKvHeads !== 0 || rotaryDims % 2 !== 0) {
    throw new UnsupportedModelError(
      `"${spec.dir}" has ${spec.numHeads} heads over ${spec.numKvHeads} kv heads and ${rotaryDims} rotary dims: ` +
        'heads must divide evenly, rotary dims be even',
    );
  }
}
