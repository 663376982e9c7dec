// Runs in the browser as well as in Node: no imports of Node modules here.

/** `text` safe to place in HTML or SVG markup (miners choose hotkeys' repo names). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A loss with 4 decimals; `inf` for null (a failed model). */
export function formatLoss(loss: number | null | undefined): string {
  return typeof loss === 'number' && Number.isFinite(loss) ? loss.toFixed(4) : 'inf';
}

/** 0.4567 → `45.7%`. */
export function formatPercent(share: number | null | undefined): string {
  return typeof share === 'number' && Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '–';
}

/** Seconds as `1 h 02 min`, `3 min 05 s` or `42 s`; `–` when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** `5FHneW46…M694ty` for a long hotkey. */
export function shortKey(key: string, keep = 6): string {
  return key.length > 2 * keep + 1 ? `${key.slice(0, keep)}…${key.slice(-keep)}` : key;
}

/** A stable, distinct colour per uid (golden-angle hues). */
export function uidColour(uid: number): string {
  return `hsl(${Math.round((uid * 137.508) % 360)}, 65%, 42%)`;
}

/** One line describing the step in progress, or that the validator is between steps. */
export function describeLiveStep(
  step: {
    step: number;
    block: number;
    modelIndex: number;
    modelCount: number;
    uid: number | null;
    batchesDone: number;
    batchCount: number;
    tokensPerSecond: number;
    etaSeconds: number | null;
  } | null,
): string {
  if (step === null) return 'between steps';
  const model =
    step.uid === null ? 'sampling pages' : `model ${step.modelIndex} of ${step.modelCount} (uid ${step.uid})`;
  return (
    `step ${step.step} at block ${step.block}: ${model}, batch ${step.batchesDone}/${step.batchCount}, ` +
    `${Math.round(step.tokensPerSecond)} tokens/s, ETA ${formatDuration(step.etaSeconds)}`
  );
}
