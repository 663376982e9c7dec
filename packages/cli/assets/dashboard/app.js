// The dashboard page: reads the JSON API, draws the table and charts, follows the
// server-sent events. Read-only: it never sends anything but GET requests. The logic
// lives in the tested modules under /assets/page/ (src/dashboard/page in the CLI).
// Imported by their server routes, not relative paths: the server maps /assets/page/ to the
// compiled modules in dist/, so no file sits at ./page/ beside this one in the package.
import {
  describeLiveStep,
  formatDuration,
  formatLoss,
  formatPercent,
  shortKey,
  uidColour,
} from '/assets/page/format.js';
import { lastStepLosses, seriesByUid } from '/assets/page/series.js';
import { batchBarsSvg, lineChartSvg } from '/assets/page/svg-chart.js';

const TOP = 3;
const $ = (id) => document.getElementById(id);

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renderLeaderboard(rows) {
  const body = $('leaderboard').querySelector('tbody');
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.uid = String(r.uid);
      cell(tr, String(r.rank));
      const uid = cell(tr, '');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = uidColour(r.uid);
      uid.append(swatch, String(r.uid));
      cell(tr, shortKey(r.hotkey)).title = r.hotkey;
      const model = cell(tr, '');
      if (r.repo !== null && r.url !== null && r.url.startsWith('https://huggingface.co/')) {
        const link = document.createElement('a');
        link.href = r.url;
        link.rel = 'noopener noreferrer';
        link.textContent = r.commit ? `${r.repo}@${r.commit.slice(0, 8)}` : r.repo;
        model.append(link);
      } else model.textContent = '–';
      cell(tr, r.committedBlock === null ? '–' : String(r.committedBlock));
      cell(tr, formatLoss(r.averageLoss));
      cell(tr, r.winRate.toFixed(3));
      cell(tr, r.weight.toFixed(4));
      cell(tr, formatPercent(r.weightOnChain));
      cell(tr, `step ${r.lastEvaluatedStep}`).title = new Date(r.lastEvaluatedAt).toISOString();
      cell(tr, r.failure ?? '', 'failure');
      return tr;
    }),
  );
}

function renderCharts(steps, latest, board) {
  const best = board.slice(0, TOP).map((r) => r.uid);
  const runSteps = steps.length > 0 ? steps.filter((s) => s.run === steps[steps.length - 1].run) : [];
  const draw = (id, metric, title) => {
    const { labels, series } = seriesByUid(runSteps, metric);
    $(id).innerHTML = lineChartSvg({ labels, series, highlight: best, title });
  };
  draw('chart-loss', 'averageLoss', 'average loss per uid over steps');
  draw('chart-winrate', 'winRate', 'win rate per uid over steps');
  draw('chart-weight', 'weight', 'EMA weight per uid over steps');
  $('chart-batches').innerHTML = batchBarsSvg({
    groups: lastStepLosses(latest, best),
    title: 'loss of each batch of the last step, top models',
  });
  const uids = [...new Set(runSteps.flatMap((s) => s.rows.map((r) => r.uid)))].sort((a, b) => a - b);
  $('legend').replaceChildren(
    ...uids.map((uid) => {
      const span = document.createElement('span');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = uidColour(uid);
      span.append(swatch, `uid ${uid}${best.includes(uid) ? ' (top)' : ''}`);
      return span;
    }),
  );
}

function renderLive(live) {
  $('live-step').textContent = describeLiveStep(live.step);
  const step = live.step;
  const progress = $('live-progress');
  progress.value =
    step && step.modelCount > 0
      ? (Math.max(0, step.modelIndex - 1) + step.batchesDone / Math.max(1, step.batchCount)) / step.modelCount
      : 0;
  $('chain-block').textContent = live.chainBlock === null ? '–' : String(live.chainBlock);
  if (live.lastWeights) $('last-weights').textContent = `block ${live.lastWeights.block}`;
  if (live.lastWeightsError) $('last-weights').textContent += ` (last try failed: ${live.lastWeightsError})`;
  $('downloads').replaceChildren(
    ...live.downloads.map((d) => {
      const li = document.createElement('li');
      li.textContent = `downloading ${d.repo} for ${shortKey(d.hotkey)} (${formatDuration((Date.now() - d.since) / 1000)})`;
      return li;
    }),
  );
}

async function refresh() {
  const [summary, board, list, latest] = await Promise.all([
    getJson('/api/summary'),
    getJson('/api/leaderboard'),
    getJson('/api/steps?limit=500'),
    getJson('/api/steps/latest'),
  ]);
  $('label').textContent = summary.label;
  $('last-step').textContent =
    summary.step === null ? 'none yet' : `${summary.step} at block ${summary.block}`;
  if (summary.lastWeights) $('last-weights').textContent = `block ${summary.lastWeights.block}`;
  renderLeaderboard(board.rows);
  renderCharts(list.steps, latest.step, board.rows);
  document.body.dataset.step = summary.step === null ? '' : String(summary.step);
}

function follow() {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => ($('connection').textContent = 'live'));
  events.addEventListener('error', () => ($('connection').textContent = 'reconnecting…'));
  events.addEventListener('live', (e) => renderLive(JSON.parse(e.data)));
  events.addEventListener('step', () => void refresh().catch(showError));
  events.addEventListener('weights', () => void refresh().catch(showError));
}

function showError(error) {
  $('connection').textContent = `error: ${error.message}`;
}

refresh()
  .then(() => getJson('/api/live'))
  .then((live) => {
    renderLive(live);
    if (live.mode === 'history') $('connection').textContent = 'history (validator stopped)';
    else follow();
  })
  .catch(showError);
