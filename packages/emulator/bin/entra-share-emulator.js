#!/usr/bin/env node
// The bin is this committed file, not dist/cli.js: pnpm links the bins of workspace packages during `pnpm install`,
// before `pnpm build` has written dist/, and warns "Failed to create bin" for a target that does not exist yet.
import '../dist/cli.js'
