// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { ADAPTER_PACKAGES, ADAPTERS_IN_CORE, CORE, LOCAL_AWS_USERS } from "./scripts/layers.mjs";

/** TypeScript files in these folders (`src/util` -> `src/util/**\/*.ts`). */
const ts = (/** @type {readonly string[]} */ folders) => folders.map((f) => `${f}/**/*.ts`);

/**
 * A relative import whose path has a folder (or file) named one of `names`, at any depth:
 * `../cli/io`, `../../src/demo`, `./aws/handler`. No folder of the core has these names, so
 * such a segment always means the adapter or top-level folder of that name.
 */
const relativeTo = (/** @type {readonly string[]} */ names) =>
  `^\\.\\.?/(?:[^/]+/)*(?:${names.join("|")})(?:/|\\.ts$|$)`;

const WHY = "see docs/ARCHITECTURE.md, Layers";

const LOCAL_AWS = {
  regex: relativeTo(["local-aws"]),
  message: `only src/demo, test/ and bench/ import the local AWS servers (src/local-aws): ${WHY}`,
};
const ADAPTER_FOLDERS = {
  regex: relativeTo(["cli", "demo", "stacks", "policies", "aws", "duckdb"]),
  message: `the core does not import an adapter (src/cli, stacks/, policies/, src/reconciler/aws, src/reconciler/duckdb) or the demo; pass what it needs in through a port: ${WHY}`,
};
const SDKS = {
  group: ADAPTER_PACKAGES,
  message: `the core does not import Pulumi, the AWS SDK, the Lambda Powertools or DuckDB; that code belongs in an adapter: ${WHY}`,
};
const restrict = (/** @type {object[]} */ ...patterns) => ["error", { patterns }];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "out/",
      "policies/dist/",
      "test/.artifacts/",
      "coverage/",
      ".mutation/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        require: "readonly",
        __dirname: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },

  // Type-aware rules, only those that catch real bugs: a promise nobody awaits (its rejection
  // is lost, its work races the next line), a promise where a value or a void callback is
  // expected (`if (promise)`, an async listener whose rejection nobody sees), `await` on a
  // non-promise.
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["vitest.config.ts", "vitest.mutation.config.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },

  // Import boundaries (docs/ARCHITECTURE.md). Each block replaces the rule's options of the
  // blocks before it for the files it matches, so each lists every pattern that holds there.
  {
    files: ["**/*.ts", "**/*.mjs", "**/*.js", "**/*.cjs"],
    ignores: ts(LOCAL_AWS_USERS),
    rules: { "no-restricted-imports": restrict(LOCAL_AWS) },
  },
  {
    files: ts(CORE),
    ignores: ts(ADAPTERS_IN_CORE),
    rules: { "no-restricted-imports": restrict(LOCAL_AWS, ADAPTER_FOLDERS, SDKS) },
  },
  {
    // The demo is the top layer: the CLI renders it (src/cli/demo-render.ts), so the demo
    // importing the CLI would be a cycle again.
    files: ts(["src/demo"]),
    rules: {
      "no-restricted-imports": restrict({
        regex: relativeTo(["cli"]),
        message: `the demo returns data and the CLI renders it (src/cli/demo-render.ts): ${WHY}`,
      }),
    },
  },
);
