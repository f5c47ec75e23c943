// Import in the browser: upload → preview → confirm, re-import reports what exists, bad
// files give Chinese errors; then the imported project's 打印 view and Excel download.
// Works in 万盛 under the year 2021 (the demo works on 2022) so other tests' data is untouched.
import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { EXCHANGE_FORMAT, type ExchangeTable } from "../../app/domain/schemas";
import { browserAvailable, newPage, signIn, useBrowser } from "./browser";

useBrowser();

const DEPT = "531-重庆市万盛经济技术开发区经济和信息化局";

/** A document in the style of the published 部门预算公开 texts: two project tables. */
const DOCUMENT = [
  "重庆市万盛经济技术开发区经济和信息化局 2021 年部门预算情况说明",
  "",
  "一、部门基本情况（略）",
  "",
  "2021年项目支出绩效目标表",
  "编制单位：531001-万盛经开区经济信息局（本级）",
  "单位：万元",
  `项目名称\tE2E2021000000000001-万盛中小企业服务券\t\t\t业务主管部门\t${DEPT}\t\t`,
  "预算执行率 权重\t10\t\t\t项目分类\t一般性项目\t\t",
  "当年预算 （万元）\t80.00\t\t\t本级安排 （万元）\t80.00\t\t",
  "\t\t\t\t上级补助 （万元）\t\t\t",
  "项目概况\t向中小企业发放服务券。\t\t\t\t\t\t",
  "立项依据\t支持中小企业发展的意见。\t\t\t\t\t\t",
  "当年绩效目标\t服务企业不少于100家。\t\t\t\t\t\t",
  "绩效指标\t一级指标\t二级指标\t三级指标\t指标权重\t指标值\t指标性质\t计量单位\t是否核心指标",
  "\t产出指标\t数量指标\t服务企业数\t30\t100\t≥\t家\t是",
  "\t产出指标\t质量指标\t兑付准确率\t20\t100\t＝\t%\t是",
  "\t成本指标\t经济成本指标\t户均补助标准\t20\t8000\t≤\t元/户\t否",
  "\t效益指标\t社会效益指标\t企业经营成本降低\t10\t有效降低\t定性\t\t是",
  "\t满意度指标\t服务对象满意度指标\t企业满意度\t10\t90\t≥\t%\t否",
  "",
  "2021年项目支出绩效目标表",
  "单位：万元",
  "项目名称\t万盛工业园区安全巡查\t\t\t业务主管部门\t599-万盛经开区某某中心\t\t",
  "预算执行率 权重\t10\t\t\t项目分类\t一般性项目\t\t",
  "当年预算 （万元）\t12.00\t\t\t本级安排 （万元）\t12.00\t\t",
  "\t\t\t\t上级补助 （万元）\t\t\t",
  "项目概况\t园区安全巡查。\t\t\t\t\t\t",
  "立项依据\t安全生产工作要求。\t\t\t\t\t\t",
  "当年绩效目标\t全年无重大事故。\t\t\t\t\t\t",
  "绩效指标\t一级指标\t二级指标\t三级指标\t指标权重\t指标值\t指标性质\t计量单位\t是否核心指标",
  "\t产出指标\t数量指标\t巡查次数\t40\t24\t≥\t次\t是",
  "\t效益指标\t社会效益指标\t重大事故发生数\t40\t0\t=\t起\t是",
  "\t满意度指标\t服务对象满意度指标\t企业满意度\t10\t九十\t≥\t%\t否",
  "",
].join("\n");

function xlsxTable(): ExchangeTable {
  // Valid under the 2021 rule set (chongqing-2022): weights total 100, no budget-execution weight.
  const ind = (name: string, weight: number, level1: string, level2: string, target: string, unit: string, core = true) => ({
    level1,
    level2,
    name,
    weight,
    unit,
    operator: "≥" as const,
    target,
    core,
  });
  return {
    format: EXCHANGE_FORMAT,
    kind: "project",
    year: 2021,
    department: { code: "531", name: "重庆市万盛经济技术开发区经济和信息化局" },
    unit: { code: "531002", name: "万盛经开区油电气服务中心" },
    project: {
      code: "E2E2021000000000002",
      name: "万盛油气管道巡检",
      category: "一般性项目",
      financeOffice: null,
      budget: { total: 30, local: 30, superior: null },
      overview: "管道巡检。",
      basis: null,
      schedule: null,
      measures: null,
      midTermGoal: null,
      annualGoal: "管道安全运行。",
    },
    overall: null,
    budgetExecutionWeight: null,
    indicators: [
      ind("巡检里程", 30, "产出指标", "数量指标", "120", "公里"),
      ind("隐患整改率", 30, "产出指标", "质量指标", "95", "%"),
      ind("安全运行天数", 30, "效益指标", "社会效益指标", "365", "天", false),
      ind("用户满意度", 10, "满意度指标", "服务对象满意度指标", "90", "%", false),
    ],
  };
}

async function uploadFile(page: Page, name: string, buffer: Buffer, mimeType = "text/plain") {
  await page.goto("/import");
  await page.getByLabel("文档或 Excel 文件").setInputFiles({ name, mimeType, buffer });
  await page.getByRole("button", { name: "上传并预览" }).click();
}

describe.skipIf(!browserAvailable)("import in Chromium", () => {
  it("upload → preview → confirm, then the same document again reports what exists", async () => {
    const { context, page } = await newPage();
    await signIn(page, "wansheng.finance");
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "导入" }).click();
    await page.getByRole("heading", { name: "导入绩效目标表" }).waitFor();
    await page.getByText("文件不能超过 20 MB").waitFor();

    await uploadFile(page, "万盛经信局2021.txt", Buffer.from(DOCUMENT, "utf8"));
    await page.getByRole("heading", { name: "2. 预览：万盛经信局2021.txt" }).waitFor();
    const cards = page.getByTestId("import-table");
    expect(await cards.count()).toBe(2);
    expect(await page.getByTestId("import-summary").textContent()).toMatch(/找到 2 张绩效目标表/);
    expect(await page.getByLabel("年度").inputValue()).toBe("2021");
    await page.getByText("文档年度：2021").waitFor();

    // The first table's department is matched and pre-selected; the second's is unknown.
    const first = cards.nth(0);
    await first.getByRole("heading", { name: "1. 万盛中小企业服务券" }).waitFor();
    expect(await first.getByLabel("导入到主管部门").locator("option:checked").textContent()).toBe(DEPT);
    await first.getByText("将新建").waitFor();
    const second = cards.nth(1);
    expect(await second.getByLabel("导入到主管部门").inputValue()).toBe("new");
    expect(await second.getByLabel("新主管部门编码").inputValue()).toBe("599");
    // Findings and the importer's warning with its line number.
    await second.getByText(/个错误/).first().waitFor();
    await second.getByText(/第34行：指标「企业满意度」的指标值无法识别/).waitFor();

    // Map the unknown department to the existing one instead of creating it.
    await second.getByLabel("导入到主管部门").selectOption({ label: DEPT });
    expect(await second.getByLabel("新主管部门编码").count()).toBe(0);
    await page.getByRole("button", { name: "确认导入" }).click();

    await page.getByRole("status").filter({ hasText: "导入完成：新建 2 张表（2021 年度，作为已批复的历史目标）" }).waitFor();
    const result = page.getByRole("table", { name: "导入结果" });
    expect(await result.getByText("已导入").count()).toBe(2);

    // Again: both exist, nothing is duplicated.
    await uploadFile(page, "万盛经信局2021.txt", Buffer.from(DOCUMENT, "utf8"));
    await page.getByRole("heading", { name: "2. 预览：万盛经信局2021.txt" }).waitFor();
    expect(await page.getByTestId("exists").count()).toBe(2);
    expect(await page.getByTestId("import-summary").textContent()).toMatch(/其中 2 张已存在/);
    // The document still names 599 for the second table: it is found by year + name and its
    // department (531, where it was filed) is pre-selected, so nothing is created.
    expect(await cards.nth(1).getByLabel("导入到主管部门").locator("option:checked").textContent()).toBe(DEPT);
    await page.getByRole("button", { name: "确认导入" }).click();
    await page.getByRole("status").filter({ hasText: "新建 0 张表" }).waitFor();
    expect(await page.getByRole("table", { name: "导入结果" }).getByText("已存在，未导入").count()).toBe(2);
    await context.close();
  });

  it("an .xlsx workbook is imported as a draft; the project prints on one clean A4 page and downloads as .xlsx", async () => {
    const { tablesToWorkbook, workbookToTables } = await import("../../app/io/xlsx");
    const { context, page } = await newPage();
    await signIn(page, "wansheng.admin");
    const xlsx = await tablesToWorkbook([xlsxTable()]);
    await uploadFile(page, "油气巡检.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    await page.getByRole("heading", { name: "2. 预览：油气巡检.xlsx" }).waitFor();
    await page.getByText("审核通过").waitFor();
    await page.getByLabel("作为草稿（可修改后提交审核）").check();
    await page.getByRole("button", { name: "确认导入" }).click();
    await page.getByRole("status").filter({ hasText: "新建 1 张表（2021 年度，作为草稿）" }).waitFor();

    await page.getByRole("table", { name: "导入结果" }).getByRole("link", { name: "万盛油气管道巡检" }).click();
    await page.getByRole("heading", { name: "万盛油气管道巡检", level: 1 }).waitFor();
    const links = page.getByTestId("project-links");

    // 导出 Excel: a download with the Chinese file name, in the published layout.
    const [download] = await Promise.all([page.waitForEvent("download"), links.getByRole("link", { name: "导出 Excel" }).click()]);
    expect(download.suggestedFilename()).toBe("2021年项目支出绩效目标表-万盛油气管道巡检.xlsx");
    const read = await workbookToTables(new Uint8Array(fs.readFileSync((await download.path())!)));
    expect(read.tables[0].project?.name).toBe("万盛油气管道巡检");
    expect(read.tables[0].indicators.map((i) => i.name)).toEqual(xlsxTable().indicators.map((i) => i.name));

    // 打印: the official layout; in print media no app chrome and no toolbar.
    await links.getByRole("link", { name: "打印" }).click();
    await page.getByRole("heading", { name: "2021年项目支出绩效目标表" }).waitFor();
    await page.getByRole("button", { name: "打印" }).waitFor();
    expect(await page.locator("table.official-header").getByText("E2E2021000000000002").count()).toBe(1);
    expect(await page.locator("table.official-grid tbody tr").count()).toBe(4);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".topbar").isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "打印" }).isVisible()).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString("latin1");
    expect(text.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    // A4 is 595.3 × 841.9 points.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
    expect(Math.abs(Number(box?.[1]) - 595.3)).toBeLessThan(1.5);
    expect(Math.abs(Number(box?.[2]) - 841.9)).toBeLessThan(1.5);
    await context.close();
  });

  it("bad files get a clear Chinese error and nothing to confirm", async () => {
    const { context, page } = await newPage();
    await signIn(page, "wansheng.finance");
    await uploadFile(page, "empty.txt", Buffer.alloc(0));
    await page.getByRole("alert").filter({ hasText: "文件「empty.txt」是空文件，没有可导入的内容" }).waitFor();
    expect(await page.getByRole("button", { name: "确认导入" }).count()).toBe(0);

    await uploadFile(page, "scan.pdf", Buffer.from("%PDF-1.7\n%\xff\xfe\n1 0 obj\n", "latin1"), "application/pdf");
    await page.getByRole("alert").filter({ hasText: "不是文本文档" }).waitFor();

    await uploadFile(page, "说明.txt", Buffer.from("某局 2021 年部门预算情况说明\n\n一、部门职责\n（略）\n", "utf8"));
    await page.getByRole("alert").filter({ hasText: "没有找到项目绩效目标表或部门（单位）整体绩效目标表" }).waitFor();

    // Over 20 MB: refused in the page before anything is sent.
    await page.goto("/import");
    await page.getByLabel("文档或 Excel 文件").setInputFiles({ name: "大文件.txt", mimeType: "text/plain", buffer: Buffer.alloc(21 * 1024 * 1024, 0x41) });
    await page.getByRole("alert").filter({ hasText: "文件「大文件.txt」过大（21.0 MB）：网页导入的文件不能超过 20 MB" }).waitFor();
    let posts = 0;
    page.on("request", (r) => {
      if (r.method() === "POST") posts += 1;
    });
    await page.getByRole("button", { name: "上传并预览" }).click();
    // Then an upload the page does send, answered by the server: a POST of the refused click
    // would have gone out before this one.
    await page.getByLabel("文档或 Excel 文件").setInputFiles({ name: "small.txt", mimeType: "text/plain", buffer: Buffer.from("某局部门预算情况说明\n（略）\n", "utf8") });
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "上传并预览" }).click()]);
    await page.getByRole("alert").filter({ hasText: "没有找到项目绩效目标表或部门（单位）整体绩效目标表" }).waitFor();
    // One POST: the small file's; the refused click sent nothing.
    expect(posts).toBe(1);
    await context.close();
  });

  it("unit and department users cannot open the import page", async () => {
    const { context, page } = await newPage();
    await signIn(page, "wansheng.dept");
    const response = await page.goto("/import");
    expect(response?.status()).toBe(403);
    await context.close();
  });
});
