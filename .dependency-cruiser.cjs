/**
 * The layering rules (docs/architecture.md, "Dependency rules"), enforced in `npm test`
 * (npm run lint:deps).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "lib-is-pure",
      comment: "lib/ is isomorphic: it imports only lib/ and a few pure packages, never server code or Node APIs.",
      severity: "error",
      from: { path: "^lib/" },
      to: {
        dependencyTypesNot: ["type-only"],
        pathNot: [
          "^lib/",
          "node_modules/(zod|react|@tanstack/react-query|@trpc/client|@trpc/tanstack-react-query|superjson)/",
        ],
      },
    },
    {
      name: "services-are-edge-agnostic",
      comment: "Services are called by tRPC, REST, jobs, the CLI and tests alike: they never know the edge.",
      severity: "error",
      from: { path: "^server/services/" },
      to: { path: ["^server/(trpc|http|auth)/", "^app/", "node_modules/(next|@trpc)/"] },
    },
    {
      name: "services-through-their-index",
      comment: "A service reaches another service only through its index.ts, or its internal.ts for unguarded reads.",
      severity: "error",
      from: { path: "^server/services/([^/]+)/" },
      to: { path: "^server/services/([^/]+)/(?!(index|internal)\\.ts$)", pathNot: "^server/services/$1/" },
    },
    {
      name: "internal-modules-stay-in-services",
      comment:
        "A service's internal.ts reads project data without checking the caller's scope: only services " +
        "(which check it themselves) may import it; edges, pages, components and tests go through index.ts.",
      severity: "error",
      from: { pathNot: "^server/services/" },
      to: { path: "^server/services/[^/]+/internal[^/]*$" },
    },
    {
      name: "prisma-only-in-server",
      comment: "Only server/ talks to the database.",
      severity: "error",
      from: { path: "^(app|components|lib)/" },
      to: { path: ["^server/db/", "node_modules/(@prisma|pg)/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "adapters-never-touch-prisma",
      comment: "tRPC routers and REST handlers parse, authorize, call a service and map errors; nothing else.",
      severity: "error",
      from: { path: ["^server/trpc/", "^server/http/", "^app/api/", "/route\\.ts$"] },
      // server/db/errors.ts only translates database failures (a statement timeout) for the edges.
      to: { path: ["^server/db/", "node_modules/@prisma/"], pathNot: "^server/db/errors\\.ts$" },
    },
    {
      name: "components-never-import-server",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^server/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "pages-use-the-rsc-caller",
      comment: "Pages and layouts reach the server only through server/trpc/rsc.ts.",
      severity: "error",
      from: { path: "^app/", pathNot: "(^app/api/|/route\\.ts$)" },
      to: { path: "^server/", pathNot: "^server/trpc/rsc\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "route-handlers-use-edges",
      comment: "Route handlers go through the REST edge, the tRPC handler, the auth configuration or a service's index.",
      severity: "error",
      from: { path: "(^app/api/|/route\\.ts$)" },
      to: {
        path: "^server/",
        pathNot: [
          "^server/http/",
          "^server/trpc/http-handler\\.ts$",
          "^server/auth/options\\.ts$",
          "^server/services/[^/]+/index\\.ts$",
        ],
      },
    },
    {
      name: "nothing-imports-tests",
      severity: "error",
      from: { pathNot: "^(tests|e2e)/" },
      to: { path: "^(tests|e2e)/" },
    },
    {
      name: "sdk-is-independent",
      severity: "error",
      from: { path: "^sdk/" },
      to: { path: "^(app|components|lib|server|scripts)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { pathNot: "^server/db/generated/" },
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^server/db/generated/", "^\\.next/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
