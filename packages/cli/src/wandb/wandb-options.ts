import { UsageError } from '@pretrain/core';

/** The W&B flags of `pretrain validate`; the key comes from `WANDB_API_KEY` only. */
export const WANDB_OPTIONS = {
  'wandb-project': {
    type: 'string',
    describe: 'log every step to this Weights & Biases project (the API key from WANDB_API_KEY)',
  },
  'wandb-entity': {
    type: 'string',
    describe: 'W&B user or team owning --wandb-project (default: the API key’s own user)',
  },
} as const;

/** The parsed W&B flags. */
export interface WandbArgs {
  readonly wandbProject?: string | undefined;
  readonly wandbEntity?: string | undefined;
}

/** Where a validator logs its steps on W&B. */
export interface WandbSettings {
  readonly project: string;
  /** Absent: the key's default entity. */
  readonly entity?: string | undefined;
  /** Secret: never logged or printed. */
  readonly apiKey: string;
  /** `https://api.wandb.ai` unless `WANDB_BASE_URL` names another server. */
  readonly baseUrl: string;
}

/** W&B's own default API server. */
export const WANDB_DEFAULT_BASE_URL = 'https://api.wandb.ai';

// W&B project and entity names: letters, digits, '-', '_', '.' (no '/', '#', '?', '%', ':').
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The W&B settings of `--wandb-project`/`--wandb-entity` with the key from `WANDB_API_KEY`
 * and the server from `WANDB_BASE_URL` (W&B's own variables); undefined without
 * `--wandb-project`.
 *
 * @throws UsageError for a bad name, an entity without a project, a missing or malformed key
 *   or a base URL that is not http(s); the key itself is never quoted.
 */
export function wandbSettings(
  args: WandbArgs,
  env: Readonly<Record<string, string | undefined>>,
): WandbSettings | undefined {
  const { wandbProject: project, wandbEntity: entity } = args;
  if (project === undefined) {
    if (entity !== undefined) {
      throw new UsageError('--wandb-entity needs --wandb-project', {
        hint: 'add --wandb-project <project> to log steps to Weights & Biases',
      });
    }
    return undefined;
  }
  for (const [flag, value] of [
    ['wandb-project', project],
    ['wandb-entity', entity],
  ] as const) {
    if (value !== undefined && !NAME.test(value)) {
      throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a W&B name`, {
        hint: 'use letters, digits, "-", "_" and "." (at most 128)',
      });
    }
  }
  const apiKey = env.WANDB_API_KEY?.trim() ?? '';
  if (apiKey === '') {
    throw new UsageError('--wandb-project needs a W&B API key in WANDB_API_KEY', {
      hint: 'export WANDB_API_KEY=<your key from https://wandb.ai/authorize>, or leave --wandb-project out',
    });
  }
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new UsageError('WANDB_API_KEY holds characters no API key has (spaces, control or non-ASCII)', {
      hint: 'copy the key again from https://wandb.ai/authorize',
    });
  }
  return { project, entity, apiKey, baseUrl: baseUrlOf(env.WANDB_BASE_URL) };
}

function baseUrlOf(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return WANDB_DEFAULT_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(text.trim());
  } catch {
    url = undefined;
  }
  // Not quoted: a URL with credentials in it would print them.
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new UsageError('WANDB_BASE_URL is not an http(s) URL of a W&B server', {
      hint: 'e.g. https://api.wandb.ai (no user, password or query), or unset it',
    });
  }
  return url.href.replace(/\/+$/, '');
}
