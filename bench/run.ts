// `npm run bench`: every part prints its own figures. Nothing here asserts a time.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const parts = ["domain.ts", "import.ts", "server.ts", "writes.ts", "http.ts"];
const only = process.argv[2];

for (const part of parts) {
  if (only && !part.startsWith(only)) continue;
  const file = path.join(here, part);
  if (!fs.existsSync(file)) continue;
  console.log(`\n== bench/${part} ==`);
  const mod = await import(file);
  await mod.run();
}
