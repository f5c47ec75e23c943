// The loaders behind the 绩效自评 exports, so the project (…/p/…) and 部门整体 (…/d/…)
// routes stay thin and identical: .xlsx, print view, exchange JSON, and the round workbook.
// Scope comes from loadEvaluation (evaluation-export.server.ts): outside it, 404.
import { notFound, requireUser } from "../auth/permissions.server";
import { evaluationsToWorkbook, TooManyEvaluationsError } from "../io/xlsx/evaluation-export";
import { evaluationName, evaluationTitle } from "../io/xlsx/evaluation-layout";
import { contentDisposition, xlsxResponse } from "../utils/download";
import { evaluationExchange, evaluationSheet, roundEvaluationSheets } from "../models/evaluation-export.server";
import type { OwnerRef } from "../models/reports.server";
import { roundExportRequest, textResponse } from "./round-export.server";
import { getRound } from "../models/rounds.server";

type Params = { roundId?: string; ownerId?: string };

async function scoped(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), "evaluation");
  if (!round) throw notFound();
  return { user, round, ref: { kind, id: Number(params.ownerId) } as OwnerRef };
}

const letter = (kind: OwnerRef["kind"]) => (kind === "project" ? "p" : "d");

/** The data of one 自评表 (print view); 404 outside the scope. */
export async function evaluationSheetLoader(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const { user, round, ref } = await scoped(request, params, kind);
  const sheet = evaluationSheet(user, round, ref);
  if (!sheet) throw notFound();
  return sheet;
}

/** GET …/xlsx: one 自评表 as .xlsx. */
export async function evaluationXlsxLoader(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const sheet = await evaluationSheetLoader(request, params, kind);
  const body = await evaluationsToWorkbook([sheet]);
  return xlsxResponse(body, `${evaluationTitle(sheet)}-${evaluationName(sheet)}.xlsx`, `jixiao-evaluation-${sheet.roundId}-${letter(kind)}${sheet.ownerId}.xlsx`);
}

/** GET …/json: one evaluation as exchange JSON for `jixiao score` (docs/cli.md). */
export async function evaluationJsonLoader(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const { user, round, ref } = await scoped(request, params, kind);
  const found = evaluationExchange(user, round, ref);
  if (!found) throw notFound();
  const body = JSON.stringify(found, null, 2);
  const name = found.tables[0].project?.name ?? found.tables[0].department?.name ?? "绩效自评";
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDisposition(`${round.year}年度绩效自评-${name}.json`, `jixiao-evaluation-${round.id}-${letter(kind)}${ref.id}.json`),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * GET /evaluations/:roundId/xlsx[?department=ID]: the evaluations in the user's scope (or one
 * department's) as one workbook with an index sheet; finance also gets the summary sheet. A
 * department outside the scope is a 404; more than MAX_EVALUATION_SHEETS a 400 in Chinese.
 */
export async function roundXlsxLoader(request: Request, params: Params) {
  const { user, round, departmentId } = await roundExportRequest(request, params, "evaluation");
  let found;
  try {
    found = roundEvaluationSheets(user, round, departmentId);
  } catch (e) {
    if (e instanceof TooManyEvaluationsError) return textResponse(400, e.message);
    throw e;
  }
  if (!found) throw notFound();
  const scope = found.department?.name ?? user.regionName;
  const title = `${scope}${round.year}年度绩效自评表`;
  const body = await evaluationsToWorkbook(found.sheets, {
    title,
    index: true,
    summary: user.role === "finance",
    summaryTitle: `${scope}${round.year}年度绩效自评结果汇总表`,
  });
  const fallback = `jixiao-evaluation-${round.id}${found.department ? `-department-${found.department.id}` : ""}.xlsx`;
  return xlsxResponse(body, `${title}.xlsx`, fallback);
}
