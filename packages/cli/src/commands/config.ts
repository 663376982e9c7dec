import { renderTable, writeJson } from '../output/index.js';
import { CONFIG_KEYS, CONFIG_SCHEMA } from '../config/index.js';
import { defineCommand } from './cli-command.js';

/** `pretrain config [--json]`: the settings in effect and where each came from (secrets masked). */
export const configCommand = defineCommand({
  command: 'config',
  describe: 'Show the settings in effect and where each came from',
  builder: (yargs) => yargs.option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, { io, loadedConfig }) {
    const shown = (key: (typeof CONFIG_KEYS)[number]): unknown => {
      const value = loadedConfig.values[key];
      return CONFIG_SCHEMA[key].secret && value !== undefined ? '***' : value;
    };
    if (args.json) {
      writeJson(io.stdout, {
        file: loadedConfig.file ?? null,
        values: Object.fromEntries(CONFIG_KEYS.map((key) => [key, shown(key) ?? null])),
        sources: loadedConfig.sources,
      });
      return;
    }
    io.stdout.write(`config file: ${loadedConfig.file ?? '(none)'}\n`);
    const rows = CONFIG_KEYS.map((key) => {
      const value = shown(key);
      return [key, value === undefined ? '-' : String(value), loadedConfig.sources[key]];
    });
    io.stdout.write(renderTable([{ header: 'key' }, { header: 'value' }, { header: 'source' }], rows));
  },
});
