#!/usr/bin/env node
// `npx jixiao …`: runs the TypeScript command line through tsx, so there is no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../app/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
