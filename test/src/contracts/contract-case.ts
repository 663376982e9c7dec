/**
 * One behaviour a port implementation must show, run against a harness the implementer
 * prepares. Cases use `node:assert` only, so they run under any test framework, or none
 * ({@link runContractCases}); `@pretrain/conformance/vitest` registers them with vitest.
 */
export interface ContractCase<H> {
  /** What the case checks, as a test title. */
  readonly name: string;
  /** Throws (an `AssertionError` or the implementation's own error) when the behaviour is wrong. */
  run(harness: H): Promise<void>;
}

/** The outcome of one {@link ContractCase}. */
export interface ContractCaseResult {
  readonly name: string;
  readonly passed: boolean;
  /** What it threw, when it failed. */
  readonly error?: unknown;
}

/** Run `cases` one after another against `harness`, without a test framework. */
export async function runContractCases<H>(
  cases: readonly ContractCase<H>[],
  harness: H,
): Promise<ContractCaseResult[]> {
  const results: ContractCaseResult[] = [];
  for (const c of cases) {
    try {
      await c.run(harness);
      results.push({ name: c.name, passed: true });
    } catch (error) {
      results.push({ name: c.name, passed: false, error });
    }
  }
  return results;
}
