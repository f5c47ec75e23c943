// The import's 主管部门 / 预算单位 choice without JavaScript: a plain select (the closest
// names first, then the others, then 「新建」) and the new organisation's fields shown as
// ordinary inputs, so the form works as served.
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OrgChoice, type OrgChoiceProps } from "~/components/import/OrgChoice";

const props: OrgChoiceProps = {
  name: "department-1",
  label: "导入到主管部门",
  value: "new",
  emptyLabel: "请选择…",
  suggestions: [{ id: 7, code: "531", name: "重庆市万盛经济技术开发区经济和信息化局", score: 0.5 }],
  suggestionsLabel: "与文档中的名称相近",
  groups: [{ label: "其他主管部门", options: [{ id: 8, code: "540", name: "万盛经开区财政局" }] }, { label: "空", options: [] }],
  newLabel: "新建主管部门…",
  newFields: {
    code: "newCode-1",
    name: "newName-1",
    codeLabel: "新主管部门编码",
    nameLabel: "新主管部门名称",
    values: { code: "532", name: "万盛经开区经信委" },
    errors: { code: "编码过长" },
  },
  hint: "文档中的「万盛经开区经信委」未对应到本地区的主管部门。",
};

const html = (p: OrgChoiceProps) => renderToString(<OrgChoice {...p} />).replace(/<!-- -->/g, "");

describe("OrgChoice as served", () => {
  it("lists the suggestions with their similarity, then the others, then 新建; the submitted value is selected", () => {
    const out = html(props);
    const options = [...out.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map((m) => [m[1], Boolean(m[2]), m[3]]);
    expect(options).toEqual([
      ["", false, "请选择…"],
      ["7", false, "531-重庆市万盛经济技术开发区经济和信息化局（相近 50%）"],
      ["8", false, "540-万盛经开区财政局"],
      ["new", true, "新建主管部门…"],
    ]);
    expect(out).toContain('<optgroup label="与文档中的名称相近">');
    expect(out).not.toContain('label="空"');
    expect(out).toMatch(/<select id="department-1" name="department-1" aria-describedby="department-1-hint">/);
  });

  it("shows the new organisation's fields as plain inputs, with their values, errors and when to fill them", () => {
    for (const value of ["new", "7", ""]) {
      const out = html({ ...props, value });
      expect(out).not.toContain('type="hidden"');
      expect(out).toMatch(/<input id="newCode-1-[^"]*" name="newCode-1" aria-invalid="true" aria-describedby="[^"]*" value="532"\/>/);
      expect(out).toContain('name="newName-1"');
      expect(out).toContain("选择「新建主管部门」时填写");
      expect(out).toContain("编码过长");
    }
  });
});
