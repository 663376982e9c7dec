import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@pretrain/core';
import { composeCommand } from '../../../packages/cli/src/compose/index.js';
import { loadConfig } from '../../../packages/cli/src/config/index.js';
import { devnetDemoChain } from '../../../packages/cli/src/demo/devnet-demo-chain.js';
import { DEMO_CORPUS, runDemo } from '../../../packages/cli/src/demo/run-demo.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

/** Debian's Chromium (`.ci/run` installs it); another with PRETRAIN_TEST_CHROMIUM. */
const CHROMIUM = process.env.PRETRAIN_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots for people to look at (ignored by git; docs/dashboard.png is a copy of one). */
const OUTPUT = fileURLToPath(new URL('../../output/', import.meta.url));
const haveBrowser = existsSync(CHROMIUM);
// CI installs the browser (`.ci/run`): there a missing one is a broken install, not a skip.
if (!haveBrowser && process.env.CI === 'true') {
  throw new Error(`no Chromium at ${CHROMIUM}: .ci/run must install it (apt-get install chromium)`);
}
if (!haveBrowser)
  console.warn(`dashboard e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/** Texts of `#live-step` seen while the step runs, polled until `stop` is set. */
async function watchLiveStep(page: Page, seen: Set<string>, stop: { done: boolean }): Promise<void> {
  while (!stop.done) {
    const text = await page.$eval('#live-step', (element) => element.textContent).catch(() => null);
    if (text) seen.add(text);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `pretrain devnet demo --dashboard` in a real headless Chromium: the page follows the
 * validator's step live, then shows the demo's miners in the order their models deserve
 * and one chart line per uid. One devnet, four small models, one step.
 */
describe.skipIf(!haveBrowser)('dashboard in Chromium, against the devnet demo', () => {
  it('shows the live step, the leaderboard in the right order and a series per uid', async () => {
    let output = '';
    const cwd = process.cwd();
    const loadedConfig = await loadConfig({ flags: {}, env: {}, cwd });
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd };
    const context = { io, config: loadedConfig.values, loadedConfig, logger: silentLogger };
    let browser: Browser | undefined;
    const seen = new Set<string>();
    const stop = { done: false };
    let watching: Promise<void> | undefined;
    let page: Page | undefined;
    const started = Date.now();
    const mark = (what: string) => {
      output += `[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}\n`;
    };
    // Fail with what the demo printed (and when) rather than a bare vitest timeout.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no result within 270 s; the demo so far:\n${output}`)),
        270_000,
      );
    });
    try {
      const demo = runDemo({
        out: {
          write: (chunk: string) => {
            if (chunk.startsWith('\n[')) mark(chunk.trim().split('\n')[0]!);
            output += chunk;
            if (process.env.PRETRAIN_TEST_VERBOSE) process.stderr.write(chunk);
          },
        },
        logger: silentLogger,
        cwd,
        startChain: devnetDemoChain({ blockTimeMs: 2000 }),
        compose: (choices) => composeCommand(context, choices),
        steps: 1,
        pagesPerEval: 1,
        corpus: DEMO_CORPUS,
        dashboard: {
          port: 0,
          onReady: (url) => {
            watching = (async () => {
              browser = await chromium.launch({
                executablePath: CHROMIUM,
                args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
                timeout: 60_000,
              });
              page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
              await page.goto(url);
              mark('page loaded');
              await watchLiveStep(page, seen, stop);
            })();
          },
          hold: async () => {
            mark('report done; checking the page');
            stop.done = true;
            await watching;
            const p = page!;
            // The page learns of the finished step from the event stream, without a reload.
            await p.waitForSelector('body[data-step="1"]', { timeout: 30_000 });
            const uidOf = (label: string): string => {
              const match = new RegExp(`^\\s*(\\d+)\\s+${label}\\s`, 'm').exec(output);
              if (match === null) throw new Error(`no uid for ${label} in the demo's output:\n${output}`);
              return match[1]!;
            };
            const expected = ['unigram', 'copier', 'flattened', 'random'].map(uidOf);
            const order = await p.$$eval('#leaderboard tbody tr', (rows) =>
              rows.map((row) => row.getAttribute('data-uid')),
            );
            expect(order).toEqual(expected);
            const series = await p.$$eval('#chart-loss path.series', (paths) =>
              paths.map((path) => path.getAttribute('data-uid')),
            );
            expect([...series].sort()).toEqual([...expected].sort());
            expect(await p.locator('#chart-loss path.series.best').count()).toBe(3);
            expect(await p.locator('#chart-batches g.bars').count()).toBe(3);
            await mkdir(OUTPUT, { recursive: true });
            await p.screenshot({ path: `${OUTPUT}dashboard-1280x800.png`, fullPage: true });
            // A phone: nothing wider than the screen but the table's own scroller.
            await p.setViewportSize({ width: 390, height: 844 });
            const width = await p.$eval('html', (html) => html.scrollWidth);
            expect(width).toBeLessThanOrEqual(390);
            await p.screenshot({ path: `${OUTPUT}dashboard-phone.png`, fullPage: true });
          },
        },
      });
      const verdict = await Promise.race([demo, deadline]);
      expect(verdict.ok).toBe(true);
      // The live line moved through the step's models as they were evaluated.
      const models = [...seen].filter((text) => /model \d of 4/.test(text));
      expect(new Set(models.map((text) => /model (\d) of 4/.exec(text)![1])).size).toBeGreaterThanOrEqual(2);
    } finally {
      clearTimeout(timer);
      stop.done = true;
      await watching?.catch(() => undefined);
      await (browser as Browser | undefined)?.close();
    }
  }, 300_000);
});
