/** Outcome counts of one target: `accepted`, `refused <code>`, or a failure kind. */
export type TargetOutcomes = Record<string, number>;

/** A case that crashed, broke an invariant, hung or ran out of memory. */
export interface FuzzFailure {
  readonly index: number;
  readonly target: string;
  readonly kind: 'crash' | 'invariant' | 'hang' | 'memory' | 'harness';
  readonly detail: string;
}

/** What a campaign did. */
export interface FuzzSummary {
  readonly seed: string;
  readonly first: number;
  readonly cases: number;
  readonly seconds: number;
  readonly outcomes: Record<string, TargetOutcomes>;
  readonly failures: FuzzFailure[];
  readonly stoppedEarly: boolean;
}

/** Options of {@link runCampaign}. */
export interface CampaignOptions {
  readonly seed?: string;
  readonly cases?: number;
  readonly first?: number;
  readonly maxSeconds?: number;
  readonly hangSeconds?: number;
  readonly heapMb?: number;
  readonly maxArrayBuffersMb?: number;
  readonly targets?: readonly string[];
  readonly onProgress?: (summary: FuzzSummary) => void;
}

/** Every target, in the order cases cycle through them. */
export const TARGET_NAMES: readonly string[];

/** Run a seeded campaign in a watched worker thread (see scripts/fuzz.mjs). */
export function runCampaign(options: CampaignOptions): Promise<FuzzSummary>;
