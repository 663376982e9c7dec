#!/usr/bin/env node
// `npm init @pretrain/backend <dir> [--name <name>]` runs this.
import { writeBackendPackage } from './write-backend.js';

const USAGE = 'usage: npm init @pretrain/backend <dir> [--name <backend name>]';

async function main(args: readonly string[]): Promise<number> {
  const positional: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg === '--name') name = args[++i];
    else if (arg.startsWith('--name=')) name = arg.slice('--name='.length);
    else if (arg.startsWith('-')) return fail(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) return fail('give one directory to create the backend in');
  try {
    const written = await writeBackendPackage(positional[0] as string, name === undefined ? {} : { name });
    process.stdout.write(
      `created ${written.packageName} in ${written.dir}\n` +
        `next: cd ${positional[0]} && npm install && npm test\n` +
        `      pretrain conformance --backend ${written.dir}\n`,
    );
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function fail(message: string): number {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
