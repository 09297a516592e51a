// Module boundaries of src/, checked in CI by `npm run depcruise` (dependency-cruiser).
//
// The layers, from the bottom up (a module may import from its own layer's `common`/`config` and
// from lower layers, never from higher ones):
//
//   config            the validated AppConfig; imports nothing else from src/
//   common            clock, randomness, crypto, cache, errors, HTTP helpers, recipients, SQL result
//                     helpers; imports only config
//   audit, metrics,   leaf features: the audit trail, Prometheus metrics, SMS/email delivery
//   notification
//   rate-limit        per-IP limits (may record blocks in the audit trail)
//   otp               codes and verification tokens (may use rate-limit, audit, notification)
//   accounts          HR accounts: passwords, access tokens, login and /me, the login throttle
//   flows, admin      built on the modules above (flows on accounts; admin on its login throttle);
//                     each flow is a folder of src/flows that reaches no other flow
//   database          the TypeORM wiring: lists every feature's entity, so it sits at the top
//   app.module.ts, bootstrap/, main.ts, cluster.ts   composition and process entry points
//
// Each rule says why it exists. An exception is narrow (one file) and states its reason.

/** Every top-level folder of src/ that holds a feature (anything but config and common). */
const FEATURES = '^src/(?!common/|config/)[^/]+/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes the import order (and so Nest decorator metadata) fragile and hides which ' +
        'module owns what. Move the shared part down a layer instead.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'otp-not-to-flows-or-admin',
      severity: 'error',
      comment:
        'OTP is a building block: the flows and the admin API are built on it, never the reverse.',
      from: { path: '^src/otp/' },
      to: { path: '^src/(flows|admin)/' },
    },
    {
      name: 'accounts-not-to-flows-or-admin',
      severity: 'error',
      comment:
        'Accounts (login, /me, passwords, access tokens) are what the flows build on: ' +
        'registration and password reset import AccountsModule, never the reverse.',
      from: { path: '^src/accounts/' },
      to: { path: '^src/(flows|admin)/' },
    },
    {
      name: 'flows-not-into-other-flows',
      severity: 'error',
      comment:
        'Each folder of src/flows is one flow; what two flows share lives in a lower module ' +
        '(accounts, otp) or in src/flows/common, never inside the other flow.',
      from: { path: '^src/flows/(?!common/)([^/]+)/' },
      to: { path: '^src/flows/[^/]+/', pathNot: ['^src/flows/$1/', '^src/flows/common/'] },
    },
    {
      name: 'flows-common-not-to-flows',
      severity: 'error',
      comment: 'src/flows/common is shared by the flows, so it depends on none of them.',
      from: { path: '^src/flows/common/' },
      to: { path: '^src/flows/(?!common/)[^/]+/' },
    },
    {
      name: 'otp-not-to-vendors',
      severity: 'error',
      comment:
        'OTP sends through NotificationService; it knows nothing about SMS or email vendors.',
      from: { path: '^src/otp/' },
      to: { path: '^src/notification/(sms|email)/' },
    },
    {
      name: 'rate-limit-not-to-otp',
      severity: 'error',
      comment: 'Per-IP limits sit below OTP (OTP routes use them); shared DTOs live in src/common.',
      from: { path: '^src/rate-limit/' },
      to: { path: '^src/(otp|flows|admin)/' },
    },
    {
      name: 'leaf-features-stay-leaves',
      severity: 'error',
      comment:
        'The audit trail, metrics and notification are used by the other features and use only ' +
        'common and config (notification may count deliveries in metrics).',
      from: { path: '^src/(audit|metrics|notification)/' },
      to: {
        path: FEATURES,
        pathNot: ['^src/$1/', '^src/metrics/metrics\\.service\\.ts$'],
      },
    },
    {
      name: 'nothing-to-bootstrap',
      severity: 'error',
      comment:
        'src/bootstrap configures the HTTP server of a process; only the entry points use it.',
      from: { path: '^src/', pathNot: ['^src/(main|cluster)\\.ts$', '^src/bootstrap/'] },
      to: { path: '^src/bootstrap/' },
    },
    {
      name: 'nothing-to-app-module',
      severity: 'error',
      comment: 'The root module composes the features; features never reach back up to it.',
      from: { path: '^src/', pathNot: ['^src/(main|cluster)\\.ts$', '^src/bootstrap/'] },
      to: { path: '^src/app\\.module\\.ts$' },
    },
    {
      name: 'common-not-to-features',
      severity: 'error',
      comment:
        'src/common is the shared bottom layer: it may read config, and nothing above it. A ' +
        'helper that needs a feature belongs to that feature.',
      from: { path: '^src/common/' },
      to: { path: [FEATURES, '^src/[^/]+\\.ts$'] },
    },
    {
      name: 'config-is-the-bottom',
      severity: 'error',
      comment: 'AppConfig is built from the environment alone; it imports nothing else from src/.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'features-not-to-database',
      severity: 'error',
      comment:
        'src/database is the top of the data layer (it lists every entity). Repositories take ' +
        'DataSource/Repository from @nestjs/typeorm; generic SQL helpers live in src/common/database.',
      from: { path: FEATURES, pathNot: '^src/database/' },
      to: { path: '^src/database/' },
    },
    {
      name: 'database-not-to-features',
      severity: 'error',
      comment:
        'The database wiring knows features only through their entities. Exception: ' +
        'src/database/entities.ts is the one list of every entity, read by the TypeORM module, the ' +
        'CLI data source and the migration check; it imports each feature’s *.entity.ts and ' +
        'nothing else. (Each feature registering its own entities is a larger move, left for later.)',
      from: { path: '^src/database/' },
      to: { path: FEATURES, pathNot: ['^src/database/', '\\.entity\\.ts$'] },
    },
    {
      name: 'entities-only-from-entities-ts',
      severity: 'error',
      comment: 'The narrow exception above: only entities.ts reaches into the features.',
      from: { path: '^src/database/', pathNot: '^src/database/entities\\.ts$' },
      to: { path: FEATURES, pathNot: '^src/database/' },
    },
    {
      name: 'no-spec-imports',
      severity: 'error',
      comment: 'Production code never imports a test file or test support.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: ['\\.spec\\.ts$', '^test/'] },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment: 'npm ci --omit=dev must still run the service.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'A file nothing imports is dead code, unless it is an entry point: main.ts and cluster.ts ' +
        '(the service), database/data-source.ts (TypeORM CLI), bootstrap/write-openapi.ts ' +
        '(npm run openapi:write) or a spec.',
      from: {
        orphan: true,
        pathNot: [
          '\\.spec\\.ts$',
          '\\.d\\.ts$',
          '^src/(main|cluster)\\.ts$',
          '^src/database/data-source\\.ts$',
          '^src/bootstrap/write-openapi\\.ts$',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|data)/' },
    // Count `import type` too: a type-only import is still a dependency between modules.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
