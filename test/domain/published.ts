// Transcriptions of the published tables in ../shared/published into exchange tables, for
// tests only. 001 and 002 are read from the files (their rows are regular); 000's rows are
// transcribed by hand below (its text layout is broken by the PDF conversion).
import fs from "node:fs";
import path from "node:path";
import { EXCHANGE_FORMAT, emptyProjectHeader, type ExchangeTable, type Indicator, type Operator } from "../../app/domain/schemas";
import { parseCells } from "../../app/domain/values";
import { PUBLISHED_DIR } from "../helpers/shared";

export const PUBLISHED = PUBLISHED_DIR;

function readLines(file: string): string[] {
  return fs.readFileSync(path.join(PUBLISHED, file), "utf8").split(/\r?\n/);
}

function indicator(
  cells: { level1?: string | null; level2?: string | null; name: string; weight: string; unit: string; op: string; target: string; core?: string | null },
  line?: number,
): Indicator {
  const v = parseCells(cells.op, cells.target, cells.unit);
  if (!v.ok) throw new Error(`cannot transcribe ${cells.name}: ${v.error}`);
  return {
    level1: cells.level1 ?? null,
    level2: cells.level2 ?? null,
    name: cells.name,
    weight: Number(cells.weight),
    unit: v.unit,
    operator: v.operator as Operator,
    target: v.qualitative ? v.text : v.value,
    core: cells.core == null ? null : cells.core === "是",
    ...(line ? { line } : {}),
  };
}

function projectTable(year: number, file: string, line: number): ExchangeTable {
  return {
    format: EXCHANGE_FORMAT,
    kind: "project",
    year,
    department: null,
    project: emptyProjectHeader(),
    budgetExecutionWeight: null,
    indicators: [],
    source: { file, line },
  };
}

const num = (s: string | undefined) => {
  if (s == null) return null;
  const t = s.replace(/,/g, "").trim();
  return t && /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
};

/** 002 (綦江区 2026): tab-separated, full columns, budget split, 预算执行率权重 10. */
export function tables002(): ExchangeTable[] {
  const file = "002_2b7b38b2db384d80.txt";
  const lines = readLines(file);
  const out: ExchangeTable[] = [];
  let cur: ExchangeTable | null = null;
  let inRows = false;
  lines.forEach((text, i) => {
    const cells = text.split("\t").map((c) => c.trim());
    const after = (label: RegExp) => {
      const k = cells.findIndex((c) => label.test(c));
      return k >= 0 ? cells.slice(k + 1).find((c) => c !== "") : undefined;
    };
    if (cells[0] === "项目名称") {
      cur = projectTable(2026, file, i + 1);
      const m = /^(\w+)-(.*)$/.exec(cells[1]);
      cur.project!.code = m ? m[1] : null;
      cur.project!.name = m ? m[2] : cells[1];
      cur.department = { code: null, name: after(/业务主管部门/) ?? null };
      out.push(cur);
      inRows = false;
      return;
    }
    if (cells[0] === "预算执行率 权重" && cur) cur.budgetExecutionWeight = num(cells[1]);
    if (cells.some((c) => /^项目分类$/.test(c)) && cur) cur.project!.category = after(/^项目分类$/) ?? null;
    if (cells.some((c) => c.startsWith("当年预算")) && cur) {
      cur.project!.budget.total = num(after(/^当年预算/));
      const local = after(/^本级安排/);
      cur.project!.budget.local = num(local);
    }
    if (cells.some((c) => c.startsWith("上级补助")) && cur) cur.project!.budget.superior = num(after(/^上级补助/));
    if (cells[0] === "绩效指标" && cells[1] === "一级指标") {
      // A header row after rows of another table: the new table lost its header (page break).
      if (!cur || (cur as ExchangeTable).indicators.length > 0) {
        cur = projectTable(2026, file, i + 1);
        out.push(cur);
      }
      inRows = true;
      return;
    }
    if (inRows && cur && cells[0] === "" && cells.length >= 9 && cells[1]) {
      const [, level1, level2, name, weight, unit, op, target, core] = cells;
      (cur as ExchangeTable).indicators.push(indicator({ level1, level2, name, weight, unit, op, target, core }, i + 1));
      return;
    }
    if (inRows && cells.join("") !== "") inRows = false;
  });
  return out.filter((t) => t.indicators.length > 0);
}

/** 001 (南岸区 2024): Markdown tables, no 一级/二级, 是否核心 given; no 预算执行率 row. */
export function tables001(): ExchangeTable[] {
  const file = "001_9e32bcde27c9bb9e.txt";
  const lines = readLines(file);
  const out: ExchangeTable[] = [];
  let cur: ExchangeTable | null = null;
  let mode: "project" | "department" | null = null;
  lines.forEach((text, i) => {
    if (!text.startsWith("|")) return;
    const cells = text.split("|").slice(1, -1).map((c) => c.trim());
    if (cells[0] === "部门(单位)名称") {
      cur = { ...projectTable(2024, file, i + 1), kind: "department", project: null };
      const m = /^(\d+)-(.*)$/.exec(cells[1]);
      cur.department = { code: m?.[1] ?? null, name: m?.[2] ?? cells[1] };
      cur.overall = { budget: num(cells[4]), midTermGoal: null, annualGoal: null };
      out.push(cur);
      mode = "department";
      return;
    }
    if (cells[0].replace(/\s/g, "") === "项目名称") {
      cur = projectTable(2024, file, i + 1);
      cur.project!.name = cells[1];
      const dept = cells.find((c) => /^\d+-/.test(c));
      const m = dept ? /^(\d+)-(.*)$/.exec(dept.replace(/\s/g, "")) : null;
      cur.department = m ? { code: m[1], name: m[2] } : null;
      out.push(cur);
      mode = "project";
      return;
    }
    if (!cur) return;
    const c0 = cells[0].replace(/\s/g, "");
    if (c0 === "当年预算") (cur as ExchangeTable).project!.budget.total = num(cells[1]);
    if (c0 === "" && cells[1] && /^\d+(\.\d+)?$/.test(cells[2] ?? "")) {
      if (mode === "project") {
        const [, name, weight, op, target, unit, core] = cells;
        (cur as ExchangeTable).indicators.push(indicator({ name, weight, op, target, unit, core }, i + 1));
      } else {
        const [, name, weight, unit, op, target] = cells;
        (cur as ExchangeTable).indicators.push(indicator({ name, weight, unit, op, target }, i + 1));
      }
    }
  });
  return out;
}

type Row = [name: string, weight: string, unit: string, op: string, target: string];

/** 000 (万盛经开区 2022): transcribed by hand from lines 360–459. No 预算执行率, no 核心. */
export function tables000(): ExchangeTable[] {
  const file = "000_fec630cfd683dd92.txt";
  const dept: Array<[string, string, ...Row]> = [
    ["产出指标", "数量指标", "安全评估区内燃气企业个数", "10", "个", "≥", "4"],
    ["产出指标", "数量指标", "本部门政策落实率", "10", "%", "=", "100"],
    ["产出指标", "数量指标", "补助政策知晓率", "10", "%", "≥", "95"],
    ["产出指标", "数量指标", "公用经费控制率", "5", "%", "≤", "99.5"],
    ["产出指标", "数量指标", "集约化信息系统迁云率", "10", "%", "=", "100"],
    ["产出指标", "数量指标", "新增本地税收", "10", "万元", "≥", "2000"],
    ["产出指标", "数量指标", "增加加大研发投入制造业企业个数", "10", "个", "≥", "3"],
    ["履职效能", "数量指标", "项目绩效自评覆盖率", "10", "%", "=", "100"],
    ["履职效能", "质量指标", "预决算信息公开合规率", "10", "%", "=", "100"],
    ["履职效能", "时效指标", "“三公”经费调剂备案及时率", "5", "", "定性", "及时报备"],
    ["服务对象满意度", "服务对象满意度", "服务对象满意度", "5", "%", "≥", "99"],
    ["管理效率", "管理效率", "绩效运行监控率", "5", "%", "=", "100"],
  ];
  const p11: Row[] = [
    ["补助政策知晓率", "5", "%", "≥", "95"],
    ["补助按时到位率", "5", "%", "≥", "95"],
    ["完成企业技术创新项目", "5", "个", "≥", "5"],
    ["获得中小微发展企业专项资金企业数", "6", "个", "≥", "5"],
    ["新材料项目补助企业个数", "5", "个", "≥", "3"],
    ["新能源和智能网联汽车项目补助企业个数", "6", "个", "≥", "3"],
    ["制造业企业加大研发投入", "6", "个", "≥", "3"],
    ["中小微企业窗口服务平台数", "6", "个", "≥", "1"],
    ["国家两化融合管理体系贯标补助企业个数", "6", "个", "≥", "2"],
    ["中小微企业融资金额", "5", "万元", "≥", "100"],
    ["新增市级以上公共服务平台数量", "6", "个", "≥", "1"],
    ["新培育“专精特新”企业数", "6", "个", "≥", "1"],
    ["新增市级智能工厂和数字化车间", "6", "个", "≥", "3"],
    ["数字化车间和智能工厂补助企业个数", "6", "个", "≥", "3"],
    ["新增升规入统企业数量", "5", "个", "≥", "10"],
    ["清洁化改造补助企业个数", "5", "个", "≥", "3"],
    ["智能终端生产企业智能化改造补助企业个数", "6", "个", "≥", "1"],
    ["服务对象满意度", "5", "%", "≥", "99"],
  ];
  const p12: Row[] = [
    ["区内燃气企业评估", "9", "个", "≥", "4"],
    ["组织应急演练次数", "8", "次", "≥", "1"],
    ["专家安全诊断次数", "8", "次", "≥", "10"],
    ["诊断出安全隐患数量", "6", "个", "≥", "50"],
    ["行业领域应急预案数量", "6", "个", "≥", "4"],
    ["燃气企业评估出问题数量", "6", "个", "≥", "30"],
    ["节约财政资金投入", "6", "万元", "≥", "10"],
    ["避免资源浪费和重复", "6", "", "定性", "优"],
    ["开展评审的信息化项目数量", "9", "个", "≥", "1"],
    ["劳务派遣人数", "6", "人", "=", "5"],
    ["劳务派遣人员服务年限", "6", "年", "≥", "1"],
    ["劳务派遣人员人均费用", "7", "元/个", "=", "35000"],
    ["为劳务派遣人员缴纳社保覆盖率", "6", "%", "=", "100"],
    ["完成项目时间", "6", "年", "≤", "1"],
    ["服务对象满意度", "5", "%", "≥", "95"],
  ];
  const toInd = ([name, weight, unit, op, target]: Row) => indicator({ name, weight, unit, op, target });
  const department: ExchangeTable = {
    ...projectTable(2022, file, 360),
    kind: "department",
    project: null,
    department: { code: "531", name: "重庆市万盛经济技术开发区经济和信息化局" },
    overall: { budget: 3462.99, midTermGoal: null, annualGoal: null },
    indicators: dept.map(([level1, level2, ...row]) => ({ ...toInd(row as Row), level1, level2 })),
  };
  const mk = (line: number, code: string, name: string, category: string, total: number, rows: Row[]): ExchangeTable => {
    const t = projectTable(2022, file, line);
    t.department = { code: "531", name: "重庆市万盛经济技术开发区经济和信息化局" };
    t.project = { ...emptyProjectHeader(), code, name, category, budget: { total, local: null, superior: null } };
    t.indicators = rows.map(toInd);
    return t;
  };
  return [
    department,
    mk(387, "50019222A531700000274", "工业和信息化产业发展专项", "重点专项", 2570, p11),
    mk(428, "50019222A531700000272", "行业服务发展专项", "一般性项目", 21, p12),
  ];
}
