/**
 * The import direction of the pipeline (docs/design.md, README "Layout"), enforced by
 * `npm run lint`: vocabulary and catalog at the ground floor, then model → plan → constructs and
 * policy → stacks → artifacts. The review tools read files only (and the capacity.json schema); the
 * engine (real binaries for tests and dev teams) reads plan types and the vocabulary.
 * Each layer lists what it may import from src/; anything else is a back-up import and fails lint.
 */
const layer = (name, allowed) => ({
  name: allowed.length > 0 ? `${name}-imports-only-${allowed.join("-")}` : `${name}-imports-nothing-from-src`,
  comment: `src/${name} may import from src/ only: ${[name, ...allowed].map((a) => `src/${a}`).join(", ")}`,
  severity: "error",
  from: { path: `^src/${name}/` },
  to: { path: "^src/", pathNot: `^src/(${[name, ...allowed].join("|")})/` },
});

module.exports = {
  forbidden: [
    layer("vocabulary", []),
    layer("terraform-json", []),
    layer("catalog", ["vocabulary"]),
    layer("model", ["vocabulary", "catalog"]),
    layer("plan", ["vocabulary", "catalog", "model"]),
    layer("constructs", ["vocabulary", "catalog", "plan"]),
    layer("policy", ["vocabulary", "catalog", "model", "plan", "terraform-json"]),
    layer("artifacts", ["vocabulary", "catalog", "plan"]),
    layer("engine", ["vocabulary", "plan"]),
    {
      name: "review-reads-files-not-code",
      comment:
        "src/review draws and diffs what synth wrote (any commit's cdktf.out): it may import the vocabulary, the " +
        "Terraform JSON reader and the capacity.json schema, never the catalog, model, constructs or policy of today",
      severity: "error",
      from: { path: "^src/review/" },
      to: { path: "^src/", pathNot: "^src/(review|vocabulary|terraform-json)/|^src/plan/capacity-schema\\.ts$" },
    },
    {
      name: "src-does-not-import-its-callers",
      comment: "src/ is imported by stacks/, scripts/, main.ts and test/, never the other way round",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(stacks|scripts|test)/|^main\\.ts$" },
    },
    {
      name: "stacks-do-not-import-tools",
      comment: "stacks/ compose the synth; the review tools and the engine are not part of it",
      severity: "error",
      from: { path: "^stacks/" },
      to: { path: "^src/(review|engine)/|^(scripts|test)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^(src|stacks)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
