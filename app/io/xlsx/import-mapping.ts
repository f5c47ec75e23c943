// Mapping for the .xlsx import (import.ts): a table's header block and indicator grid
// into an exchange table, through the domain engine (values.ts: parseCells; taxonomy.ts).
// A cell that cannot be read is imported empty with its text in `raw` and a warning.
import {
  EXCHANGE_FORMAT,
  type ExchangeTable,
  type Indicator,
  type Operator,
  emptyProjectHeader,
} from "../../domain/schemas";
import { parseDecimal } from "../../domain/decimal";
import { normalizeLevel1, normalizeLevel2, normalizeOperator } from "../../domain/taxonomy";
import { normalizeUnit, parseCells } from "../../domain/values";
import { qualitativeTarget, splitProjectName } from "../../domain/vocabulary";
import { AMOUNT_SUFFIXES, type CellInfo, EMPTY, type Report, type SheetModel, type Val, WEIGHT_SUFFIXES, quote, valText, withoutSuffix } from "./import-cells";
import type { GridColumn, Segment } from "./import-grid";
import type { XlsxImportOptions } from "./import";
import { type GridKey, type HeaderKey, headerKeyOf, isDecoration, isTitle, parseCodeName } from "./layout";

const TOTAL_ROW = /^(?:合计|总计|小计|权重合计|合计权重)$/;

interface RowRead {
  val: Val;
  text: string | null;
  /** Row of the merged cell the value was inherited from (vertical merge), if any. */
  inheritedFrom: number | null;
  /** The cell of another column merged over this column in this row, if any. */
  coveredBy?: CellInfo;
}

interface HeaderField {
  key: HeaderKey;
  row: number;
  label: string;
  val: Val;
}

function scanHeader(sheet: SheetModel, from: number, to: number, report: Report) {
  const fields = new Map<HeaderKey, HeaderField>();
  let title: { text: string; row: number } | null = null;
  for (let r = from; r <= to; r++) {
    const cells = sheet.own(r);
    const used = new Set<number>();
    const unknown: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (used.has(cell.c)) continue;
      const text = valText(cell.v);
      if (!text) continue;
      let key: HeaderKey | null = null;
      let val: Val = EMPTY;
      let label = text;
      const colon = /^([^:：]{1,30})[:：]([\s\S]*)$/.exec(text);
      if (colon && headerKeyOf(colon[1])) {
        key = headerKeyOf(colon[1]);
        label = colon[1];
        if (colon[2].trim()) val = { t: "text", s: colon[2].trim() };
      } else {
        key = cell.v.t === "text" ? headerKeyOf(text) : null;
      }
      if (!key) {
        if (isTitle(text)) {
          if (!title) title = { text, row: r };
          continue;
        }
        if (isDecoration(text)) continue;
        unknown.push(text);
        continue;
      }
      used.add(cell.c);
      if (val.t === "empty") {
        // The value is the next non-empty cell to the right, unless that is another label.
        const next = cells.slice(i + 1).find((x) => !used.has(x.c));
        if (next) {
          const nt = valText(next.v) ?? "";
          const nextIsLabel =
            (next.v.t === "text" && headerKeyOf(nt) !== null) ||
            headerKeyOf(nt.split(/[:：]/)[0]) !== null ||
            isDecoration(nt) ||
            isTitle(nt);
          if (!nextIsLabel) {
            val = next.v;
            used.add(next.c);
          }
        }
      }
      if (key === "departmentFunds") continue; // a section label (总体资金情况): no value of its own
      if (key === "footer") {
        const t = valText(val);
        if (t) report.add("info", "content_ignored", r, `「${label.trim()}」的内容${quote(t)}不属于绩效目标表，未导入`);
        continue;
      }
      if (fields.has(key)) {
        const first = fields.get(key)!;
        if (first.val.t === "empty") {
          // `当年绩效目标 | 绩效目标：…`: the label had no value of its own, this one has.
          if (val.t !== "empty") fields.set(key, { ...first, val });
        } else if (val.t !== "empty") {
          report.add(
            "warning",
            "header_duplicate",
            r,
            `表头「${label.trim()}」重复出现（第${first.row}行已有），此处的值${quote(valText(val))}未导入`,
          );
        }
        continue;
      }
      fields.set(key, { key, row: r, label: label.trim(), val });
    }
    if (unknown.length) {
      report.add("warning", "content_ignored", r, `未识别的内容${unknown.map((u) => quote(u)).join("")}未导入（不是已知的表头项）`);
    }
  }
  return { fields, title };
}

export function readTable(
  sheet: SheetModel,
  seg: Segment,
  report: Report,
  opts: XlsxImportOptions,
): ExchangeTable {
  const { fields, title } = scanHeader(sheet, seg.start, seg.header.row - 1, report);

  const text = (k: HeaderKey): string | null => {
    const f = fields.get(k);
    return f ? valText(f.val) : null;
  };
  const number = (k: HeaderKey): number | null => {
    const f = fields.get(k);
    if (!f || f.val.t === "empty") return null;
    if (f.val.t === "num") return f.val.n;
    const t = valText(f.val) ?? "";
    const d = parseDecimal(withoutSuffix(t, AMOUNT_SUFFIXES));
    if (d !== null) return Number(d);
    report.add("error", "number_invalid", f.row, `「${f.label}」的值${quote(t)}不是数字，已按空值导入`);
    return null;
  };

  // Kind and year.
  const titleText = title?.text ?? "";
  const deptKeys: HeaderKey[] = ["departmentName", "departmentBudget", "overallGoal"];
  const isDepartment = !fields.has("projectName") && (/整体/.test(titleText) || deptKeys.some((k) => fields.has(k)));
  let year: number | null = null;
  const ym = /((?:19|20)\d{2})\s*年/.exec(titleText);
  if (ym) year = Number(ym[1]);
  else if (fields.has("year")) {
    const yt = text("year") ?? "";
    const m = /^\s*((?:19|20)\d{2})\s*年?(?:度)?\s*$/.exec(yt);
    if (m) year = Number(m[1]);
    else report.add("error", "year_invalid", fields.get("year")!.row, `年度${quote(yt)}不是四位年份，已按空值导入`);
  }

  const unitText = text("unit");
  const table: ExchangeTable = {
    format: EXCHANGE_FORMAT,
    kind: isDepartment ? "department" : "project",
    year,
    department: null,
    unit: parseCodeName(unitText),
    project: null,
    overall: null,
    budgetExecutionWeight: number("budgetExecutionWeight"),
    indicators: [],
  };

  const notFor = (keys: HeaderKey[], what: string) => {
    for (const k of keys) {
      const f = fields.get(k);
      if (f && f.val.t !== "empty") {
        report.add("warning", "header_not_applicable", f.row, `「${f.label}」不属于${what}，其值${quote(valText(f.val))}未导入`);
      }
    }
  };

  if (isDepartment) {
    table.department = parseCodeName(text("departmentName") ?? text("department"));
    table.overall = {
      budget: number("departmentBudget") ?? (fields.has("departmentBudget") ? null : number("budgetTotal")),
      midTermGoal: text("overallMidTermGoal") ?? text("midTermGoal"),
      annualGoal: text("overallGoal") ?? text("annualGoal"),
    };
    if (!fields.has("departmentName") && !fields.has("department")) {
      report.add("warning", "header_missing", seg.header.row, "部门整体绩效目标表中没有找到「部门（单位）名称」");
    }
    const projectOnly: HeaderKey[] = ["projectName", "projectCode", "category", "financeOffice", "budgetLocal", "budgetSuperior", "overview", "basis", "schedule", "measures"];
    if (fields.has("departmentName") && fields.has("department")) projectOnly.push("department");
    if (fields.has("departmentBudget")) projectOnly.push("budgetTotal");
    if (fields.has("overallGoal")) projectOnly.push("annualGoal");
    notFor(projectOnly, "部门整体绩效目标表");
  } else {
    const p = emptyProjectHeader();
    const split = splitProjectName(text("projectName"), text("projectCode"));
    if (split.conflict) {
      report.add("warning", "code_conflict", fields.get("projectName")!.row, `项目名称前的编码「${split.conflict}」与项目编码「${split.code}」不一致，采用项目编码`);
    }
    p.code = split.code;
    p.name = split.name;
    p.category = text("category");
    p.financeOffice = parseCodeName(text("financeOffice"));
    p.budget = { total: number("budgetTotal"), local: number("budgetLocal"), superior: number("budgetSuperior") };
    p.overview = text("overview");
    p.basis = text("basis");
    p.schedule = text("schedule");
    p.measures = text("measures");
    p.midTermGoal = text("midTermGoal");
    p.annualGoal = text("annualGoal");
    table.project = p;
    table.department = parseCodeName(text("department"));
    if (!fields.has("projectName")) {
      report.add("warning", "header_missing", seg.header.row, "项目绩效目标表中没有找到「项目名称」");
    }
    notFor(["departmentName", "departmentBudget", "overallGoal", "overallMidTermGoal"], "项目绩效目标表");
  }

  table.indicators = readGrid(sheet, seg, report, opts);
  if (opts.file != null) table.source = { file: opts.file, line: title?.row ?? seg.start, sheet: sheet.name };
  return table;
}

function readGrid(sheet: SheetModel, seg: Segment, report: Report, opts: XlsxImportOptions): Indicator[] {
  const { header } = seg;
  const col = new Map<GridKey, GridColumn>(header.columns.map((c) => [c.key, c]));
  const headerOfColumn = (c: number): string | null => {
    for (const gc of header.columns) if (c >= gc.from && c <= gc.to) return gc.header;
    return null;
  };
  /** The header text written above column c (its own cell or the merged cell covering it). */
  const headerTextAt = (c: number): string | null => {
    const cell = sheet.get(header.row, c);
    if (!cell) return null;
    const m = cell.master ? sheet.get(cell.master.r, cell.master.c) : cell;
    return m ? valText(m.v)?.replace(/\s+/g, "") ?? null : null;
  };
  const skipped = new Map<number, number[]>(); // column → rows whose content there was not read
  const indicators: Indicator[] = [];
  if (!col.has("target")) {
    report.add("warning", "no_target_column", header.row, "指标表头中没有「指标值」列，各指标的指标值为空");
  }

  for (let r = header.row + 1; r <= seg.end; r++) {
    const own = sheet.own(r);
    if (!own.length) continue;
    const used = new Set<number>();

    const total = own.find((x) => x.v.t === "text" && TOTAL_ROW.test(x.v.s.replace(/\s+/g, "")));
    if (total) {
      report.add("info", "total_row", r, `合计行${own.map((x) => quote(valText(x.v), 12)).join("")}不是指标，未导入`);
      continue;
    }

    const read = (key: GridKey): RowRead => {
      const gc = col.get(key);
      const none: RowRead = { val: EMPTY, text: null, inheritedFrom: null };
      if (!gc) return none;
      for (let c = gc.from; c <= gc.to; c++) {
        const cell = sheet.get(r, c);
        if (!cell) continue;
        if (!cell.master) {
          if (cell.v.t === "empty") continue;
          used.add(c);
          return { val: cell.v, text: valText(cell.v), inheritedFrom: null };
        }
        const m = sheet.get(cell.master.r, cell.master.c);
        if (!m) continue;
        if (cell.master.r === r) {
          // Covered by a cell merged from the left, out of another column.
          if (m.c < gc.from && m.v.t !== "empty") return { ...none, coveredBy: m };
          continue;
        }
        if (cell.master.r > header.row && m.v.t !== "empty") {
          // Merged down from an earlier indicator row: the value applies to this row too.
          return { val: m.v, text: valText(m.v), inheritedFrom: m.r };
        }
      }
      return none;
    };

    const l1 = read("level1");
    const l2 = read("level2");
    const nm = read("name");
    const wt = read("weight");
    const un = read("unit");
    const op = read("operator");
    const tg = read("target");
    const co = read("core");

    // Content in columns that were not read.
    const reads: Array<[GridKey, RowRead]> = [
      ["level1", l1],
      ["level2", l2],
      ["name", nm],
      ["weight", wt],
      ["unit", un],
      ["operator", op],
      ["target", tg],
      ["core", co],
    ];
    const anyData = reads.some(([, x]) => x.text != null && x.inheritedFrom == null);
    if (!anyData) {
      const texts = own.map((x) => valText(x.v) ?? "").filter((t) => t && !isDecoration(t));
      if (texts.length) {
        report.add("warning", "row_ignored", r, `这一行不在指标列中，内容${texts.map((t) => quote(t, 20)).join("")}未导入`);
      }
      continue;
    }
    for (const [key, x] of reads) {
      if (!x.coveredBy) continue;
      const gc = col.get(key)!;
      const owner = headerOfColumn(x.coveredBy.c) ?? headerTextAt(x.coveredBy.c) ?? `第${x.coveredBy.c}列`;
      used.add(x.coveredBy.c);
      report.add(
        "error",
        "cell_merged",
        r,
        `「${owner}」的单元格${quote(valText(x.coveredBy.v), 20)}合并覆盖了「${gc.header}」列，${gc.header}未能读取（请取消合并）`,
      );
    }
    const unread = own.filter((x) => !used.has(x.c) && !header.quiet.has(x.c) && !isDecoration(valText(x.v) ?? ""));
    for (const x of unread) {
      const list = skipped.get(x.c) ?? [];
      list.push(r);
      skipped.set(x.c, list);
    }

    const ind: Indicator = {
      level1: null,
      level2: null,
      name: nm.text,
      weight: null,
      unit: null,
      operator: null,
      target: null,
      core: null,
    };
    const raw: NonNullable<Indicator["raw"]> = {};
    const label = nm.text ? `指标${quote(nm.text, 20)}` : "指标（无名称）";

    if (l1.text) {
      const n = normalizeLevel1(l1.text);
      ind.level1 = n.value;
      if (n.value !== l1.text) raw.level1 = l1.text;
    }
    if (l2.text) {
      const n = normalizeLevel2(l2.text);
      ind.level2 = n.value;
      if (n.value !== l2.text) raw.level2 = l2.text;
    }

    // 指标权重
    if (wt.inheritedFrom != null) {
      report.add("error", "weight_merged", r, `${label}的指标权重与第${wt.inheritedFrom}行合并在一个单元格中，权重只计入第${wt.inheritedFrom}行，本行权重为空`);
    } else if (wt.val.t === "num" && !wt.val.pct) {
      ind.weight = wt.val.n;
    } else if (wt.text != null) {
      // `2.5分`, and `20%` (typed as text, or a number formatted as a percentage) mean 20 points.
      const d = wt.val.t === "text" || wt.val.t === "num" ? parseDecimal(withoutSuffix(wt.text, WEIGHT_SUFFIXES)) : null;
      if (d !== null) {
        ind.weight = Number(d);
        if (d !== wt.text) raw.weight = wt.text;
      } else {
        raw.weight = wt.text;
        report.add("error", "weight_invalid", r, `${label}的指标权重${quote(wt.text)}不是数字；该指标已导入，权重为空`);
      }
    }

    // 指标性质 / 指标值 / 计量单位
    let opText = op.text;
    const unitText = un.text;
    let targetText = tg.text;
    // `定性：建成 3 个示范村` in the value cell: the operator and the level, digits kept.
    const level = opText == null || normalizeOperator(opText) === "定性" ? qualitativeTarget(targetText) : null;
    if (level !== null) {
      raw.target = targetText!;
      opText = opText ?? "定性";
      targetText = level;
    }
    if (targetText == null) {
      ind.unit = normalizeUnit(unitText);
      if (opText != null) {
        ind.operator = normalizeOperator(opText);
        if (ind.operator === null) {
          raw.operator = opText;
          report.add("error", "operator_invalid", r, `${label}的指标性质${quote(opText)}无法识别（应为 ≥ ≤ = > < 或 定性）`);
        } else if (ind.operator !== opText) raw.operator = opText;
      }
    } else {
      const parsed = parseCells(opText, targetText, unitText);
      if (parsed.ok) {
        ind.operator = parsed.operator;
        ind.target = parsed.qualitative ? parsed.text : parsed.value;
        ind.unit = parsed.unit;
        if (opText != null && opText !== parsed.operator) raw.operator = opText;
        if (!(tg.val.t === "num" && !tg.val.pct) && targetText !== ind.target && raw.target === undefined) raw.target = targetText;
      } else {
        const opNorm: Operator | null = opText != null ? normalizeOperator(opText) : null;
        ind.operator = opNorm;
        ind.target = targetText;
        ind.unit = normalizeUnit(unitText);
        raw.target ??= targetText;
        if (opText != null && opText !== opNorm) raw.operator = opText;
        report.add("error", "value_invalid", r, `${label}：${parsed.error}；已按原文导入指标值${quote(targetText)}`);
      }
    }

    // 是否核心指标
    if (co.val.t === "bool") ind.core = co.val.b;
    else if (co.text != null) {
      const c = co.text.replace(/\s+/g, "");
      if (/^(?:是|√|✓|✔|Y|YES|TRUE|核心|核心指标|1)$/i.test(c)) ind.core = true;
      else if (/^(?:否|×|✗|✘|N|NO|FALSE|非核心|非核心指标|0)$/i.test(c)) ind.core = false;
      else report.add("error", "core_invalid", r, `${label}的「是否核心指标」${quote(co.text)}无法识别（应为 是 或 否），已按空值导入`);
    }

    if (!ind.name) {
      report.add("warning", "name_missing", r, "这一行有指标数据但没有指标名称；已作为无名称指标导入");
    }
    if (Object.keys(raw).length) ind.raw = raw;
    if (opts.file != null) ind.line = r;
    indicators.push(ind);
  }

  for (const [c, rows] of skipped) {
    const owner = headerOfColumn(c);
    const h = headerTextAt(c);
    const where = owner
      ? `表头「${owner}」合并范围内的第${c}列`
      : h
        ? `「${h}」列（第${c}列${header.duplicates.has(c) ? "，与前面的同名列重复" : "，不是可识别的指标列"}）`
        : `第${c}列（没有表头）`;
    report.add(
      "warning",
      "column_ignored",
      rows[0],
      `${where}的内容未导入（第${rows.slice(0, 10).join("、")}${rows.length > 10 ? "…" : ""}行）`,
    );
  }
  return indicators;
}
