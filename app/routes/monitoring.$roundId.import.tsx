// /monitoring/:roundId/import — 导入 Excel: upload a workbook exported from this round (one
// project's 监控表, or a department's or the region's round workbook) and filled in → preview
// of every sheet with row-level Chinese errors (which sheet, which row, what is wrong) and what
// would change → confirm, which saves drafts only (never submits).
//
// Who imports what (docs/decisions/015-monitoring-import-as-filler.md): the import saves as
// the signed-in user through saveEntry (intent "save"), so exactly what the entry page allows
// is allowed: a unit imports its own projects' sheets, a department its 部门整体 sheet; a sheet
// that changes what the user may not fill (a project for a department or finance user, a
// locked — submitted or approved — entry, a closed round), another unit's project or a sheet
// of another round is an error row of the preview and is not imported; an unchanged sheet is
// 无变化 whoever imports it. A department that collects Excel from its
// units gives each unit its sheet back to import, or the units import the department's
// workbook themselves (each imports its own sheets; the others are reported, not saved).
// There is no import "on behalf of" a unit: it would need an audited path saveEntry lacks.
//
// Stateless like /import: the preview's candidates travel back in a hidden field, are
// re-validated (zod) and re-checked against the database on confirmation. Both steps post
// multipart (the candidates of a round can exceed the 2 MB form limit). Re-importing the
// same content writes nothing (no new revision).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireUser } from "~/auth/permissions.server";
import { LightBadge } from "~/components/Lights";
import { monitoringFormSchema } from "~/domain/monitoring-form";
import { periodLabel } from "~/domain/rounds";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, tooLargeMessage } from "~/io/upload.server";
import { MAX_MONITORING_SHEETS } from "~/io/xlsx/monitoring-export";
import { readMonitoringWorkbook, type ImportIssue } from "~/io/xlsx/monitoring-import";
import { commitMonitoringImport, previewMonitoringImport, type CommitResult, type ImportItem } from "~/models/monitoring-xlsx.server";
import { getRound } from "~/models/rounds.server";

const candidateSchema = z.object({
  sheet: z.string().max(100),
  ownerKind: z.enum(["project", "department"]),
  ownerId: z.number().int().positive(),
  tableId: z.number().int().positive(),
  revision: z.number().int().nonnegative().nullable(),
  form: monitoringFormSchema,
});
const payloadSchema = z.object({ file: z.string().max(300), candidates: z.array(candidateSchema).min(1).max(MAX_MONITORING_SHEETS) });

type PreviewItem = Omit<ImportItem, "candidate">;
type ActionData =
  | { stage: "upload"; error: string }
  | { stage: "preview"; file: string; fileIssues: ImportIssue[]; items: PreviewItem[]; payload: string | null }
  | { stage: "done"; file: string; result: CommitResult };

async function roundOf(request: Request, roundId: string | undefined) {
  const user = await requireUser(request);
  const round = getRound(user, Number(roundId), "monitoring");
  if (!round) throw notFound();
  return { user, round };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, round } = await roundOf(request, params.roundId);
  return json({ round: { id: round.id, year: round.year, label: periodLabel(round.kind, round.period) }, role: user.role, maxMb: MAX_UPLOAD_MB });
}

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await roundOf(request, params.roundId);
  const fail = (error: string, status: number) => json<ActionData>({ stage: "upload", error }, { status });
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return fail("请通过页面上的表单上传文件", 400);
  const declared = Number(request.headers.get("Content-Length"));
  // The multipart envelope adds a few hundred bytes to the file.
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES + 64 * 1024) return fail(tooLargeMessage(null, null), 413);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return fail(tooLargeMessage(null, null), 413);
    return fail("上传失败：无法读取上传的内容，请重新选择文件后再试", 400);
  }

  if (str(form, "intent") === "confirm") {
    let data: unknown = null;
    try {
      data = JSON.parse(str(form, "payload"));
    } catch {
      data = null;
    }
    const payload = payloadSchema.safeParse(data);
    if (!payload.success) return fail("导入数据无效或已损坏，请重新上传文件", 400);
    const result = commitMonitoringImport(user, round, payload.data.candidates, payload.data.file);
    return json<ActionData>({ stage: "done", file: payload.data.file, result });
  }

  const file = form.get("file");
  if (!file || typeof file === "string" || (file.size === 0 && !file.name)) return fail("请选择要导入的 Excel 文件（.xlsx）", 400);
  const parsed = await readMonitoringWorkbook(new Uint8Array(await file.arrayBuffer()));
  const name = file.name.slice(0, 300);
  if (parsed.sheets.length === 0) return fail(`文件「${name}」：${parsed.issues.map((i) => i.message).join("；")}`, 400);
  const items = previewMonitoringImport(user, round, parsed);
  const candidates = items.flatMap((i) => (i.candidate ? [i.candidate] : []));
  return json<ActionData>({
    stage: "preview",
    file: name,
    fileIssues: parsed.issues,
    items: items.map(({ candidate: _, ...rest }) => rest),
    payload: candidates.length ? JSON.stringify({ file: name, candidates }) : null,
  });
}

export default function MonitoringImportPage() {
  const { round } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to={`/monitoring?year=${round.year}`}>监控</Link> / <Link to={`/monitoring/${round.id}`}>{round.year} 年度 {round.label}</Link> / 导入 Excel
          </p>
          <h1>导入监控表（Excel）</h1>
          <p className="muted">
            上传从本轮任务导出并填写好的监控表。导入只保存为草稿，不会提交；提交前请在填报页核对。导入按当前登录的用户保存：项目的监控表由项目单位导入，部门整体的由主管部门导入。
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={`/monitoring/${round.id}/xlsx`} download>
            导出本轮监控表
          </a>
        </div>
      </div>
      {data?.stage === "preview" ? <Preview data={data} /> : data?.stage === "done" ? <Done data={data} /> : null}
      {data?.stage !== "done" ? <Upload error={data?.stage === "upload" ? data.error : null} again={data?.stage === "preview"} /> : null}
    </>
  );
}

function Upload({ error, again }: { error: string | null; again: boolean }) {
  const { maxMb } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="card">
      <h2>{again ? "重新上传" : "选择文件"}</h2>
      {error ? (
        <div className="alert alert-error" role="alert" id="upload-error">
          {error}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data">
        <div className="field">
          <label htmlFor="monitoring-file">监控表（.xlsx）</label>
          <input
            id="monitoring-file"
            type="file"
            name="file"
            required
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`monitoring-file-hint${error ? " upload-error" : ""}`}
            aria-invalid={error ? true : undefined}
          />
          <span id="monitoring-file-hint" className="hint">
            一个项目的监控表，或一个主管部门、全地区的监控表工作簿（每个工作表一个项目）。文件不能超过 {maxMb} MB。上传后先预览，确认前不会保存任何内容。
          </span>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "正在读取…" : "上传并预览"}
        </button>
      </Form>
    </div>
  );
}

const OUTCOME: Record<ImportItem["outcome"], { label: string; tone: string }> = {
  save: { label: "将保存为草稿", tone: "blue" },
  unchanged: { label: "无变化", tone: "gray" },
  error: { label: "不能导入", tone: "red" },
};

function Preview({ data }: { data: Extract<ActionData, { stage: "preview" }> }) {
  const busy = useNavigation().state !== "idle";
  const count = (o: ImportItem["outcome"]) => data.items.filter((i) => i.outcome === o).length;
  return (
    <div className="card">
      <h2>预览：{data.file}</h2>
      <p data-testid="import-summary">
        共 {data.items.length} 张监控表：将保存 <strong>{count("save")}</strong> 张，无变化 {count("unchanged")} 张，不能导入 <strong>{count("error")}</strong> 张。
      </p>
      {data.fileIssues.length ? (
        <div className="alert alert-warning" role="status">
          <ul>
            {data.fileIssues.map((i, k) => (
              <li key={k}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data" data-testid="import-preview">
          <thead>
            <tr>
              <th scope="col">工作表</th>
              <th scope="col">项目</th>
              <th scope="col">结果</th>
              <th scope="col">导入后预警</th>
              <th scope="col">问题与修改</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <tr key={item.sheet} data-outcome={item.outcome}>
                <td>{item.sheet}</td>
                <td>{item.href ? <Link to={item.href}>{item.name}</Link> : "—"}</td>
                <td>
                  <span className={`badge badge-${OUTCOME[item.outcome].tone}`}>{OUTCOME[item.outcome].label}</span>
                </td>
                <td>
                  {item.lights ? (
                    <>
                      预算 <LightBadge light={item.lights.budget} /> · 指标 红 {item.lights.red} 黄 {item.lights.yellow} 绿 {item.lights.green}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  {item.issues.length ? (
                    <ul className="issues" style={{ margin: 0, paddingLeft: "1.1rem" }}>
                      {item.issues.map((i, k) => (
                        <li key={k} className={i.severity === "error" ? "tone-red" : "finding-warning"}>
                          {i.severity === "error" ? "错误：" : "提示："}
                          {i.message}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {item.changes.length ? (
                    <ul className="changes muted" style={{ margin: 0, paddingLeft: "1.1rem" }}>
                      {item.changes.map((c, k) => (
                        <li key={k}>{c}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.payload ? (
        <Form method="post" encType="multipart/form-data" className="actions" aria-label="确认导入">
          <input type="hidden" name="payload" value={data.payload} />
          <button type="submit" name="intent" value="confirm" className="btn btn-primary" disabled={busy}>
            确认导入（保存 {count("save")} 张为草稿）
          </button>
          {count("error") ? <span className="muted">标为“不能导入”的工作表不会保存，请修改后重新上传。</span> : null}
        </Form>
      ) : (
        <p className="muted">没有需要保存的内容。{count("error") ? "请按提示修改后重新上传。" : ""}</p>
      )}
    </div>
  );
}

function Done({ data }: { data: Extract<ActionData, { stage: "done" }> }) {
  const { round } = useLoaderData<typeof loader>();
  const { saved, unchanged, failed } = data.result;
  return (
    <div className="card">
      <h2>导入完成：{data.file}</h2>
      <div className={`alert ${failed.length ? "alert-warning" : "alert-success"}`} role="status" data-testid="import-done">
        已保存为草稿 {saved.length} 张，无变化 {unchanged.length} 张{failed.length ? `，未能保存 ${failed.length} 张` : ""}。草稿须在填报页提交后才进入审核。
      </div>
      {failed.length ? (
        <>
          <h3>未能保存</h3>
          <ul>
            {failed.map((f) => (
              <li key={f.sheet}>
                工作表「{f.sheet}」{f.href ? <Link to={f.href}>{f.name}</Link> : null}：{f.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {saved.length ? (
        <>
          <h3>已保存</h3>
          <ul>
            {saved.map((s) => (
              <li key={s.sheet}>
                <Link to={s.href}>{s.name}</Link>（工作表「{s.sheet}」）
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to={`/monitoring/${round.id}`}>返回本轮任务</Link> · <Link to={`/monitoring/${round.id}/import`}>继续导入</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "导入监控表 · jixiao" }];
