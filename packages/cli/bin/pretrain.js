#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the CLI lives in dist/.
let cli;
try {
  cli = await import('../dist/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/main.js')) throw error;
  process.stderr.write(
    'error: @pretrain/cli is not built (dist/main.js is missing)\nhint: run `npm run build`\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
