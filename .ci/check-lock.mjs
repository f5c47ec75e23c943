// Does package-lock.json agree with package.json on the project's own dependencies?
// Optional platform packages (@rollup/rollup-darwin-arm64 and the like) are ignored: whether
// the registry serves them has changed over time and must not decide whether CI passes.
// Exit 1 with the list of disagreements.
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));
const root = lock.packages?.[""] ?? {};
const problems = [];

for (const field of ["dependencies", "devDependencies", "optionalDependencies"]) {
  const wanted = pkg[field] ?? {};
  const locked = root[field] ?? {};
  for (const [name, range] of Object.entries(wanted)) {
    if (locked[name] !== range) problems.push(`${field}.${name}: package.json ${range}, lock ${locked[name] ?? "missing"}`);
    else if (!lock.packages[`node_modules/${name}`]) problems.push(`${name}: not resolved in the lock`);
  }
  for (const name of Object.keys(locked)) {
    if (!(name in wanted)) problems.push(`${field}.${name}: in the lock, not in package.json`);
  }
}

if (problems.length > 0) {
  console.error("package-lock.json does not match package.json; run npm install and commit the lock:");
  for (const p of problems) console.error("  " + p);
  process.exit(1);
}
console.log("lock check: package.json and package-lock.json agree on the project's dependencies");
