import { isAbsolute } from 'node:path';

/** True for `./x.js`, `../x.js`, `/abs/x.js`, `C:\x.js` or a `file:` URL: a module, not a package name. */
export function isBackendPath(name: string): boolean {
  return /^\.\.?([\\/]|$)/.test(name) || isAbsolute(name) || name.startsWith('file:');
}
