import { describe, expect, it } from "vitest";
import { inAppPath, type Click, type PlainLink } from "../../app/utils/link-clicks";

const ORIGIN = "https://jixiao.example";
const left: Click = { button: 0, metaKey: false, altKey: false, ctrlKey: false, shiftKey: false, defaultPrevented: false };
const link = (href: string, more: Partial<PlainLink> = {}): PlainLink => ({ href, target: "", download: false, reloadDocument: false, ...more });

describe("inAppPath: the clicks on plain links the app navigates itself", () => {
  it("a left click on a link to this origin: its path, query and hash", () => {
    expect(inAppPath(left, link(`${ORIGIN}/projects/12`), ORIGIN)).toBe("/projects/12");
    expect(inAppPath(left, link(`${ORIGIN}/projects?status=draft&page=2#top`), ORIGIN)).toBe("/projects?status=draft&page=2#top");
    expect(inAppPath(left, link("/evaluations/3/p/12"), ORIGIN)).toBe("/evaluations/3/p/12");
    expect(inAppPath(left, link(`${ORIGIN}/x`, { target: "_self" }), ORIGIN)).toBe("/x");
  });

  it("left to the browser: modifier keys, other buttons, a click already handled", () => {
    for (const change of [{ metaKey: true }, { ctrlKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }, { button: 2 }, { defaultPrevented: true }]) {
      expect(inAppPath({ ...left, ...change }, link(`${ORIGIN}/projects/12`), ORIGIN)).toBeNull();
    }
  });

  it("left to the browser: another window, a download, a full reload, another origin or scheme", () => {
    expect(inAppPath(left, link(`${ORIGIN}/p`, { target: "_blank" }), ORIGIN)).toBeNull();
    expect(inAppPath(left, link(`${ORIGIN}/export/xlsx`, { download: true }), ORIGIN)).toBeNull();
    expect(inAppPath(left, link(`${ORIGIN}/p`, { reloadDocument: true }), ORIGIN)).toBeNull();
    expect(inAppPath(left, link("https://evil.example/projects/12"), ORIGIN)).toBeNull();
    expect(inAppPath(left, link("http://jixiao.example/projects/12"), ORIGIN)).toBeNull();
    expect(inAppPath(left, link("//evil.example/x"), ORIGIN)).toBeNull();
    expect(inAppPath(left, link("mailto:a@b.c"), ORIGIN)).toBeNull();
    expect(inAppPath(left, link("javascript:alert(1)"), ORIGIN)).toBeNull();
    expect(inAppPath(left, link("http://[bad"), ORIGIN)).toBeNull();
  });
});
