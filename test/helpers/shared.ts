// Where the published documents are (read-only test data; the app never reads them):
// ../shared/published beside the repository, else JIXIAO_SHARED_DIR, else /work/shared.
import fs from "node:fs";
import path from "node:path";

export function findPublishedDir(): string | null {
  const candidates = [
    path.resolve(__dirname, "../../../shared/published"),
    process.env.JIXIAO_SHARED_DIR ? path.resolve(process.env.JIXIAO_SHARED_DIR, "published") : null,
    "/work/shared/published",
  ];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, "000_fec630cfd683dd92.txt"))) ?? null;
}

const found = findPublishedDir();
export const HAS_PUBLISHED = found !== null;
/** The folder of the published documents (a non-existent path when they are absent). */
export const PUBLISHED_DIR = found ?? path.resolve(__dirname, "../../../shared/published");
