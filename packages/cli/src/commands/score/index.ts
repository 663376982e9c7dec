import { resolve } from 'node:path';
import { computeWins, softmax, SUBNET9_CONSTANTS } from '@pretrain/core';
import { readJsonFile } from '../../input/read-json-file.js';
import { renderTable, writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { parseStep } from './parse-step.js';

/** `pretrain score <step.json> [--json]`: replay a validator step's scoring. */
export const scoreCommand = defineCommand({
  command: 'score <step>',
  describe: 'Replay a validator step: wins, win rates and step weights from losses and blocks',
  epilogue:
    'Input: {"uids":[3,0,7],"blocks":[120,100,null],"losses":[[2.1,2.0],[2.2,null],[2.0,2.0]]},\n' +
    'arrays aligned with uids; a null block (no metadata) or loss (failed batch) is +infinity;\n' +
    'a loss "NaN" (it came out NaN) is a batch won by neither side.\n' +
    `Step weights are softmax(win rates / ${SUBNET9_CONSTANTS.temperature}); an earlier block wins ties ` +
    `within epsilon ${SUBNET9_CONSTANTS.epsilon}.`,
  builder: (yargs) =>
    yargs
      .positional('step', { type: 'string', demandOption: true, describe: 'step JSON file' })
      .option('json', { type: 'boolean', describe: 'print {"wins","winRates","weights"} aligned with uids' }),
  async run(args, { io }) {
    const path = resolve(io.cwd, args.step);
    const json = await readJsonFile(path, {
      what: 'step file',
      readHint: 'pass the path of a step JSON file',
      parseHint: 'write {"uids": [...], "blocks": [...], "losses": [[...], ...]}',
    });
    const step = parseStep(json, path);
    const { wins, winRates } = computeWins(step.losses, step.blocks);
    const weights = softmax(winRates, SUBNET9_CONSTANTS.temperature);
    if (args.json) {
      writeJson(io.stdout, { wins, winRates, weights }, { pretty: false });
      return;
    }
    const rows = step.uids.map((uid, i) => [
      String(uid),
      formatLoss(averageLoss(step.losses[i] ?? [])),
      String(wins[i]),
      (winRates[i] ?? 0).toFixed(4),
      (weights[i] ?? 0).toFixed(6),
    ]);
    const right = { align: 'right' } as const;
    const columns = [
      { header: 'uid', ...right },
      { header: 'avg loss', ...right },
      { header: 'wins', ...right },
      { header: 'win rate', ...right },
      { header: 'weight', ...right },
    ];
    io.stdout.write(renderTable(columns, rows));
  },
});

function averageLoss(losses: readonly (number | null)[]): number {
  if (losses.length === 0) return NaN;
  return losses.reduce<number>((sum, loss) => sum + (loss ?? Infinity), 0) / losses.length;
}

function formatLoss(loss: number): string {
  if (Number.isNaN(loss)) return 'nan';
  return Number.isFinite(loss) ? loss.toFixed(4) : 'inf';
}
