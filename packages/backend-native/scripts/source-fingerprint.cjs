// The fingerprint of the sources an addon is compiled from. build-native.mjs writes it beside
// each addon it builds; the package (src/addon.ts) recomputes it before loading one and
// refuses an addon built from other sources. Without it, an addon left over from an older
// checkout loads fine, ignores the plan fields it does not know (a Gemma model's (1 + w)
// norms, say) and computes wrong losses without a word. CommonJS so that both the build
// script and the compiled package can load this one copy.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** What each addon is compiled from, relative to the package: files, or folders (not descending). */
const ADDON_INPUTS = Object.freeze({
  addon: ['binding.gyp', 'native', 'native/cuda'],
  emulator: ['emulator/binding.gyp', 'native', 'native/cuda', 'native/cuda-emulator'],
});

/** Where the fingerprint of the addon at `addonPath` is kept. */
function fingerprintPath(addonPath) {
  return addonPath.replace(/\.node$/, '.sources');
}

/** sha256 over the relative path and bytes of every input file of `which`, in a fixed order. */
function sourceFingerprint(packageDir, which) {
  const files = [];
  for (const input of ADDON_INPUTS[which]) {
    const path = join(packageDir, input);
    if (!existsSync(path)) continue;
    if (statSync(path).isFile()) files.push(input);
    else {
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        if (entry.isFile()) files.push(`${input}/${entry.name}`);
      }
    }
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    const bytes = readFileSync(join(packageDir, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/**
 * Why the addon at `addonPath` must not be loaded, or undefined when the fingerprint written
 * at its build matches the sources now in `packageDir`.
 */
function staleReason(packageDir, which, addonPath) {
  const recorded = fingerprintPath(addonPath);
  if (!existsSync(recorded)) {
    return `${addonPath} has no record of the sources it was built from (${recorded} is missing): it predates them or was copied without it`;
  }
  if (readFileSync(recorded, 'utf8').trim() !== sourceFingerprint(packageDir, which)) {
    return `${addonPath} was built from other sources than the package's native/ folder now holds (a stale build)`;
  }
  return undefined;
}

module.exports = { ADDON_INPUTS, fingerprintPath, sourceFingerprint, staleReason };
