// `jixiao publish --region SLUG --year YEAR [--department CODE] [--kind targets|results]
// [--format docx|html] --out PATH` (docs/cli.md): publishes from the database of DATABASE_URL
// exactly as the 绩效公开 page does (app/models/publication.server.ts: the same Word file,
// recorded and audited, as 命令行 rather than a user), then writes each publication's Word
// file, or its A4 print view (components/PublishedTable.tsx) as one HTML file.
// docs/decisions/024-publish-command.md.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { databasePath } from "../../db/connection";
import type { PublicationKind } from "../../db/schema";
import type { getPublication } from "../models/publication.server";
import { KIND_LABELS } from "../io/docx/layout";
import { safeFileName } from "../utils/download";

export const PUBLISH_USAGE = `用法：
  jixiao publish --region SLUG --year YEAR [--department CODE] [--kind targets|results]
                 [--format docx|html] --out PATH

按已批复的数据发布绩效公开文件（与网页“绩效公开”相同，发布记录写入 DATABASE_URL 的数据库并记入审计日志）。
  --region SLUG       地区代号（如 qijiang）
  --year YEAR         年度
  --department CODE   只发布一个主管部门（编码）；不给出时发布全地区，每个部门一个文件
  --kind KIND         targets：绩效目标表（部门预算公开，默认）；results：绩效自评表（部门决算公开）
  --format FORMAT     docx：Word 文件（默认）；html：A4 打印版网页
  --out PATH          输出目录（全地区）；一个部门时为文件或目录`;

/** 0 published; 1 nothing approved to publish (or it could not be generated); 2 usage or unknown region/department/year. */
const EXIT = { ok: 0, nothing: 1, usage: 2 } as const;

class PublishUsageError extends Error {}

interface Options {
  region: string;
  year: number;
  department: string | null;
  kind: PublicationKind;
  format: "docx" | "html";
  out: string;
}

const VALUE_OPTIONS = ["--region", "--year", "--department", "--kind", "--format", "--out"] as const;

function parse(argv: string[]): Options | "help" {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") return "help";
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!(VALUE_OPTIONS as readonly string[]).includes(name)) {
      throw new PublishUsageError(a.startsWith("-") ? `未知选项：${a}` : `多余的参数：${a}`);
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) throw new PublishUsageError(`${name} 后须给出取值`);
    if (name in values) throw new PublishUsageError(`${name} 只能给出一次`);
    values[name] = value;
  }
  for (const required of ["--region", "--year", "--out"]) {
    if (!values[required]) throw new PublishUsageError(`缺少 ${required}`);
  }
  const year = Number(values["--year"]);
  if (!/^\d{4}$/.test(values["--year"]) || year < 1990 || year > 2100) throw new PublishUsageError(`年度「${values["--year"]}」无效：应为 1990–2100 的四位数`);
  const kind = values["--kind"] ?? "targets";
  if (kind !== "targets" && kind !== "results") throw new PublishUsageError(`--kind 取值「${kind}」无效，可选：targets、results`);
  const format = values["--format"] ?? "docx";
  if (format !== "docx" && format !== "html") throw new PublishUsageError(`--format 取值「${format}」无效，可选：docx、html`);
  return { region: values["--region"], year, department: values["--department"] ?? null, kind, format, out: values["--out"] };
}

/** The file of one department's publication: its code and name, the year and what it is. */
export function publicationFileName(d: { code: string; name: string }, year: number, kind: PublicationKind, format: "docx" | "html"): string {
  return safeFileName(`${d.code}-${d.name}-${year}年${KIND_LABELS[kind]}公开.${format}`);
}

function isDirectory(p: string): boolean {
  return fs.existsSync(p) && fs.statSync(p).isDirectory();
}

/** Written beside the target, then moved over it: never a half-written file. */
function writeFile(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new PublishUsageError(`无法写入 ${file}：${(e as Error).message}`);
  }
}

/** Makes sure the output can be written before anything is published. */
function prepareOut(out: string, wholeRegion: boolean): void {
  const dir = wholeRegion || /[\\/]$/.test(out) || isDirectory(out) ? out : path.dirname(path.resolve(out));
  if (fs.existsSync(dir) && !isDirectory(dir)) throw new PublishUsageError(`${dir} 不是目录${wholeRegion ? "：发布全地区时 --out 须为目录" : ""}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new PublishUsageError(`无法写入目录 ${dir}：${(e as Error).message}`);
  }
}

const stylesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../styles");

/** The A4 print view of a publication (the page /publications/:id shows) as a standalone HTML document. */
async function printViewHtml(p: NonNullable<ReturnType<typeof getPublication>>): Promise<string> {
  const { PublicationTables } = await import("../components/PublishedTable");
  const heading = `${p.department.name} ${p.year} 年${KIND_LABELS[p.kind]}公开`;
  const css = ["print-table.css", "publication.css"].map((f) => fs.readFileSync(path.join(stylesDir, f), "utf8")).join("\n");
  const body = renderToStaticMarkup(createElement(PublicationTables, { heading, tables: p.tables }));
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  // The app's stylesheet is not here: the few rules of it the view uses.
  const base = `:root{--gray-200:#dde3ea}body{margin:1rem;background:#f4f6f8;font-family:system-ui,sans-serif}table.data{border-collapse:collapse}table.data th,table.data td{border:1px solid #ccd;padding:.3rem .5rem}@media print{body{margin:0;background:none}.no-print{display:none}}`;
  return `<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${escape(heading)}</title>\n<style>${base}\n${css}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export async function publishCommand(argv: string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }): Promise<number> {
  try {
    const o = parse(argv);
    if (o === "help") {
      io.stdout(PUBLISH_USAGE);
      return EXIT.ok;
    }
    return await publish(o, io);
  } catch (e) {
    if (e instanceof PublishUsageError) {
      io.stderr(`jixiao: ${e.message}`);
      if (/^(未知选项|多余的参数|缺少 --)/.test(e.message)) io.stderr(PUBLISH_USAGE);
      return EXIT.usage;
    }
    throw e;
  }
}

async function publish(o: Options, io: { stdout: (t: string) => void; stderr: (t: string) => void }): Promise<number> {
  const file = databasePath();
  // Opening a missing file would create an empty database.
  if (file !== ":memory:" && !fs.existsSync(file)) throw new PublishUsageError(`找不到数据库文件 ${file}（DATABASE_URL）`);
  const m = await import("../models/publication.server");
  let publisher: ReturnType<typeof m.commandLinePublisher>;
  try {
    publisher = m.commandLinePublisher(o.region);
  } catch (e) {
    if (/no such table/.test((e as Error).message)) throw new PublishUsageError(`数据库 ${file} 尚未初始化（npm run db:migrate）`);
    throw e;
  }
  if (!publisher) {
    const { db } = await import("../../db/client.server");
    const { regions } = await import("../../db/schema");
    const slugs = db.select({ slug: regions.slug }).from(regions).orderBy(regions.slug).all().map((r) => r.slug);
    throw new PublishUsageError(`没有代号为「${o.region}」的地区${slugs.length ? `。现有：${slugs.join("、")}` : ""}`);
  }
  const department = o.department === null ? null : m.departmentByCode(publisher, o.department);
  if (o.department !== null && !department) throw new PublishUsageError(`${publisher.regionName}没有编码为「${o.department}」的主管部门`);
  const years = m.yearsWithData(publisher, o.kind);
  if (!years.includes(o.year)) {
    const what = o.kind === "results" ? "绩效自评任务" : "绩效目标表";
    throw new PublishUsageError(`${publisher.regionName}没有 ${o.year} 年的${what}${years.length ? `（有${what}的年度：${years.join("、")}）` : ""}`);
  }
  prepareOut(o.out, department === null);

  const done: Array<{ id: number; department: { code: string; name: string }; tableCount: number }> = [];
  const skipped: string[] = [];
  try {
    if (department) {
      const input = { year: o.year, departmentId: department.id };
      const p = o.kind === "results" ? await m.publishResults(publisher, input) : await m.publishDepartment(publisher, input);
      if (p) done.push(p);
    } else {
      const r = await m.publishRegion(publisher, o.year, o.kind);
      done.push(...r.done);
      skipped.push(...r.skipped.map((s) => s.reason));
    }
  } catch (e) {
    if (!(e instanceof m.PublicationError)) throw e;
    io.stderr(`jixiao: ${e.message}`);
    return EXIT.nothing;
  }
  if (done.length === 0) {
    io.stderr(`jixiao: ${publisher.regionName}${o.year}年没有可发布的${KIND_LABELS[o.kind]}：\n  ${skipped.join("\n  ")}`);
    return EXIT.nothing;
  }
  for (const p of done) {
    const name = publicationFileName(p.department, o.year, o.kind, o.format);
    const target = department && !/[\\/]$/.test(o.out) && !isDirectory(o.out) ? o.out : path.join(o.out, name);
    if (o.format === "docx") writeFile(target, m.getPublicationFile(publisher, p.id)!.data);
    else writeFile(target, await printViewHtml(m.getPublication(publisher, p.id)!));
    io.stdout(`已发布 ${p.department.code} ${p.department.name}：${p.tableCount} 张表 → ${target}`);
  }
  for (const s of skipped) io.stderr(`jixiao: 跳过：${s}`);
  const tables = done.reduce((n, p) => n + p.tableCount, 0);
  io.stdout(`共发布 ${done.length} 个部门，${tables} 张表（${KIND_LABELS[o.kind]}，${o.year} 年，${publisher.regionName}）`);
  return EXIT.ok;
}
