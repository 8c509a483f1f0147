/**
 * The layers of DESIGN.md, enforced: domain types at the bottom import nothing of ours; the
 * database layer imports only the domain; the core imports no adapter, HTTP or SDK, and neither it
 * nor the scheduler writes SQL; adapters never import the composition root. No cycles anywhere.
 */
const DOMAIN = '^src/core/(model|delivery|errors|ports|clock|logger|pacer|backoff|actor|leadership)\\.ts$'

module.exports = {
  forbidden: [
    { name: 'no-cycle', severity: 'error', from: { path: '^(src|adapters)/' }, to: { circular: true } },
    {
      name: 'domain-imports-nothing',
      comment: 'Domain types are the bottom layer: they import only each other.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^(src|adapters)/', pathNot: DOMAIN },
    },
    {
      name: 'db-imports-domain-only',
      comment: 'src/db holds the schema and all SQL; it may import the domain, never the core above it.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^(src|adapters)/', pathNot: [DOMAIN, '^src/db/', '^migrations/'] },
    },
    {
      name: 'core-imports-no-adapter',
      comment: 'The core imports no adapter, no HTTP layer and no composition root.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(adapters|src/http|src/app|src/main|src/scheduler)' },
    },
    {
      name: 'core-imports-no-sdk',
      comment: 'The core speaks to platforms through ports, never through their SDKs.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: 'node_modules/(@slack|grammy|discord\\.js|whatsapp-web\\.js|qrcode)' },
    },
    {
      name: 'sql-lives-in-db',
      comment:
        'The core and the scheduler call repository functions; they may name kysely types but compose no SQL.',
      severity: 'error',
      from: { path: '^src/(core|scheduler)/' },
      to: { path: 'node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-below-app',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^src/(app|main)\\.ts$' },
    },
    {
      name: 'migrations-are-frozen',
      comment: 'A migration never imports app code: it must read the same forever.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^(src|adapters)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
