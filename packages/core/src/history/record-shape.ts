import type { StepRecord, WeightsRecord } from './step-record.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isNumberOrNull = (value: unknown): boolean => value === null || typeof value === 'number';

function isRow(value: unknown): boolean {
  return (
    isObject(value) &&
    isCount(value.uid) &&
    typeof value.hotkey === 'string' &&
    isNumberOrNull(value.averageLoss) &&
    typeof value.winRate === 'number' &&
    typeof value.weight === 'number' &&
    isObject(value.lossSummary)
  );
}

/** Whether a parsed history line is a {@link StepRecord} this version reads. */
export function isStepRecord(value: unknown): value is StepRecord {
  return (
    isObject(value) &&
    value.v === 1 &&
    value.type === 'step' &&
    typeof value.run === 'string' &&
    isCount(value.step) &&
    typeof value.time === 'number' &&
    isCount(value.block) &&
    Array.isArray(value.rows) &&
    value.rows.every(isRow) &&
    Array.isArray(value.weights) &&
    Array.isArray(value.pages)
  );
}

/** Whether a parsed history line is a {@link WeightsRecord}. */
export function isWeightsRecord(value: unknown): value is WeightsRecord {
  return (
    isObject(value) &&
    value.v === 1 &&
    value.type === 'weights' &&
    typeof value.time === 'number' &&
    isCount(value.block) &&
    Array.isArray(value.uids) &&
    Array.isArray(value.values)
  );
}
