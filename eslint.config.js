// Lint rules for every workspace: typescript-eslint's recommended set on TS sources,
// Node globals for plain JS/MJS files (launchers, bench scripts, this file).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
    // as plugins. Its tests may use real adapters (the rule skips *.test.ts).
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'onnxruntime-*',
                '@tensorflow/*',
                '@polkadot/*',
                '@acala-network/*',
                '@huggingface/*',
                'yargs',
                'yargs/*',
                '@pretrain/*',
              ],
              message:
                '@pretrain/core stays free of heavy runtimes and of the other @pretrain packages: put this in an adapter or backend package',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
