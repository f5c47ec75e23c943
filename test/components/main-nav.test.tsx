// The main navigation: plain links, the current section marked as NavLink marked it.
import { renderToString } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { MainNav } from "~/components/MainNav";
import { isCurrentSection, navItems } from "~/components/nav";

function render(url: string): string {
  return renderToString(
    <StaticRouter location={url}>
      <MainNav items={navItems("finance")} />
    </StaticRouter>,
  );
}

const current = (html: string) => [...html.matchAll(/<a href="([^"]*)" class="active" aria-current="page">/g)].map((m) => m[1]);

describe("MainNav", () => {
  it("renders every item of the role as a plain link inside the labelled navigation", () => {
    const html = render("/projects");
    expect(html).toMatch(/^<nav aria-label="主导航" class="mainnav">/);
    expect([...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1])).toEqual(navItems("finance").map((i) => i.to));
    expect(html).not.toContain("<link");
  });

  it("marks the section of the page, and only that one", () => {
    expect(current(render("/"))).toEqual(["/"]);
    expect(current(render("/projects"))).toEqual(["/projects"]);
    expect(current(render("/projects/12?version=2"))).toEqual(["/projects"]);
    expect(current(render("/monitoring/3/p/12"))).toEqual(["/monitoring"]);
    expect(current(render("/department-targets"))).toEqual(["/department-targets"]);
    expect(current(render("/login"))).toEqual([]);
  });
});

describe("isCurrentSection", () => {
  it("the path itself or below it, case-insensitively; the 工作台 only for itself", () => {
    expect(isCurrentSection("/projects", "/projects")).toBe(true);
    expect(isCurrentSection("/projects", "/projects/")).toBe(true);
    expect(isCurrentSection("/projects", "/Projects/12")).toBe(true);
    expect(isCurrentSection("/projects", "/projects-old")).toBe(false);
    expect(isCurrentSection("/projects", "/project")).toBe(false);
    expect(isCurrentSection("/", "/")).toBe(true);
    expect(isCurrentSection("/", "/projects")).toBe(false);
  });
});
