// Lint rules for every workspace: typescript-eslint's recommended set on TS sources,
// Node globals for plain JS/MJS files (launchers, bench scripts, this file).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Runtimes core and the backend SDK never load (adapters and backends do). */
const HEAVY_RUNTIMES = [
  'onnxruntime-*',
  '@tensorflow/*',
  '@polkadot/*',
  '@acala-network/*',
  '@huggingface/*',
  'yargs',
  'yargs/*',
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/build/**', 'coverage/**', '**/*.d.ts', '.pretrain/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `==` hides type confusion between chain, JSON and config values.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Import boundary (ARCHITECTURE.md): core holds the contracts and the subnet's rules and
    // loads no heavy runtime; those live in the adapter and backend packages, which core finds
    // as plugins. Its only @pretrain dependency is the backend SDK. Its tests may use real
    // adapters (the rule skips *.test.ts).
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...HEAVY_RUNTIMES, '@pretrain/*', '!@pretrain/backend-sdk'],
              message:
                '@pretrain/core stays free of heavy runtimes and of the other @pretrain packages but the SDK: put this in an adapter or backend package',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/backend-sdk/src/**/*.ts'],
    ignores: ['packages/*/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...HEAVY_RUNTIMES, '@pretrain/*'],
              message: '@pretrain/backend-sdk depends on nothing of ours and loads no heavy runtime',
            },
          ],
        },
      ],
    },
  },
  {
    // A backend depends on the SDK and its own runtime, never on the host (issue 15): what
    // it needs from core belongs in the SDK.
    files: ['packages/backend-*/src/**/*.ts', 'packages/backend-*/src/**/*.mts'],
    ignores: [
      'packages/backend-sdk/**',
      'packages/*/src/**/*.test.ts',
      'packages/*/src/**/*.test-support.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pretrain/*', '!@pretrain/backend-sdk'],
              message:
                'a backend imports @pretrain/backend-sdk only (and its runtime): add what it needs to the SDK',
            },
          ],
        },
      ],
    },
  },
  {
    // CommonJS on purpose (a module both an .mjs script and the compiled package load).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The dashboard page's script runs in the browser.
    files: ['packages/cli/assets/dashboard/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
