import { readFileSync } from 'node:fs';
import type { CliIo } from '../cli-io.js';
import { renderTable } from '../output/render-table.js';
import { findInstalledPackages } from './installed-packages.js';

/** The version of this `@pretrain/cli` (its package.json, two levels above `dist/version/`). */
export function ownVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** `--version --verbose`: every @pretrain package found, where, and node. */
export function printInstalledPackages(io: CliIo): void {
  const rows = findInstalledPackages(io.cwd).map((p) => [p.name, p.version ?? '-', p.dir ?? 'not installed']);
  rows.push(['node', process.versions.node, process.execPath]);
  io.stdout.write(renderTable([{ header: 'package' }, { header: 'version' }, { header: 'location' }], rows));
}
