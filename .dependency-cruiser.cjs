/**
 * Boundaries the code keeps (decision 028). `npm run lint` runs this over src/; a rule broken is a lint failure.
 * @type {import('dependency-cruiser').IConfiguration}
 */
// The module map of docs/architecture.md: which other modules a module's files may import (their queries.ts,
// row-sources.ts, policy.ts, schemas.ts or use cases). A DAG, so no module-level cycle can come back. Files beside the
// module folders compose across all of them and may be imported by any module: events.ts (who reacts to what),
// abilities.ts (the pages and actions a user is offered, from every module's policy), ownership.ts.
const MODULE_DEPS = {
  organizations: ['documents'],
  auth: [],
  audit: ['documents'],
  meta: [],
  documents: [],
  accounts: ['auth', 'organizations'],
  campaigns: ['auth', 'organizations', 'documents'],
  oversight: ['campaigns', 'organizations', 'documents'],
  meetings: ['auth', 'campaigns', 'organizations', 'oversight', 'documents'],
  ballots: ['auth', 'campaigns', 'meetings', 'organizations', 'documents'],
  surveys: ['ballots', 'campaigns', 'organizations', 'documents'],
  assessment: ['campaigns', 'documents'],
  evaluation: ['ballots', 'campaigns', 'organizations', 'documents'],
  reports: ['campaigns', 'meetings', 'organizations', 'documents'],
  rectification: ['assessment', 'ballots', 'campaigns', 'meetings', 'oversight', 'reports', 'surveys', 'documents'],
  results: ['ballots', 'campaigns', 'oversight', 'documents'],
  themes: ['assessment', 'ballots', 'campaigns', 'meetings', 'rectification', 'documents'],
};
const moduleDirection = Object.entries(MODULE_DEPS).map(([name, deps]) => ({
  name: `module-direction-${name}`,
  comment: `${name} may import ${deps.length ? deps.join(', ') : 'no other module'} (MODULE_DEPS, docs/architecture.md).`,
  severity: 'error',
  from: { path: `^src/server/modules/${name}/` },
  to: {
    path: '^src/server/modules/[^/]+/',
    pathNot: [`^src/server/modules/(${[name, ...deps].join('|')})/`],
  },
}));

module.exports = {
  forbidden: [
    ...moduleDirection,
    {
      name: 'module-in-map',
      comment: 'A new module folder names the modules it may import in MODULE_DEPS first.',
      severity: 'error',
      from: { path: `^src/server/modules/(?!(${Object.keys(MODULE_DEPS).join('|')})/)[^/]+/` },
      to: { path: '^src/server/modules/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds rules only: no server, no web, no database, no HTTP, no files, no processes.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          '^src/(server|web)/',
          '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|cluster|dgram|dns|tls)$',
          '^node_modules/(drizzle-orm|pg|pg-[^/]+|@electric-sql|fastify|@fastify|exceljs|docx|pdfkit|react|react-dom|antd)/',
        ],
      },
    },
    {
      name: 'web-not-server',
      comment:
        'The web reaches the server over HTTP only. It may import the zod schemas the server validates with ' +
        '(src/server/modules/*/schemas.ts), so both ends agree on the shapes.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: {
        path: '^src/server/',
        pathNot: ['^src/server/modules/[^/]+/schemas\\.ts$'],
      },
    },
    {
      name: 'schemas-are-leaf',
      comment:
        "A module's schemas.ts is what the web compiles of the server: it imports zod, src/domain and other schemas.ts " +
        'files only (src/server/http/schemas.ts holds the shared Id), never a use case, the database, Drizzle or Fastify, ' +
        'so the web program stays free of server code and its compiler settings (decision 025).',
      severity: 'error',
      from: { path: '^src/server/modules/[^/]+/schemas\\.ts$' },
      to: {
        path: [
          '^src/(server|web)/',
          '^node_modules/',
          '^node:',
          '^(fs|fs/promises|crypto|path|os|net|http|https|child_process|worker_threads)$',
        ],
        pathNot: ['^src/server/(modules/[^/]+|http)/schemas\\.ts$', '^node_modules/zod/'],
      },
    },
    {
      name: 'no-circular-modules',
      comment:
        'No file-level import cycle through the server modules (module-level cycles cannot happen: MODULE_DEPS is ' +
        'a DAG). Cycles elsewhere in the server are known and left: the Drizzle schema files import schema.ts, ' +
        'which re-exports them; http/context↔session-streams; backup/files↔manifest.',
      severity: 'error',
      from: { path: '^src/server/modules/' },
      to: {
        circular: true,
      },
    },
    {
      name: 'no-circular-outside-server',
      comment: 'No import cycles in the domain or the web.',
      severity: 'error',
      from: { pathNot: '^src/server/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from the server is as much a dependency on it as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
