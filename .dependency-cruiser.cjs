/**
 * The layers and what each may import (`npm run lint` checks them). Inner layers know nothing of outer
 * ones: domain ← store, connectors ← workflows, activities ← services ← api, bot, email ← runtime ← bin.
 */
const folder = (names) => `^(${names.join('|')})/`;

/** Each layer, and the project folders it must not import. */
const LAYERS = {
  domain: [
    'store',
    'connectors',
    'workflows',
    'activities',
    'services',
    'api',
    'bot',
    'email',
    'runtime',
    'worker',
    'bin',
    'bench',
    'test',
  ],
  store: ['workflows', 'activities/index', 'services', 'api', 'bot', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  connectors: ['workflows', 'activities', 'services', 'api', 'bot', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  workflows: ['store', 'connectors', 'services', 'api', 'bot', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  activities: ['services', 'api', 'bot', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  services: ['api', 'bot', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  api: ['bot', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  bot: ['api', 'email', 'runtime', 'worker', 'bin', 'bench', 'test'],
  email: ['api', 'bot', 'runtime', 'worker', 'bin', 'bench', 'test'],
  runtime: ['bin', 'bench', 'test'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module may not, through its imports, import itself.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(LAYERS).map(([layer, outer]) => ({
      name: `${layer}-is-inner`,
      comment: `${layer}/ does not import what is built on it.`,
      severity: 'error',
      from: { path: `^${layer}/` },
      to: { path: folder(outer) },
    })),
    {
      name: 'workflows-stay-deterministic',
      comment: 'The workflow bundle holds no database, network or file access: types only from activities.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.stryker-tmp|reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
