import { openModelSpec } from '@pretrain/backend-sdk';
import type { ModelSpec } from '@pretrain/backend-sdk';
import type { ModelCriteria } from '../criteria/index.js';
import { ModelRejectedError } from '@pretrain/backend-sdk';
import { selectUploadFiles } from '../storage/download-guards-files.js';

/** What {@link checkModelCriteria} measured of an acceptable model. */
export interface CriteriaCheck {
  readonly spec: ModelSpec;
  /** Bytes of the files an upload would send (what a validator's size check sees). */
  readonly bytes: number;
}

/**
 * Check a local model directory against `criteria` the way validators will (docs/SUBNET.md
 * §4): the uploaded files' total size, the architecture and the parameter count. A
 * miner runs this before uploading, so a model every validator would refuse is never
 * pushed.
 *
 * @throws ModelRejectedError (`oversize`, `unsupported-architecture`,
 *   `too-many-parameters`) naming the limit; the artifact errors of `openModelSpec`
 *   for unreadable or inconsistent files.
 */
export async function checkModelCriteria(dir: string, criteria: ModelCriteria): Promise<CriteriaCheck> {
  const files = await selectUploadFiles(dir);
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (bytes > criteria.maxBytes) {
    throw new ModelRejectedError(
      'oversize',
      `'${dir}' holds ${bytes} bytes to upload, over the limit of ${criteria.maxBytes}`,
      {
        hint: 'shrink the model (fewer parameters or a smaller dtype); validators refuse larger repos unread',
      },
    );
  }
  const spec = await openModelSpec(dir);
  if (!criteria.allowedArchitectures.includes(spec.architecture)) {
    throw new ModelRejectedError(
      'unsupported-architecture',
      `'${dir}' is a ${spec.architecture}, which validators do not accept now`,
      {
        hint: `use one of: ${criteria.allowedArchitectures.join(', ')}`,
      },
    );
  }
  if (spec.parameterCount > criteria.maxParameters) {
    throw new ModelRejectedError(
      'too-many-parameters',
      `'${dir}' has ${spec.parameterCount} parameters, over the limit of ${criteria.maxParameters}`,
      { hint: 'reduce the model size below the current limit' },
    );
  }
  return { spec, bytes };
}
