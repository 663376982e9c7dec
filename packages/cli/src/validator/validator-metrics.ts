import type { ValidatorObserver } from '@pretrain/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The validator's Prometheus metrics, in their own registry, fed by the validator's
 * events through {@link observer}; with prom-client's process metrics (resident memory,
 * heap, open file descriptors, event-loop lag) so that a long run's growth shows.
 */
export class ValidatorMetrics {
  readonly registry = new Registry();
  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
  private readonly stepDuration = new Histogram({
    name: 'pretrain_validator_step_duration_seconds',
    help: 'Wall time of one eval step (sampling, every model, scoring)',
    buckets: [10, 30, 60, 120, 300, 600, 1200, 2400, 4800],
    registers: [this.registry],
  });
  private readonly modelsEvaluated = new Counter({
    name: 'pretrain_validator_models_evaluated_total',
    help: 'Models evaluated, by outcome (ok, or the failure reason)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly rejections = new Counter({
    name: 'pretrain_validator_rejections_total',
    help: 'Models refused by a validator check, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly tokensPerSecond = new Gauge({
    name: 'pretrain_validator_tokens_per_second',
    help: 'Tokens scored per second of evaluation in the last step',
    registers: [this.registry],
  });
  private readonly weights = new Gauge({
    name: 'pretrain_validator_weight',
    help: 'Current moving-average weight of each uid with a non-zero weight',
    labelNames: ['uid'] as const,
    registers: [this.registry],
  });
  private readonly lastWeightsBlock = new Gauge({
    name: 'pretrain_validator_last_set_weights_block',
    help: 'Block at which set_weights last succeeded',
    registers: [this.registry],
  });
  private readonly steps = new Counter({
    name: 'pretrain_validator_steps_total',
    help: 'Eval steps completed',
    registers: [this.registry],
  });

  /** The observer that keeps the metrics current. */
  observer(): ValidatorObserver {
    return {
      onStepDone: (step) => {
        this.steps.inc();
        this.stepDuration.observe(step.durationMs / 1000);
        this.tokensPerSecond.set(step.tokensPerSecond);
        for (const row of step.rows) this.modelsEvaluated.inc({ outcome: row.failure ?? 'ok' });
        this.weights.reset();
        step.weights.forEach((weight, uid) => {
          if (weight > 0) this.weights.set({ uid: String(uid) }, weight);
        });
      },
      onRejection: ({ reason }) => this.rejections.inc({ reason }),
      onWeightsSet: ({ block }) => this.lastWeightsBlock.set(block),
    };
  }
}
