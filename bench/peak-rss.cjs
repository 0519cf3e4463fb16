// Preloaded (`node --require`) into a measured child process: at exit it writes the process's
// peak resident set size, in bytes, to the file named by BENCH_PEAK_RSS_FILE. The parent cannot
// read a child's peak from outside without platform tools, and the child knows it exactly.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const file = process.env.BENCH_PEAK_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
});
