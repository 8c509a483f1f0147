// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const sdks = [
  'grammy',
  'grammy/*',
  '@slack/*',
  'discord.js',
  'whatsapp-web.js',
  'better-sqlite3',
  'node-cron',
]

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // The core knows no platform: adapters translate, the core decides.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: sdks, message: 'src/core imports no platform SDK; put it in adapters/.' }] },
      ],
    },
  },
  {
    // Every start imports the registry: a channel's adapter and SDK are imported in its create().
    files: ['adapters/*/channel.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...sdks, 'qrcode', './index.js'],
              allowTypeImports: true,
              message:
                "Every start imports the registry, on or off: import the adapter and its SDK inside create(), with await import('./index.js').",
            },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in src/db/repos. A query builder needs no import of kysely (it hangs off the Db the
    // core holds), so the layer rule on imports cannot see one: this rule does.
    files: ['src/core/**/*.ts', 'src/scheduler/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression > MemberExpression.callee > Identifier.property[name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|with|withRecursive)$/]',
          message: 'The core and the scheduler compose no SQL: call (or add) a function in src/db/repos.',
        },
      ],
    },
  },
  {
    // Migrations are frozen in time: they see the schema as it was, not our types (kysely's advice).
    files: ['migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests await the moment the work is done; polling on the wall clock is slow and flaky.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['waitFor', 'waitUntil'].map((property) => ({
          object: 'vi',
          property,
          message:
            "Await the moment the work is done instead of polling: the awaited Slack or webhook request (afterAnswer), a fake's hook (telegram.confirmed, FakeWebClient.onInitialize), a watched host (watchHost(adapter).received.reach(n)), arrivals().reach(n), log.next(msg), or outbox.drain().",
        })),
      ],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
)
