#!/usr/bin/env node
// The CLI ships precompiled (npm ci runs `prepare`, which bundles src/cli into dist/)
// so that it starts without a TypeScript toolchain in the loop.
require("../dist/cli.js");
