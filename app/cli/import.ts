// `jixiao import FILE… [--rules NAME] [--json]`: reads published documents (text, Markdown,
// HTML-ish text as in ../shared/published, or .xlsx), prints the 绩效目标表 found and the
// checker's findings per table under the region's default rule set for the document's
// year (Chongqing: 2024 and later → chongqing-2024, earlier → chongqing-2022), or --rules.
// Also used by `jixiao check DOCUMENT`.
import fs from "node:fs";
import path from "node:path";
import { checkTable, countBySeverity, defaultRuleSetName, getRuleSet, type Finding, type RuleSet } from "../domain/rules";
import type { ExchangeTable } from "../domain/schemas";
import { parseDocument, type DocumentWarning } from "../io/document";
import { DocumentInputError, checkDocumentSize } from "../io/document/input";
import { readDocumentFile } from "../io/read-input.server";
import { docxToText, looksLikeDocx } from "../io/docx/read";
import { describeTable } from "./report";

export interface ImportedDocument {
  file: string;
  year: number | null;
  tables: ExchangeTable[];
  warnings: DocumentWarning[];
}

/** A file that could not be read: a code and a Chinese message. */
export class ImportError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ImportError";
    this.code = code;
  }
}

/**
 * Refuses a JSON file past the document size limit before it is read (throws ImportError);
 * a file that cannot be opened is left to the reader's own message.
 */
export function checkJsonFileSize(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return;
  }
  try {
    checkDocumentSize(size, path.basename(file));
  } catch (e) {
    if (e instanceof DocumentInputError) throw new ImportError(e.code, e.message);
    throw e;
  }
}

/**
 * True when `file` is a published document on disk rather than exchange JSON: not `.json`,
 * readable, and not starting with `{` or `[`. Files that cannot be opened are left to the
 * caller's own loader (false).
 */
export function isPublishedDocument(file: string): boolean {
  if (/\.json$/i.test(file)) return false;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const buf = Buffer.alloc(64);
      const n = fs.readSync(fd, buf, 0, 64, 0);
      const head = buf.subarray(0, n).toString("utf8").replace(/^\uFEFF/, "").trimStart();
      return !(head.startsWith("{") || head.startsWith("["));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function isXlsx(file: string): boolean {
  if (/\.xlsx$/i.test(file)) return true;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const buf = Buffer.alloc(4);
      fs.readSync(fd, buf, 0, 4, 0);
      return buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** A Word document (.docx, or a zip holding word/document.xml): read through app/io/docx. */
function isDocxFile(file: string): boolean {
  if (/\.docx$/i.test(file)) return true;
  if (/\.xls[xm]$/i.test(file) || !isXlsx(file)) return false;
  try {
    const size = fs.statSync(file).size;
    checkDocumentSize(size, path.basename(file));
    return looksLikeDocx(path.basename(file), new Uint8Array(fs.readFileSync(file)));
  } catch {
    return false;
  }
}

/** Reads one document and finds its tables. Throws `ImportError` when the file cannot be read. */
export async function importDocument(file: string): Promise<ImportedDocument> {
  const name = path.basename(file);
  try {
    if (isDocxFile(file)) {
      checkDocumentSize(fs.statSync(file).size, name);
      const text = await docxToText(new Uint8Array(fs.readFileSync(file)), name);
      const parsed = parseDocument(text, { file: name });
      return { file: name, year: parsed.year, tables: parsed.tables, warnings: parsed.warnings };
    }
    if (isXlsx(file)) {
      const size = fs.statSync(file).size;
      checkDocumentSize(size, name);
      const { workbookToTables } = await import("../io/xlsx");
      const r = await workbookToTables(new Uint8Array(fs.readFileSync(file)), { file: name });
      const fatal = r.warnings.find((w) => w.severity === "error" && w.sheet === "" && r.tables.length === 0);
      if (fatal) throw new ImportError(fatal.code, `文件「${name}」：${fatal.message}`);
      const years = r.tables.map((t) => t.year).filter((y): y is number => y != null);
      return {
        file: name,
        year: years.length ? Math.max(...years) : null,
        tables: r.tables,
        warnings: r.warnings.map((w) => ({ line: w.row, code: w.code, message: w.sheet ? `工作表「${w.sheet}」：${w.message}` : w.message })),
      };
    }
    const doc = readDocumentFile(file);
    const parsed = parseDocument(doc.text, { file: doc.name });
    return { file: doc.name, year: parsed.year, tables: parsed.tables, warnings: parsed.warnings };
  } catch (e) {
    if (e instanceof DocumentInputError) throw new ImportError(e.code, e.message);
    if (e instanceof ImportError) throw e;
    if ((e as NodeJS.ErrnoException)?.code === "ENOENT") throw new ImportError("not_found", `找不到文件「${file}」`);
    throw e;
  }
}

/** The rule set to check a document's tables with: --rules, else the default for its year. */
export function ruleSetFor(name: string | null, year: number | null): RuleSet {
  const n = name ?? defaultRuleSetName(year);
  const rs = getRuleSet(n);
  if (!rs) throw new ImportError("unknown_rules", `没有名为「${n}」的规则集`);
  return rs;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function findingJson(f: Finding) {
  return { severity: f.severity, code: f.code, message: f.message, where: f.where };
}

const SEVERITY_LABEL = { error: "✗ 错误", warning: "! 警告", info: "i 提示" } as const;

function money(n: number | null | undefined): string {
  return n == null ? "—" : `${n} 万元`;
}

function formatDocument(doc: ImportedDocument, ruleSet: RuleSet, findings: Finding[][]): string {
  const lines: string[] = [];
  lines.push(`文件 ${doc.file}：找到 ${doc.tables.length} 张绩效目标表（年度 ${doc.year ?? "未知"}，规则集 ${ruleSet.name}）`);
  const ofTables = new Set(doc.tables.flatMap((t) => t.warnings ?? []));
  const docWarnings = doc.warnings.filter((w) => !ofTables.has(w));
  for (const w of docWarnings) lines.push(`  ! 导入 [${w.code}] ${w.message}`);
  doc.tables.forEach((t, i) => {
    lines.push("");
    lines.push(describeTable(t, i));
    if (t.kind === "project" && t.project) {
      const p = t.project;
      const b = p.budget;
      const parts = [`当年预算 ${money(b.total)}`];
      if (b.local != null) parts.push(`本级安排 ${money(b.local)}`);
      if (b.superior != null) parts.push(`上级补助 ${money(b.superior)}`);
      lines.push(`  主管部门：${t.department ? [t.department.code, t.department.name].filter(Boolean).join("-") : "—"}；${parts.join("，")}`);
    } else if (t.overall) {
      lines.push(`  部门支出预算数 ${money(t.overall.budget)}`);
    }
    lines.push(`  绩效指标 ${t.indicators.length} 个${t.budgetExecutionWeight != null ? `，预算执行率权重 ${t.budgetExecutionWeight}` : ""}`);
    for (const ind of t.indicators) {
      const level = [ind.level1, ind.level2].filter(Boolean).join("/");
      const value = ind.operator === "定性" ? `定性 ${ind.target ?? "—"}` : `${ind.operator ?? "?"} ${ind.target ?? "—"}${ind.unit ? ` ${ind.unit}` : ""}`;
      const weight = ind.weight != null ? `权重 ${ind.weight}` : "无权重";
      lines.push(`    - ${level ? `${level}/` : ""}${ind.name ?? "（无名称）"}：${value}，${weight}${ind.core ? "，核心" : ""}`);
    }
    for (const w of t.warnings ?? []) lines.push(`  ! 导入 [${w.code}] ${w.message}`);
    const found = findings[i];
    if (found.length === 0) lines.push("  ✓ 审核未发现问题");
    for (const f of found) lines.push(`  ${SEVERITY_LABEL[f.severity]} [${f.code}] ${f.message}`);
  });
  const c = countBySeverity(findings.flat());
  lines.push("");
  lines.push(`小计：${doc.tables.length} 张表，导入警告 ${doc.warnings.length} 个；审核错误 ${c.error} 个，警告 ${c.warning} 个，提示 ${c.info} 个。`);
  return lines.join("\n");
}

/** Runs `jixiao import`. Exit 0 when every file was read, 2 when a file could not be read. */
export async function runImport(files: string[], opts: { json: boolean; rules: string | null }, io: Output): Promise<number> {
  if (!files.length) throw new ImportError("usage", "缺少文件参数 FILE");
  if (opts.rules) ruleSetFor(opts.rules, null); // fail early on an unknown name
  const documents: unknown[] = [];
  const texts: string[] = [];
  let failed = 0;
  for (const file of files) {
    let doc: ImportedDocument;
    try {
      doc = await importDocument(file);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      failed++;
      if (opts.json) documents.push({ file: path.basename(file), error: { code: e.code, message: e.message }, tables: [], warnings: [] });
      else io.stderr(`jixiao: ${e.message}`);
      continue;
    }
    const ruleSet = ruleSetFor(opts.rules, doc.year);
    const findings = doc.tables.map((t) => checkTable(t, ruleSet));
    if (opts.json) {
      documents.push({
        file: doc.file,
        year: doc.year,
        ruleSet: ruleSet.name,
        tables: doc.tables,
        warnings: doc.warnings,
        checks: doc.tables.map((_, i) => ({
          table: i,
          counts: countBySeverity(findings[i]),
          findings: findings[i].map(findingJson),
        })),
      });
    } else texts.push(formatDocument(doc, ruleSet, findings));
  }
  if (opts.json) io.stdout(JSON.stringify({ format: "jixiao.import/v1", documents }, null, 2));
  else if (texts.length) io.stdout(texts.join("\n\n"));
  return failed ? 2 : 0;
}
