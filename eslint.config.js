import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Outside its own folder, a module names another by `#src/…` (package.json "imports"), never by
// `../` (README, "Module map"). The one exception: the data source lists the migrations.
const ALIAS_IMPORTS = {
  regex: '^\\.\\./(?!.*migrations/index\\.js$)',
  message: 'Import from another folder of src/ through #src/…, not ../',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'jest.config.js',
      'eslint.config.js',
      'bench/**/*.mjs',
      'admin-ui/*.mjs',
      'admin-ui/dist/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through AppConfig (src/config).',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ALIAS_IMPORTS] }] },
  },
  {
    files: ['src/config/**', 'test/**', 'bench/**', 'src/cluster.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: [
      'src/otp/**',
      'src/rate-limit/**',
      'src/audit/**',
      'src/notification/**',
      'src/flows/**',
    ],
    ignores: ['**/*.repository.ts', '**/*.entity.ts', '**/*.store.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', message: 'Only repositories, entities and stores use typeorm.' },
          ],
          patterns: [ALIAS_IMPORTS],
        },
      ],
    },
  },
);
