// The one pager of the lists (项目, 审计日志, 指标库, rounds): links keep the list's query, drop
// what the page asks to drop, and never show a page past the end.
import { renderToString } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Pager } from "~/components/Pager";

function render(url: string, props: Parameters<typeof Pager>[0]): string {
  return renderToString(
    <StaticRouter location={url}>
      <Pager {...props} />
    </StaticRouter>,
  ).replace(/<!-- -->/g, "");
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));

describe("Pager", () => {
  it("links to the pages around this one and keeps the other parameters", () => {
    const html = render("/projects?year=2026&q=%E8%B7%AF&page=2", { page: 2, pageSize: 10, total: 35 });
    expect(html).toContain("第 2 / 4 页");
    expect(hrefs(html)).toEqual(["/projects?year=2026&q=%E8%B7%AF&page=1", "/projects?year=2026&q=%E8%B7%AF&page=3"]);
  });

  it("leaves out the parameters the page names in drop", () => {
    const html = render("/library?q=a&edit=3&add=1&page=1", { page: 1, pageSize: 10, total: 35, drop: ["edit", "add"] });
    expect(hrefs(html)).toEqual(["/library?q=a&page=2"]);
  });

  it("shows nothing for one page, and clamps a page past the end", () => {
    expect(render("/audit", { page: 1, pageSize: 50, total: 50 })).toBe("");
    const html = render("/audit?page=9", { page: 9, pageSize: 50, total: 120 });
    expect(html).toContain("第 3 / 3 页");
    expect(html).not.toContain("下一页");
  });
});
