// `npm run mutation [-- <target>... | --mutate <glob>]`: mutation testing of the core's rules
// with Stryker (stryker.config.mjs), one target at a time (scripts/mutation/targets.mjs), each
// with its own incremental file and HTML report in .mutation/. Prints each target's score and
// exits 1 when one is under the minimum. `--mutate <glob>` runs one ad-hoc set of files.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Stryker } from "@stryker-mutator/core";
import { MINIMUM_SCORE, TARGETS } from "./targets.mjs";

/** Killed or timed out over all that could be killed; ignored and invalid mutants left out. */
function score(results) {
  const count = (status) => results.filter((r) => r.status === status).length;
  const detected = count("Killed") + count("Timeout");
  const undetected = count("Survived") + count("NoCoverage");
  const total = detected + undetected;
  return {
    score: total === 0 ? 100 : (100 * detected) / total,
    killed: detected,
    survived: count("Survived"),
    noCoverage: count("NoCoverage"),
    ignored: count("Ignored"),
  };
}

function parseArgs(argv) {
  const runs = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--mutate" || arg === "-m") {
      const glob = argv[++i];
      if (glob === undefined)
        throw new Error("--mutate needs a file glob, e.g. --mutate 'src/registry/rules.ts'");
      runs.push({ name: "custom", mutate: glob.split(",") });
    } else if (Object.hasOwn(TARGETS, arg)) {
      runs.push({ name: arg, mutate: [...TARGETS[arg]] });
    } else {
      throw new Error(
        `unknown target "${arg}": use one of ${Object.keys(TARGETS).join(", ")}, or --mutate <glob>`,
      );
    }
  }
  return runs.length > 0
    ? runs
    : Object.entries(TARGETS).map(([name, mutate]) => ({ name, mutate: [...mutate] }));
}

/**
 * Stryker's incremental mode keeps a static mutant (one in code that runs when a module loads,
 * such as a constant table) that survived, even after new tests would kill it: such a mutant is
 * covered by no test in particular, so no changed test sends it back. Forget those results, so
 * each run tests them again (they are few, and each runs the whole suite anyway).
 */
function forgetStaticSurvivors(incrementalFile) {
  if (!existsSync(incrementalFile)) return;
  const report = JSON.parse(readFileSync(incrementalFile, "utf8"));
  for (const file of Object.values(report.files ?? {})) {
    file.mutants = file.mutants.filter(
      (m) => !(m.static && (m.status === "Survived" || m.status === "NoCoverage")),
    );
  }
  writeFileSync(incrementalFile, JSON.stringify(report));
}

const runs = parseArgs(process.argv.slice(2));
const summary = [];
for (const run of runs) {
  console.log(`\nmutation target ${run.name}: ${run.mutate.join(" ")}`);
  const incrementalFile = `.mutation/${run.name}.incremental.json`;
  forgetStaticSurvivors(incrementalFile);
  const results = await new Stryker({
    mutate: run.mutate,
    incrementalFile,
    htmlReporter: { fileName: `.mutation/${run.name}.html` },
  }).runMutationTest();
  summary.push({ name: run.name, ...score(results) });
}

console.log("\ntarget       score  killed  survived  no-coverage  ignored (message text)");
for (const s of summary) {
  console.log(
    `${s.name.padEnd(12)} ${s.score.toFixed(1).padStart(5)}%  ${String(s.killed).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(11)}  ${String(s.ignored).padStart(7)}`,
  );
}
const low = summary.filter((s) => s.score < MINIMUM_SCORE);
if (low.length > 0) {
  console.log(`\nunder ${MINIMUM_SCORE}%: ${low.map((s) => s.name).join(", ")}`);
  process.exitCode = 1;
}
