// `jixiao publish` (issue 14, item 6; docs/cli.md): against this file's real SQLite database,
// one Word file per department of a region, each read back by the document importer as the
// approved tables (the round trip of item 5, through the command line); one department as an
// A4 print view (HTML) read back alike; recorded and audited as 命令行; Chinese errors and
// exit codes for what cannot be published; and bin/jixiao.js as a real process.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main";
import type { ExchangeTable } from "../../app/domain/schemas";
import { seedDemo } from "../helpers/app";
import { comparable } from "../helpers/publication";
import { indicator, validProjectTable } from "../helpers/tables";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-publish-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Region = { id: number; slug: string; name: string; year: number };
const regions: Record<string, Region> = {};
/** A second department of nanan, with approved tables of its own, so that a region means several files. */
const second = { code: "499", name: "重庆市南岸区测试局" };
/** A year of qijiang with a draft only. */
const DRAFT_YEAR = 2030;

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`), readFile: (p) => fs.readFileSync(p, "utf8") });
  return { code, stdout, stderr };
}

async function publisher(slug: string) {
  const { commandLinePublisher } = await import("../../app/models/publication.server");
  return commandLinePublisher(slug)!;
}

/** The approved tables of each department of a region and year, by department code. */
async function approvedByDepartment(slug: string, year: number) {
  const { getScopeExport } = await import("../../app/models/export.server");
  const { db } = await import("../../db/client.server");
  const { departments } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const p = await publisher(slug);
  const out = new Map<string, { name: string; tables: ExchangeTable[] }>();
  for (const d of db.select().from(departments).where(eq(departments.regionId, p.regionId)).all()) {
    const tables = getScopeExport(p, { year, departmentId: d.id })!.tables.filter((t) => t.status === "approved").map((t) => t.table);
    if (tables.length) out.set(d.code, { name: d.name, tables });
  }
  return out;
}

async function counts() {
  const { sqlite } = await import("../../db/client.server");
  const n = (sql: string) => sqlite.prepare(sql).pluck().get() as number;
  return { publications: n("SELECT count(*) FROM publications"), audit: n("SELECT count(*) FROM audit_events WHERE entity = 'publication'") };
}

async function readBack(file: string) {
  const { docxToText } = await import("../../app/io/docx");
  const { parseDocument } = await import("../../app/io/document");
  return parseDocument(await docxToText(new Uint8Array(fs.readFileSync(file)), path.basename(file)));
}

beforeAll(async () => {
  await seedDemo();
  const { db } = await import("../../db/client.server");
  const schema = await import("../../db/schema");
  for (const r of db.select().from(schema.regions).all()) regions[r.slug] = { id: r.id, slug: r.slug, name: r.name, year: r.currentYear };

  const { commitImport } = await import("../../app/models/import.server");
  const nanan = regions.nanan;
  const tables = ["测试局项目甲", "测试局项目乙"].map((name, i) =>
    validProjectTable({ year: nanan.year, name, code: `50010899T00000000000${i}`, department: second, unit: null, indicators: [indicator({ weight: 90 })] }),
  );
  commitImport({ id: null, regionId: nanan.id }, { year: nanan.year, mode: "approved", tables, choices: { 0: { kind: "create", ...second }, 1: { kind: "create", ...second } } });
  const q = regions.qijiang;
  commitImport({ id: null, regionId: q.id }, { year: DRAFT_YEAR, mode: "draft", tables: [validProjectTable({ year: DRAFT_YEAR, name: "只有草稿" })] });
});

describe("jixiao publish: a whole region, one Word file per department", () => {
  for (const slug of ["wansheng", "nanan", "qijiang"]) {
    it(`${slug}: every department's file reads back as its approved tables; recorded and audited as 命令行`, async () => {
      const r = regions[slug];
      const approved = await approvedByDepartment(slug, r.year);
      expect(approved.size).toBeGreaterThan(0);
      if (slug === "nanan") expect([...approved.keys()]).toContain(second.code);
      const before = await counts();
      const out = path.join(dir, slug);
      const res = await run("publish", "--region", slug, "--year", String(r.year), "--out", out);
      expect(res.stderr).toBe("");
      expect(res.code).toBe(0);

      const files = fs.readdirSync(out).sort();
      const expected = [...approved].map(([code, d]) => `${code}-${d.name}-${r.year}年绩效目标公开.docx`).sort();
      expect(files).toEqual(expected);
      for (const [code, d] of approved) {
        const file = path.join(out, `${code}-${d.name}-${r.year}年绩效目标公开.docx`);
        expect(res.stdout).toContain(`已发布 ${code} ${d.name}：${d.tables.length} 张表 → ${file}`);
        const back = await readBack(file);
        expect(back.tables.map(comparable)).toEqual(d.tables.map(comparable));
        const unnamed = d.tables.filter((t) => t.kind === "project" && !t.project?.name).length;
        expect(back.warnings.map((w) => w.code)).toEqual(Array(unnamed).fill("name_missing"));
      }

      // One publication per department, as the web records it, without a user.
      const after = await counts();
      expect(after.publications - before.publications).toBe(approved.size);
      expect(after.audit - before.audit).toBe(approved.size);
      const { db } = await import("../../db/client.server");
      const { auditEvents, departments, publications } = await import("../../db/schema");
      const { and, desc, eq, inArray } = await import("drizzle-orm");
      const rows = db
        .select({ id: publications.id, createdBy: publications.createdBy, data: publications.data, code: departments.code, name: departments.name, year: publications.year, kind: publications.kind })
        .from(publications)
        .innerJoin(departments, eq(departments.id, publications.departmentId))
        .where(eq(publications.regionId, r.id))
        .orderBy(desc(publications.id))
        .limit(approved.size)
        .all();
      for (const row of rows) {
        expect(row).toMatchObject({ createdBy: null, year: r.year, kind: "targets" });
        // The file written is the file recorded (downloadable again from the web).
        expect(fs.readFileSync(path.join(out, `${row.code}-${row.name}-${r.year}年绩效目标公开.docx`)).equals(row.data)).toBe(true);
      }
      const events = db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entity, "publication"), inArray(auditEvents.entityId, rows.map((x) => x.id))))
        .all();
      expect(events).toHaveLength(approved.size);
      for (const e of events) {
        expect(e).toMatchObject({ actorId: null, regionId: r.id, action: "publish" });
        expect(JSON.parse(e.after!).via).toBe("命令行");
      }
    });
  }

  it("the audit log names the command line as who published", async () => {
    const { actorOf } = await import("../../app/routes/audit");
    expect(actorOf({ actorName: null, after: JSON.stringify({ via: "命令行" }) })).toBe("命令行");
    expect(actorOf({ actorName: null, after: null })).toBe("系统");
    expect(actorOf({ actorName: "张三", after: JSON.stringify({ via: "命令行" }) })).toBe("张三");
  });
});

describe("jixiao publish: one department", () => {
  it("--format html: the A4 print view as one HTML file, read back as the approved tables", async () => {
    const r = regions.qijiang;
    const [[code, d]] = [...(await approvedByDepartment("qijiang", r.year))];
    const file = path.join(dir, "qijiang.html");
    const res = await run("publish", "--region", "qijiang", "--year", String(r.year), "--department", code, "--format", "html", "--out", file);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`→ ${file}`);
    const html = fs.readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<title>${d.name} ${r.year} 年绩效目标公开</title>`);
    expect(html).toContain("@page { size: A4 portrait");
    const { parseDocument } = await import("../../app/io/document");
    // The print view's text, read as test/integration/publication.test.ts reads the page's.
    const sheets = html.slice(html.indexOf('<div class="print-sheet">'));
    const back = parseDocument(sheets.replace(/></g, ">\n<"));
    expect(back.tables.map(comparable)).toEqual(d.tables.map(comparable));
  });

  it("--out a directory: the file is named by department code and name; --kind results publishes the 自评表", async () => {
    const r = regions.nanan;
    const { db } = await import("../../db/client.server");
    const { departments } = await import("../../db/schema");
    const { and, eq, ne } = await import("drizzle-orm");
    const d = db.select().from(departments).where(and(eq(departments.regionId, r.id), ne(departments.code, second.code))).get()!;
    const out = path.join(dir, "results");
    fs.mkdirSync(out);
    const res = await run("publish", "--region=nanan", `--year=${r.year}`, `--department=${d.code}`, "--kind", "results", "--out", out);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const name = `${d.code}-${d.name}-${r.year}年绩效自评结果公开.docx`;
    expect(fs.readdirSync(out)).toEqual([name]);
    const { docxToText } = await import("../../app/io/docx");
    const text = await docxToText(new Uint8Array(fs.readFileSync(path.join(out, name))), name);
    expect(text).toContain("项目支出绩效自评表");
    const { publications } = await import("../../db/schema");
    const { desc } = await import("drizzle-orm");
    expect(db.select().from(publications).orderBy(desc(publications.id)).get()).toMatchObject({ kind: "results", departmentId: d.id, createdBy: null });
  });
});

describe("jixiao publish: what cannot be published, in Chinese, with an exit code and nothing recorded", () => {
  const cases: Array<{ name: string; argv: () => string[]; code: number; message: RegExp }> = [
    { name: "an unknown region", argv: () => ["--region", "nowhere", "--year", "2024", "--out", dir], code: 2, message: /没有代号为「nowhere」的地区。现有：nanan、qijiang、wansheng/ },
    {
      name: "an unknown department",
      argv: () => ["--region", "nanan", "--year", String(regions.nanan.year), "--department", "000", "--out", dir],
      code: 2,
      message: /重庆市南岸区没有编码为「000」的主管部门/,
    },
    { name: "a year without tables", argv: () => ["--region", "nanan", "--year", "2001", "--out", dir], code: 2, message: /重庆市南岸区没有 2001 年的绩效目标表（有绩效目标表的年度：.*2024/ },
    { name: "a year without 自评任务", argv: () => ["--region", "wansheng", "--year", "2001", "--kind", "results", "--out", dir], code: 2, message: /没有 2001 年的绩效自评任务/ },
    { name: "an invalid year", argv: () => ["--region", "nanan", "--year", "24", "--out", dir], code: 2, message: /年度「24」无效/ },
    { name: "no --out", argv: () => ["--region", "nanan", "--year", "2024"], code: 2, message: /缺少 --out/ },
    { name: "an unknown format", argv: () => ["--region", "nanan", "--year", "2024", "--format", "pdf", "--out", dir], code: 2, message: /--format 取值「pdf」无效，可选：docx、html/ },
    { name: "an unknown option", argv: () => ["--region", "nanan", "--year", "2024", "--out", dir, "--force"], code: 2, message: /未知选项：--force/ },
    {
      name: "a region whose --out is a file",
      argv: () => ["--region", "qijiang", "--year", String(regions.qijiang.year), "--out", path.join(dir, "qijiang.html")],
      code: 2,
      message: /不是目录：发布全地区时 --out 须为目录/,
    },
    { name: "a region with nothing approved", argv: () => ["--region", "qijiang", "--year", String(DRAFT_YEAR), "--out", path.join(dir, "none")], code: 1, message: /重庆市綦江区2030年没有可发布的绩效目标：\n\s+.*2030年没有已批复的绩效目标表，无法发布/ },
    {
      name: "a department with nothing approved",
      argv: () => ["--region", "qijiang", "--year", String(DRAFT_YEAR), "--department", "206", "--out", path.join(dir, "none.docx")],
      code: 1,
      message: /2030年没有已批复的绩效目标表，无法发布/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const before = await counts();
      const res = await run("publish", ...c.argv());
      expect(res.stdout).toBe("");
      expect(res.stderr).toMatch(c.message);
      expect(res.code).toBe(c.code);
      expect(await counts()).toEqual(before);
    });
  }

  it("a database file that is not there is not created", async () => {
    const missing = path.join(dir, "missing", "jixiao.db");
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = missing;
    try {
      const res = await run("publish", "--region", "nanan", "--year", "2024", "--out", dir);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`找不到数据库文件 ${missing}（DATABASE_URL）`);
    } finally {
      process.env.DATABASE_URL = saved;
    }
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });
});

describe("bin/jixiao.js publish", () => {
  it("a real process publishes from the database of DATABASE_URL, and exits", async () => {
    const r = regions.wansheng;
    const [[code, d]] = [...(await approvedByDepartment("wansheng", r.year))];
    const file = path.join(dir, "bin", "wansheng.docx");
    const root = path.resolve(__dirname, "../..");
    const p = spawnSync(process.execPath, [path.join(root, "bin/jixiao.js"), "publish", "--region", "wansheng", "--year", String(r.year), "--department", code, "--out", file], {
      cwd: root,
      env: { ...process.env },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    expect(p.stdout).toContain(`已发布 ${code} ${d.name}：${d.tables.length} 张表 → ${file}`);
    const back = await readBack(file);
    expect(back.tables.map(comparable)).toEqual(d.tables.map(comparable));
  });
});
