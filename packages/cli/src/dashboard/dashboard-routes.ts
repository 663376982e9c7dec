import type { StepHistory, StepRecord } from '@pretrain/core';
import { leaderboard } from './leaderboard.js';
import type { LiveState } from './live-state.js';

/** What the dashboard serves from: the step history and the live state. */
export interface DashboardSource {
  readonly history: StepHistory;
  readonly live: LiveState;
  /** Shown in the page's title (e.g. `netuid 9, hotkey 5F…`). */
  readonly label: string;
}

/** A JSON answer: status and body. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Longest `limit` accepted by `/api/steps`. */
export const MAX_STEPS_LIMIT = 2000;

const DEFAULT_STEPS_LIMIT = 200;

/** The API's routes, for the 404 answer and the docs. */
export const API_ROUTES = [
  '/api/summary',
  '/api/leaderboard',
  '/api/steps?limit=<1..2000>',
  '/api/steps/latest',
  '/api/weights',
  '/api/live',
  '/api/events',
] as const;

const fail = (status: number, error: string): ApiAnswer => ({ status, body: { error } });

/** A step without its per-batch losses (the list endpoint stays small). */
function withoutLosses(step: StepRecord): StepRecord {
  return { ...step, rows: step.rows.map(({ losses: _losses, ...row }) => row) };
}

/**
 * Answer `GET path?query` of the JSON API (everything but `/api/events`, which streams).
 * Unknown paths are 404 and bad query values 400: every input gets an answer, never a throw.
 */
export function answerApi(source: DashboardSource, path: string, query: URLSearchParams): ApiAnswer {
  const { history, live } = source;
  const steps = history.recentSteps();
  switch (path) {
    case '/api/summary': {
      const newest = steps.at(-1);
      return {
        status: 200,
        body: {
          label: source.label,
          mode: live.snapshot().mode,
          run: newest?.run ?? null,
          step: newest?.step ?? null,
          block: newest?.block ?? null,
          time: newest?.time ?? null,
          stepsInMemory: steps.length,
          lastWeights: history.weightsSet().at(-1) ?? null,
        },
      };
    }
    case '/api/leaderboard':
      return { status: 200, body: { rows: leaderboard(steps, history.weightsSet()) } };
    case '/api/steps': {
      const limit = parseLimit(query.get('limit'));
      if (limit === undefined) return fail(400, `limit must be an integer from 1 to ${MAX_STEPS_LIMIT}`);
      return { status: 200, body: { steps: steps.slice(-limit).map(withoutLosses) } };
    }
    case '/api/steps/latest':
      return { status: 200, body: { step: steps.at(-1) ?? null } };
    case '/api/weights':
      return { status: 200, body: { weights: history.weightsSet().slice(-DEFAULT_STEPS_LIMIT) } };
    case '/api/live':
      return { status: 200, body: live.snapshot() };
    default:
      return fail(404, `no such API route; try ${API_ROUTES.join(', ')}`);
  }
}

/** `limit` when absent is the default; else a decimal integer in range, or undefined (bad). */
function parseLimit(value: string | null): number | undefined {
  if (value === null) return DEFAULT_STEPS_LIMIT;
  if (!/^[0-9]{1,4}$/.test(value)) return undefined;
  const limit = Number(value);
  return limit >= 1 && limit <= MAX_STEPS_LIMIT ? limit : undefined;
}
