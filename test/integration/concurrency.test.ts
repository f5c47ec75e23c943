// Concurrency (issue 9, item 15): 20 clients of one region save, submit and review their own
// tables at the same time through the real route actions, while two clients save the same
// draft from the same revision and two finance users approve the same table. Afterwards
// nothing is lost, the stale save got 409, and the audit log has one entry per change.
//
// better-sqlite3 is synchronous, so "at the same time" means interleaved async actions. To
// make sure they really interleave, every client's first request has a body that is held
// back until all of them have passed sign-in and scope checks and started reading their
// bodies: only then do all bodies arrive, and each action runs on from its await.
import { beforeAll, describe, expect, it } from "vitest";
import type { Indicator } from "../../app/domain/schemas";
import { tableToForm } from "../../app/domain/table-form";
import { BASE, call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

type TableRef = { id: number; revision: number; status: string; version: number };

/** The editor's fields for a valid table whose first target is `target` (unique per save). */
function editorFields(intent: "save" | "submit", table: TableRef, target: number): Record<string, string> {
  const base = validProjectTable();
  const form = tableToForm({ ...base, indicators: base.indicators.map((ind, i): Indicator => (i === 0 ? { ...ind, target: String(target) } : ind)) });
  const fields: Record<string, string> = { intent, tableId: String(table.id), revision: String(table.revision), budgetExecutionWeight: form.budgetExecutionWeight };
  form.indicators.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) fields[`indicators.${i}.${k}`] = v;
  });
  return fields;
}

async function projectAction() {
  return (await import("../../app/routes/projects.$projectId")).action;
}

async function page(cookie: string, projectId: number, version?: number) {
  const { loader } = await import("../../app/routes/projects.$projectId");
  const res = await call(loader, makeRequest(`/projects/${projectId}${version ? `?version=${version}` : ""}`, { cookie }), { projectId: String(projectId) });
  expect(res.status).toBe(200);
  const body = await jsonOf(res);
  return { table: body.view.table as TableRef, targets: (body.view.exchange.indicators as Indicator[]).map((i) => i.target) };
}

type Result = { status: number; body: any };

async function post(cookie: string, projectId: number, fields: Record<string, string>, body?: BodyInit): Promise<Result> {
  const request = body
    ? new Request(`${BASE}/projects/${projectId}`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body,
        duplex: "half",
      } as RequestInit)
    : makeRequest(`/projects/${projectId}`, { cookie, form: fields });
  const res = await call(await projectAction(), request, { projectId: String(projectId) });
  return { status: res.status, body: res.status >= 400 && res.headers.get("Content-Type")?.includes("json") ? await res.json() : null };
}

/** Held-back bodies: `arrived` resolves once every body is being read, `release()` sends them. */
function gate() {
  let release!: () => void;
  const go = new Promise<void>((resolve) => (release = resolve));
  const arrivals: Promise<void>[] = [];
  const body = (fields: Record<string, string>): ReadableStream<Uint8Array> => {
    let arrive!: () => void;
    arrivals.push(new Promise<void>((resolve) => (arrive = resolve)));
    let sent = false;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent) return controller.close();
        arrive();
        await go;
        sent = true;
        controller.enqueue(new TextEncoder().encode(new URLSearchParams(fields).toString()));
      },
    });
  };
  return { body, release, arrived: () => Promise.all(arrivals), waiting: () => arrivals.length };
}

let unit: string[] = [];
let dept: string[] = [];
let finance: string[] = [];

async function newProject(name: string): Promise<number> {
  const { action } = await import("../../app/routes/projects.new");
  const res = await call(action, makeRequest("/projects/new", { cookie: unit[0], form: { name, budgetTotal: "25.65" } }));
  expect(res.status).toBe(302);
  return Number(res.headers.get("Location")!.split("/").pop());
}

/** A project whose table is in `state`, reached through the real actions one after another. */
async function projectIn(name: string, state: "draft" | "pending_department" | "pending_finance" | "approved"): Promise<number> {
  const id = await newProject(name);
  if (state === "draft") return id;
  const t = (await page(unit[0], id)).table;
  expect((await post(unit[0], id, editorFields("submit", t, 39))).status).toBe(302);
  if (state === "pending_department") return id;
  expect((await post(dept[0], id, { intent: "approve", tableId: String(t.id) })).status).toBe(302);
  if (state === "pending_finance") return id;
  expect((await post(finance[0], id, { intent: "approve", tableId: String(t.id), rating: "良" })).status).toBe(302);
  return id;
}

beforeAll(async () => {
  await setupDatabase();
  // 24 people of the region: colleagues of the demo unit, department and finance users.
  const { db } = await import("../../db/client.server");
  const { users } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const { hashPassword } = await import("../../app/auth/password.server");
  const passwordHash = await hashPassword("jixiao-demo");
  const names = (role: string, n: number) => {
    const { id: _id, createdAt: _c, ...demo } = db.select().from(users).where(eq(users.username, `qijiang.${role}`)).get()!;
    return Array.from({ length: n }, (_, i) => {
      const username = `qijiang.${role}${i + 1}`;
      db.insert(users).values({ ...demo, username, displayName: `${demo.displayName} ${i + 1}`, passwordHash }).run();
      return username;
    });
  };
  const people = [...names("unit", 14), ...names("dept", 4), ...names("finance", 6)];
  // All sign in at once (the scrypt hashing awaits, so the logins interleave too).
  const sessions = await Promise.all(people.map((name) => login(name)));
  expect(new Set(sessions).size).toBe(24);
  unit = sessions.slice(0, 14);
  dept = sessions.slice(14, 18);
  finance = sessions.slice(18);
}, 60_000);

describe("20 clients of one region at once", () => {
  it("lose nothing, the stale save gets 409, and every change has exactly one audit entry", async () => {
    const { db, sqlite } = await import("../../db/client.server");
    const { auditEvents, reviews, targetTables } = await import("../../db/schema");
    const { eq, gt } = await import("drizzle-orm");

    // What each client will do, on a table of its own in the state it needs.
    type Client = {
      who: string;
      projectId: number;
      cookie: string;
      /** The steps after the first, run one after another. */
      run: () => Promise<void>;
      first: (t: TableRef) => Record<string, string>;
      /** Final status, targets of the table's newest version, audit actions per table version. */
      expectStatus: string;
      expectTargets: string[];
      expectAudit: string[];
      /** How many times the starting version's revision goes up. */
      revisions: number;
      version?: number;
    };
    const clients: Client[] = [];
    const target = (client: number, step: number) => 1000 + client * 10 + step;
    const targetsOf = (t: number) => [String(t), ...validProjectTable().indicators.slice(1).map((i) => i.target!)];

    for (let i = 0; i < 11; i++) {
      // Six save twice in a row, five save and then 提交审核 (which saves again and submits);
      // the second request uses the revision the first produced.
      const intent = i < 6 ? "save" : "submit";
      const projectId = await projectIn(`并发${intent === "save" ? "保存" : "提交"} ${i}`, "draft");
      const cookie = unit[i];
      clients.push({
        who: `${intent} ${i}`,
        projectId,
        cookie,
        first: (t) => editorFields("save", t, target(i, 1)),
        run: async () => {
          const { table } = await page(cookie, projectId);
          expect((await post(cookie, projectId, editorFields(intent, table, target(i, 2)))).status).toBe(302);
        },
        expectStatus: intent === "save" ? "draft" : "pending_department",
        expectTargets: targetsOf(target(i, 2)),
        expectAudit: intent === "save" ? ["save_draft", "save_draft"] : ["save_draft", "save_draft", "submit"],
        revisions: intent === "save" ? 2 : 3,
      });
    }
    for (let i = 0; i < 4; i++) {
      // The department: three approve, one returns with a comment.
      const projectId = await projectIn(`并发部门审核 ${i}`, "pending_department");
      const intent = i < 3 ? "approve" : "return";
      clients.push({
        who: `department ${i}`,
        projectId,
        cookie: dept[i],
        first: (t) => ({ intent, tableId: String(t.id), comment: "请补充满意度调查方式" }),
        run: async () => {},
        expectStatus: intent === "approve" ? "pending_finance" : "returned",
        expectTargets: targetsOf(39),
        expectAudit: [intent],
        revisions: 1,
      });
    }
    for (let i = 0; i < 3; i++) {
      const projectId = await projectIn(`并发财政审核 ${i}`, "pending_finance");
      clients.push({
        who: `finance ${i}`,
        projectId,
        cookie: finance[i],
        first: (t) => ({ intent: "approve", tableId: String(t.id), rating: "优", comment: "同意" }),
        run: async () => {},
        expectStatus: "approved",
        expectTargets: targetsOf(39),
        expectAudit: ["approve"],
        revisions: 1,
      });
    }
    for (let i = 11; i < 13; i++) {
      // 申请调整 on an approved table, then save the new version.
      const projectId = await projectIn(`并发调整 ${i}`, "approved");
      const cookie = unit[i];
      clients.push({
        who: `adjuster ${i}`,
        projectId,
        cookie,
        first: (t) => ({ intent: "request_adjustment", tableId: String(t.id), comment: "调整补助人数" }),
        run: async () => {
          const { table } = await page(cookie, projectId, 2);
          expect(table).toMatchObject({ version: 2, status: "draft" });
          expect((await post(cookie, projectId, editorFields("save", table, target(i, 2)))).status).toBe(302);
        },
        expectStatus: "draft",
        expectTargets: targetsOf(target(i, 2)),
        expectAudit: ["request_adjustment", "save_draft"],
        // Version 1 stays 已批复 and unchanged; the save goes to version 2.
        revisions: 0,
        version: 2,
      });
    }
    expect(clients).toHaveLength(20);

    // Two clients save the same draft from the same revision, and two finance users approve
    // the same table: one of each pair wins.
    const sharedDraft = await projectIn("同一草稿", "draft");
    const sharedReview = await projectIn("同一待审表", "pending_finance");
    const pairs = [
      { who: "same draft A", projectId: sharedDraft, cookie: unit[13], first: (t: TableRef) => editorFields("save", t, 7001) },
      { who: "same draft B", projectId: sharedDraft, cookie: unit[0], first: (t: TableRef) => editorFields("save", t, 7002) },
      { who: "same review A", projectId: sharedReview, cookie: finance[3], first: (t: TableRef) => ({ intent: "approve", tableId: String(t.id), rating: "良" }) },
      { who: "same review B", projectId: sharedReview, cookie: finance[4], first: (t: TableRef) => ({ intent: "approve", tableId: String(t.id), rating: "优" }) },
    ];

    const all = [...clients, ...pairs];
    const startTables = new Map<number, TableRef>();
    for (const c of all) startTables.set(c.projectId, (await page(c.cookie, c.projectId)).table);
    const lastAudit = db.select({ id: auditEvents.id }).from(auditEvents).orderBy(auditEvents.id).all().at(-1)?.id ?? 0;
    const lastReview = db.select({ id: reviews.id }).from(reviews).orderBy(reviews.id).all().at(-1)?.id ?? 0;

    const held = gate();
    let finished = 0;
    const firsts = all.map(async (c) => {
      const r = await post(c.cookie, c.projectId, {}, held.body(c.first(startTables.get(c.projectId)!)));
      finished++;
      return r;
    });
    // Every client is past sign-in and scope checks and waiting for its body; none has finished.
    await held.arrived();
    expect(held.waiting()).toBe(all.length);
    expect(finished).toBe(0);
    held.release();

    const firstResults = await Promise.all(firsts);
    // The rest of each client's steps, all clients at once again.
    await Promise.all(
      clients.map(async (c, i) => {
        expect(firstResults[i].status, c.who).toBe(302);
        await c.run();
      }),
    );

    // Nothing lost: every table has its client's last content and state.
    for (const c of clients) {
      const { table, targets } = await page(finance[5], c.projectId, c.version);
      expect(table.status, c.who).toBe(c.expectStatus);
      expect(targets, c.who).toEqual(c.expectTargets);
    }

    // The same draft: exactly one save won; the other got 409 and kept its input.
    const [a, b] = firstResults.slice(clients.length, clients.length + 2);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const loser = a.status === 409 ? a : b;
    const winnerTarget = a.status === 302 ? "7001" : "7002";
    expect(loser.body.conflict).toBe(true);
    expect(loser.body.message).toMatch(/他人已保存/);
    expect(loser.body.values.indicators[0].target).toBe(winnerTarget === "7001" ? "7002" : "7001");
    const shared = await page(finance[5], sharedDraft);
    expect(shared.targets[0]).toBe(winnerTarget);
    expect(shared.table.revision).toBe(startTables.get(sharedDraft)!.revision + 1);

    // The same table approved twice: once.
    const [c, d] = firstResults.slice(clients.length + 2);
    expect([c.status, d.status].filter((s) => s === 302)).toHaveLength(1);
    expect([c.status, d.status].filter((s) => s !== 302)[0]).toBeGreaterThanOrEqual(400);
    expect((await page(finance[5], sharedReview)).table.status).toBe("approved");

    // One audit entry per change, on the table it changed, and one review record per
    // workflow step; nothing for the refused requests.
    const audit = db.select().from(auditEvents).where(gt(auditEvents.id, lastAudit)).orderBy(auditEvents.id).all();
    const actionsOf = (tableIds: number[]) =>
      audit
        .filter((e) => e.entity === "table" && tableIds.includes(e.entityId!))
        .map((e) => e.action)
        .sort();
    const versionsOf = (projectId: number) =>
      db.select({ id: targetTables.id }).from(targetTables).where(eq(targetTables.projectId, projectId)).all().map((t) => t.id);
    let expectedEntries = 0;
    for (const c of clients) {
      expect(actionsOf(versionsOf(c.projectId)), c.who).toEqual([...c.expectAudit].sort());
      expectedEntries += c.expectAudit.length;
    }
    expect(actionsOf(versionsOf(sharedDraft))).toEqual(["save_draft"]);
    expect(actionsOf(versionsOf(sharedReview))).toEqual(["approve"]);
    expectedEntries += 2;
    expect(audit).toHaveLength(expectedEntries);

    const newReviews = db.select().from(reviews).where(gt(reviews.id, lastReview)).all();
    expect(newReviews).toHaveLength(audit.filter((e) => e.action !== "save_draft").length);

    // Each table's revision counts its changes: none was applied twice or skipped.
    for (const c of clients) {
      const before = startTables.get(c.projectId)!;
      const now = sqlite.prepare("SELECT revision FROM target_tables WHERE id = ?").pluck().get(before.id) as number;
      expect(now, c.who).toBe(before.revision + c.revisions);
    }
  }, 60_000);
});
