import { PUBLISHED_PLUGINS, resolvePluginCandidates } from './plugin-names.js';

/** The backends this project publishes, by their short `--backend` names. */
export const KNOWN_BACKENDS = PUBLISHED_PLUGINS.backend as readonly ['onnx', 'tfjs', 'native'];

/**
 * The module specifiers a `--backend` value stands for: {@link resolvePluginCandidates}
 * for kind `backend` (`onnx` → `@pretrain/backend-onnx`, `foo` → `pretrain-backend-foo`,
 * `@acme/foo` → `@acme/pretrain-backend-foo`, a path → that module).
 */
export function resolveBackendCandidates(name: string): string[] {
  return resolvePluginCandidates('backend', name);
}
