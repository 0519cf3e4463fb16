/**
 * Generates the resource catalog the policy rules and the auto-tagging helper read:
 *
 * - `src/policy/catalog/taggable-types.json`: every `aws:` and `aws-native:` resource type that
 *   takes tags, with the input property that holds them and its shape;
 * - `src/policy/catalog/ai-types.json`: every resource type of the AI services (taggable or
 *   not), the same facts per type.
 *
 * The facts come from the installed `@pulumi/aws` and `@pulumi/aws-native` packages (each
 * resource's `.js` gives its type token, its `.d.ts` its input properties), so a provider bump
 * that adds, removes or re-shapes a type shows up as a diff to review. `test/policy/catalog.test.ts`
 * fails when the committed files and the installed packages disagree.
 *
 * Run: `npm run catalog` (writes the files) or `npm run catalog -- --check` (exit 1 on drift).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
// Types only: the generator writes the data that src/policy/catalog.ts reads, so it must not
// import that module's values (they may not exist yet on a first run).
import type { TagLocation, TagShape } from "../src/policy/catalog";

export interface GeneratedAiType {
  /** The service module, e.g. `bedrock`, `sagemaker`. */
  readonly service: string;
  /** Where the tags live; absent when the type cannot be tagged. */
  readonly tags?: TagLocation;
}

export interface GeneratedCatalog {
  readonly taggable: {
    readonly generatedFrom: Readonly<Record<string, string>>;
    readonly types: Readonly<Record<string, TagLocation>>;
  };
  readonly ai: {
    readonly generatedFrom: Readonly<Record<string, string>>;
    readonly types: Readonly<Record<string, GeneratedAiType>>;
  };
}

/**
 * Which types are AI resources: whole service modules, plus single types in general-purpose
 * modules (vector stores). Reviewed by hand; the facts about each type are generated.
 */
export const AI_SELECTION = {
  aws: {
    modules: [
      "bedrock",
      "bedrockfoundation",
      "bedrockmodel",
      "comprehend",
      "kendra",
      "lex",
      "qbusiness",
      "rekognition",
      "sagemaker",
      "transcribe",
    ],
    types: [
      "aws:opensearch/serverlessCollection:ServerlessCollection",
      "aws:s3/vectorsIndex:VectorsIndex",
      "aws:s3/vectorsVectorBucket:VectorsVectorBucket",
      "aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy",
    ],
  },
  "aws-native": {
    modules: [
      "bedrock",
      "bedrockagentcore",
      "bedrockmantle",
      "comprehend",
      "kendra",
      "kendraranking",
      "lex",
      "qbusiness",
      "rekognition",
      "s3vectors",
      "sagemaker",
      "transcribe",
    ],
    types: ["aws-native:opensearchserverless:Collection"],
  },
} as const;

/**
 * Types whose `tags`-like input is a selector (which resources to act on), not the resource's
 * own tags: tagging them would attribute nothing.
 */
export const NOT_OWN_TAGS: readonly string[] = [
  "aws:backup/selection:Selection",
  "aws:inspector/resourceGroup:ResourceGroup",
  "aws-native:inspector:ResourceGroup",
];

export const PACKAGES = ["aws", "aws-native"] as const;
type Package = (typeof PACKAGES)[number];

const TYPE_TOKEN = /static __pulumiType = '([^']+)'/;
const CLASS_NAME = /class (\w+) extends pulumi\.CustomResource/;

interface ResourceFile {
  readonly token: string;
  readonly className: string;
  readonly dts: string;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types")
        yield* walk(join(dir, entry.name));
    } else if (entry.name.endsWith(".js")) {
      yield join(dir, entry.name);
    }
  }
}

function resourceFiles(packageDir: string): ResourceFile[] {
  const files: ResourceFile[] = [];
  for (const js of walk(packageDir)) {
    const text = readFileSync(js, "utf8");
    const token = TYPE_TOKEN.exec(text)?.[1];
    const className = CLASS_NAME.exec(text)?.[1];
    if (token === undefined || className === undefined || token.startsWith("pulumi:")) continue;
    files.push({ token, className, dts: `${js.slice(0, -3)}.d.ts` });
  }
  return files;
}

interface Members {
  readonly args: Map<string, string>;
  readonly outputs: Set<string>;
}

/** The `XArgs` interface's properties (name -> type text) and the class's output names. */
function readMembers(dtsPath: string, className: string): Members {
  const source = ts.createSourceFile(
    dtsPath,
    readFileSync(dtsPath, "utf8"),
    ts.ScriptTarget.ES2022,
    false,
  );
  const args = new Map<string, string>();
  const outputs = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === `${className}Args`) {
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.type !== undefined) {
          args.set(member.name.getText(source), member.type.getText(source).replace(/\s+/g, " "));
        }
      }
    }
    if (ts.isClassDeclaration(statement) && statement.name?.text === className) {
      for (const member of statement.members) {
        if (ts.isPropertyDeclaration(member)) outputs.add(member.name.getText(source));
      }
    }
  }
  return { args, outputs };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The shape of a tags property from its declared type, or undefined when it is not tags. */
export function tagShape(typeText: string): TagShape | undefined {
  if (/\[key: string\]/.test(typeText)) return "map";
  if (/^any\b/.test(typeText)) return "json";
  // `pulumi.Input<pulumi.Input<inputs.TagArgs>[] | undefined>` and service-specific tag structs.
  if (/Tag\w*>?\[\]/.test(typeText) || /Tag\w*Args(\s*\|[^>]*)?>\[\]/.test(typeText)) {
    return "key-value-array";
  }
  return undefined;
}

function tagLocation(file: ResourceFile): TagLocation | undefined {
  if (NOT_OWN_TAGS.includes(file.token)) return undefined;
  const { args, outputs } = readMembers(file.dts, file.className);
  // Some services name the resource's own tags after the resource (Lex `botTags`): use that
  // only when there is no plain `tags`, so `testBotAliasTags` and friends are never picked.
  const candidates = ["tags", `${lowerFirst(file.className)}Tags`];
  for (const property of candidates) {
    const typeText = args.get(property);
    if (typeText === undefined) continue;
    const shape = tagShape(typeText);
    if (shape !== undefined) return { property, shape, tagsAll: outputs.has("tagsAll") };
  }
  return undefined;
}

function moduleOf(token: string): string {
  // `aws:bedrock/agentAgent:AgentAgent` -> bedrock; `aws-native:bedrock:Agent` -> bedrock
  const middle = token.split(":")[1] ?? "";
  return middle.split("/")[0] ?? middle;
}

function isAi(pkg: Package, token: string): boolean {
  const selection = AI_SELECTION[pkg];
  return (
    (selection.modules as readonly string[]).includes(moduleOf(token)) ||
    (selection.types as readonly string[]).includes(token)
  );
}

function sorted<T>(record: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...record.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Read the installed packages under `nodeModules` and build both catalogs. */
export function generateCatalog(nodeModules: string): GeneratedCatalog {
  const generatedFrom: Record<string, string> = {};
  const taggable = new Map<string, TagLocation>();
  const ai = new Map<string, GeneratedAiType>();
  for (const pkg of PACKAGES) {
    const dir = join(nodeModules, "@pulumi", pkg);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      version: string;
    };
    generatedFrom[`@pulumi/${pkg}`] = manifest.version;
    for (const file of resourceFiles(dir)) {
      const tags = tagLocation(file);
      if (tags !== undefined) taggable.set(file.token, tags);
      if (isAi(pkg, file.token)) {
        ai.set(
          file.token,
          tags === undefined
            ? { service: moduleOf(file.token) }
            : { service: moduleOf(file.token), tags },
        );
      }
    }
  }
  return {
    taggable: { generatedFrom, types: sorted(taggable) },
    ai: { generatedFrom, types: sorted(ai) },
  };
}

export const CATALOG_DIR = join(__dirname, "..", "src", "policy", "catalog");
export const CATALOG_FILES = {
  taggable: join(CATALOG_DIR, "taggable-types.json"),
  ai: join(CATALOG_DIR, "ai-types.json"),
} as const;

/** The committed text for a catalog (stable: sorted keys, two-space indent, final newline). */
export function catalogText(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const catalog = generateCatalog(join(__dirname, "..", "node_modules"));
  const check = argv.includes("--check");
  let drift = 0;
  for (const kind of ["taggable", "ai"] as const) {
    const text = catalogText(catalog[kind]);
    const path = CATALOG_FILES[kind];
    if (check) {
      let current = "";
      try {
        current = readFileSync(path, "utf8");
      } catch {
        // A missing file is drift like any other.
      }
      if (current !== text) {
        drift++;
        process.stderr.write(
          `${path} is out of date with the installed packages: run npm run catalog and review the diff\n`,
        );
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`${path}: ${Object.keys(catalog[kind].types).length} types\n`);
    }
  }
  return drift === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
