// 导入: upload a published document or an .xlsx → preview every table found (checker
// findings, importer warnings, duplicates) → choose the year, each table's 主管部门 and the
// mode → confirm. Finance and admin; only finance may import tables as approved.
//
// The preview is stateless: the parsed tables travel back in a hidden field and are
// validated again (exchangeTableSchema) on every submission, never trusted. Nothing is
// written before confirmation; the confirmation writes everything in one transaction
// (commitImport), or nothing when any check fails.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { forbidden, requireRole } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/types";
import { Field } from "~/components/Field";
import { exchangeTableSchema, type ExchangeTable } from "~/domain/schemas";
import { formatCodeName } from "~/io/xlsx/layout";
import { parseJsonInput } from "~/io/json-input";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, MAX_UPLOAD_TABLES, readUpload, tooLargeMessage, UploadError } from "~/io/upload.server";
import { commitImport, ImportError, previewImport, type DepartmentChoice, type PreviewItem } from "~/models/import.server";
import { listDepartments } from "~/models/org.server";
import { formatWanNumber } from "~/utils/format";

// ---------------------------------------------------------------------------------------
// Schemas

const warningSchema = z.object({ line: z.number().int().nullable(), code: z.string().max(100), message: z.string().max(4000) });

/** The hidden field of the preview: what was read from the upload. Re-validated on every submission. */
const payloadSchema = z.object({
  file: z.string().max(300),
  warnings: z.array(warningSchema).max(10000),
  tables: z.array(exchangeTableSchema).min(1).max(MAX_UPLOAD_TABLES),
});
type Payload = z.infer<typeof payloadSchema>;

/** The confirmation form (besides the per-table department fields, checked in `readChoices`). */
const confirmSchema = z.object({
  intent: z.enum(["preview", "confirm"]),
  year: z.coerce
    .number({ invalid_type_error: "请填写年度" })
    .int("年度须为整数")
    .min(2000, "年度须在 2000–2100 之间")
    .max(2100, "年度须在 2000–2100 之间"),
  mode: z.enum(["approved", "draft"], { errorMap: () => ({ message: "请选择导入方式" }) }),
});
type ImportMode = z.infer<typeof confirmSchema>["mode"];

const newDepartmentSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, "请填写新主管部门的编码")
    .max(32, "编码过长")
    .regex(/^[0-9A-Za-z-]+$/, "编码只能包含数字、字母和连字符"),
  name: z.string().trim().min(1, "请填写新主管部门的名称").max(100, "名称过长"),
});

const NEW = "new";

// ---------------------------------------------------------------------------------------
// Action data

type Values = Record<string, string>;

type UploadStage = { stage: "upload"; error: string };

type PreviewStage = {
  stage: "preview";
  file: string;
  /** The year stated by the document (null when none). */
  documentYear: number | null;
  /** The year the preview was computed for. */
  year: number;
  warnings: Payload["warnings"];
  items: PreviewItem[];
  values: Values;
  errors: Record<string, string>;
  formError: string | null;
  /** Changes on every preview so the form's defaults are applied afresh. */
  stamp: number;
};

type DoneStage = {
  stage: "done";
  file: string;
  year: number;
  mode: ImportMode;
  created: { index: number; kind: ExchangeTable["kind"]; id: number; title: string }[];
  existing: { index: number; kind: ExchangeTable["kind"]; id: number; title: string }[];
};

type ActionData = UploadStage | PreviewStage | DoneStage;

// ---------------------------------------------------------------------------------------

/** Importing as approved skips review and the checker: finance only (admins import drafts). */
function importModes(user: CurrentUser): ImportMode[] {
  return user.role === "finance" ? ["approved", "draft"] : ["draft"];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "admin"]);
  return { maxBytes: MAX_UPLOAD_BYTES, maxMb: MAX_UPLOAD_MB, departments: listDepartments(user), regionName: user.regionName, modes: importModes(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["finance", "admin"]);
  const contentType = request.headers.get("Content-Type") ?? "";
  if (contentType.startsWith("multipart/form-data")) return upload(user, request);

  const form = Object.fromEntries(await request.formData());
  const values: Values = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === "string" && k !== "payload") values[k] = v;
  if (values.mode === "approved" && !importModes(user).includes("approved")) throw forbidden();
  const payload = readPayload(form.payload);
  if (!payload) return uploadError("导入数据无效或已损坏，请重新上传文件", 400);

  const departments = listDepartments(user);
  const parsed = confirmSchema.safeParse(values);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const [k, v] of Object.entries(parsed.error.flatten().fieldErrors)) if (v?.[0]) errors[k] = v[0];
  }
  const intent = values.intent === "confirm" ? "confirm" : "preview";
  const year = parsed.success ? parsed.data.year : (payloadYear(payload) ?? user.currentYear);
  const { choices, errors: choiceErrors } = readChoices(payload.tables, values, departments);

  if (intent === "preview" || !parsed.success || Object.keys(choiceErrors).length > 0) {
    const allErrors = intent === "confirm" ? { ...errors, ...choiceErrors } : errors;
    const status = Object.keys(allErrors).length ? 400 : 200;
    return json<ActionData>(
      previewStage(user, payload, year, choices, values, allErrors, status === 400 ? "请更正标出的问题后再确认导入，尚未导入任何数据。" : null),
      { status },
    );
  }

  try {
    const result = commitImport(
      { id: user.id, regionId: user.regionId, role: user.role },
      { year, mode: parsed.data.mode, tables: payload.tables, choices, source: payload.file || undefined },
    );
    const kindOf = (index: number) => payload.tables[index].kind;
    return json<ActionData>({
      stage: "done",
      file: payload.file,
      year,
      mode: parsed.data.mode,
      created: result.created,
      existing: result.existing.map((e) => ({ ...e, kind: kindOf(e.index) })),
    });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    return json<ActionData>(previewStage(user, payload, year, choices, values, {}, `${e.message}。尚未导入任何数据。`), { status: 400 });
  }
}

async function upload(user: CurrentUser, request: Request) {
  const declared = Number(request.headers.get("Content-Length"));
  // The multipart envelope adds a few hundred bytes to the file.
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES + 64 * 1024) return uploadError(tooLargeMessage(null, null), 413);
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }),
    );
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return uploadError(tooLargeMessage(null, null), 413);
    return uploadError("上传失败：无法读取上传的内容，请重新选择文件后再试", 400);
  }
  const file = formData.get("file");
  if (!file || typeof file === "string" || (file.size === 0 && !file.name)) return uploadError("请选择要导入的文件", 400);
  let parsed;
  try {
    parsed = await readUpload(file.name, new Uint8Array(await file.arrayBuffer()));
  } catch (e) {
    if (e instanceof UploadError) return uploadError(e.message, e.code === "too_large" ? 413 : 400);
    throw e;
  }
  const payload: Payload = { file: parsed.file, warnings: parsed.warnings, tables: parsed.tables };
  const year = parsed.year ?? payloadYear(payload) ?? user.currentYear;
  const items = previewImport(user, year, payload.tables);
  const values: Values = { year: String(year), mode: importModes(user)[0] };
  items.forEach((item, i) => {
    const dept = item.table.department;
    // Where the table already lives, else the department it names, else create that one.
    const preselected = item.existingDepartmentId ?? item.department?.id ?? null;
    values[`department-${i}`] = preselected != null ? String(preselected) : dept?.code && dept?.name ? NEW : "";
    values[`newCode-${i}`] = dept?.code ?? "";
    values[`newName-${i}`] = dept?.name ?? "";
  });
  return json<ActionData>({
    stage: "preview",
    file: payload.file,
    documentYear: parsed.year,
    year,
    warnings: payload.warnings,
    items,
    values,
    errors: {},
    formError: null,
    stamp: Date.now(),
  });
}

function uploadError(error: string, status: number) {
  return json<ActionData>({ stage: "upload", error }, { status });
}

function readPayload(raw: FormDataEntryValue | undefined): Payload | null {
  if (typeof raw !== "string" || raw.length === 0) return null;
  let data: unknown;
  try {
    data = parseJsonInput(raw); // bounded depth and array sizes before zod (issue 9)
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

function payloadYear(p: Payload): number | null {
  const years = p.tables.map((t) => t.year).filter((y): y is number => y != null);
  return years.length ? Math.max(...years) : null;
}

/** Each table's department choice from the form; errors keyed by field name. */
function readChoices(tables: ExchangeTable[], values: Values, departments: { id: number; code: string; name: string }[]) {
  const choices: Record<number, DepartmentChoice> = {};
  const errors: Record<string, string> = {};
  const newNames = new Map<string, string>();
  tables.forEach((_, i) => {
    const value = values[`department-${i}`] ?? "";
    if (value === NEW) {
      const parsed = newDepartmentSchema.safeParse({ code: values[`newCode-${i}`] ?? "", name: values[`newName-${i}`] ?? "" });
      if (!parsed.success) {
        const f = parsed.error.flatten().fieldErrors;
        if (f.code?.[0]) errors[`newCode-${i}`] = f.code[0];
        if (f.name?.[0]) errors[`newName-${i}`] = f.name[0];
        return;
      }
      const { code, name } = parsed.data;
      const clash = departments.find((d) => d.code === code);
      if (clash) {
        errors[`newCode-${i}`] = `编码 ${code} 已是主管部门「${clash.name}」，请在列表中直接选择它`;
        return;
      }
      const earlier = newNames.get(code);
      if (earlier !== undefined && earlier !== name) {
        errors[`newName-${i}`] = `新建主管部门 ${code} 的名称与前面的表不一致（「${earlier}」）`;
        return;
      }
      newNames.set(code, name);
      choices[i] = { kind: "create", code, name };
      return;
    }
    if (!value) {
      errors[`department-${i}`] = "请选择主管部门，或选择“新建主管部门”";
      return;
    }
    const id = Number(value);
    if (!Number.isInteger(id) || !departments.some((d) => d.id === id)) {
      errors[`department-${i}`] = "所选主管部门不存在，请重新选择";
      return;
    }
    choices[i] = { kind: "existing", departmentId: id };
  });
  return { choices, errors };
}

function previewStage(
  user: CurrentUser,
  payload: Payload,
  year: number,
  choices: Record<number, DepartmentChoice>,
  values: Values,
  errors: Record<string, string>,
  formError: string | null,
): PreviewStage {
  return {
    stage: "preview",
    file: payload.file,
    documentYear: payloadYear(payload),
    year,
    warnings: payload.warnings,
    items: previewImport(user, year, payload.tables, choices),
    values,
    errors,
    formError,
    stamp: Date.now(),
  };
}

// ---------------------------------------------------------------------------------------
// Page

export default function ImportPage() {
  const data = useActionData<typeof action>() as ActionData | undefined;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>导入绩效目标表</h1>
          <p className="muted">从预算公开文档或 Excel 工作簿导入项目支出绩效目标表和部门（单位）整体绩效目标表。</p>
        </div>
        {data && data.stage !== "upload" ? (
          <Link to="/import" className="btn">
            重新选择文件
          </Link>
        ) : null}
      </div>
      <Steps current={data?.stage === "preview" ? 2 : data?.stage === "done" ? 3 : 1} />
      {data?.stage === "preview" ? <Preview data={data} /> : data?.stage === "done" ? <Done data={data} /> : <Upload error={data?.error ?? null} />}
    </>
  );
}

function Steps({ current }: { current: number }) {
  const steps = ["选择文件", "预览并确认", "完成"];
  return (
    <ol className="actions" aria-label="导入步骤" style={{ listStyle: "none", padding: 0, margin: "0 0 1rem" }}>
      {steps.map((s, i) => (
        <li key={s} aria-current={current === i + 1 ? "step" : undefined}>
          <span className={`badge ${current === i + 1 ? "badge-blue" : current > i + 1 ? "badge-green" : "badge-gray"}`}>
            {i + 1}. {s}
          </span>
        </li>
      ))}
    </ol>
  );
}

function Upload({ error }: { error: string | null }) {
  const { maxBytes, maxMb } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const [clientError, setClientError] = useState<string | null>(null);
  const shown = clientError ?? error;
  return (
    <div className="card">
      <h2>1. 选择文件</h2>
      {shown ? (
        <div className="alert alert-error" role="alert" id="upload-error">
          {shown}
        </div>
      ) : null}
      <Form
        method="post"
        encType="multipart/form-data"
        onSubmit={(e) => {
          if (clientError) e.preventDefault();
        }}
      >
        <div className="field">
          <label htmlFor="import-file">文档或 Excel 文件</label>
          <input
            id="import-file"
            type="file"
            name="file"
            required
            accept=".txt,.md,.markdown,.html,.htm,.csv,.tsv,.xlsx,.docx,text/plain,text/markdown,text/html,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            aria-describedby={`import-file-hint${shown ? " upload-error" : ""}`}
            aria-invalid={shown ? true : undefined}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              setClientError(f && f.size > maxBytes ? tooLargeText(f.name, f.size, maxMb) : null);
            }}
          />
          <span id="import-file-hint" className="hint">
            支持预算公开文档（Word 文档 .docx、纯文本 .txt、Markdown、HTML 文本）和 Excel 工作簿（.xlsx），文件不能超过 {maxMb} MB。上传后先预览，确认前不会写入任何数据。
          </span>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? "正在读取…" : "上传并预览"}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** The server's size message, for the check in the browser before uploading. */
function tooLargeText(name: string, size: number, maxMb: number) {
  return `文件「${name}」过大（${(size / 1024 / 1024).toFixed(1)} MB）：网页导入的文件不能超过 ${maxMb} MB，请拆分后再导入`;
}

function Preview({ data }: { data: PreviewStage }) {
  const { departments, modes } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { items, values, errors } = data;
  const payload = JSON.stringify({ file: data.file, warnings: data.warnings, tables: items.map((i) => i.table) });
  const existing = items.filter((i) => i.existingId != null).length;
  const errorCount = items.reduce((n, i) => n + i.findings.filter((f) => f.severity === "error").length, 0);
  const tableWarnings = items.reduce((n, i) => n + (i.table.warnings?.length ?? 0), 0);
  const projects = items.filter((i) => i.table.kind === "project").length;
  return (
    <Form method="post" key={data.stamp} noValidate aria-label="确认导入">
      <input type="hidden" name="payload" value={payload} />
      {/* Enter in a field re-checks; only the button below confirms. */}
      <button type="submit" name="intent" value="preview" tabIndex={-1} aria-hidden="true" style={{ position: "absolute", left: "-9999px", width: 1, height: 1 }} />
      {data.formError ? (
        <div className="alert alert-error" role="alert">
          {data.formError}
        </div>
      ) : null}
      <div className="card">
        <h2>2. 预览：{data.file || "上传的文件"}</h2>
        <p data-testid="import-summary">
          找到 <strong>{items.length}</strong> 张绩效目标表（项目 {projects} 张，部门整体 {items.length - projects} 张）
          {existing ? (
            <>
              ，其中 <strong>{existing}</strong> 张已存在，确认时将跳过
            </>
          ) : null}
          。审核错误 {errorCount} 个，导入警告 {tableWarnings + data.warnings.length} 个。
        </p>
        {data.warnings.length ? (
          <div className="alert alert-warning">
            文档中未能读取的内容：
            <ul>
              {data.warnings.map((w, i) => (
                <li key={i}>{withLine(w.line, w.message)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="form-row">
          <Field
            label="年度"
            name="year"
            type="number"
            min={2000}
            max={2100}
            defaultValue={values.year ?? String(data.year)}
            error={errors.year}
            hint={data.documentYear ? `文档年度：${data.documentYear}` : "文档未注明年度"}
          />
          <fieldset className="field" style={{ border: 0, padding: 0, margin: "0 0 .85rem" }} aria-describedby={errors.mode ? "mode-error" : undefined}>
            <legend className="label">导入方式</legend>
            {modes.includes("approved") ? (
              <label>
                <input type="radio" name="mode" value="approved" defaultChecked={values.mode !== "draft"} /> 作为已批复的历史目标（不经审核，记为您的批复）
              </label>
            ) : null}
            <label>
              <input type="radio" name="mode" value="draft" defaultChecked={values.mode === "draft" || !modes.includes("approved")} /> 作为草稿（可修改后提交审核）
            </label>
            {errors.mode ? (
              <span id="mode-error" className="field-error" role="alert">
                {errors.mode}
              </span>
            ) : null}
          </fieldset>
        </div>
        <p className="muted">
          已存在的表按“年度 + 项目编码”匹配，没有编码时按“年度 + 主管部门 + 项目名称”匹配；部门整体表按“年度 + 主管部门”匹配。改了年度或主管部门后，可先“重新检查”。
        </p>
      </div>

      {items.map((item) => (
        <TableCard key={item.index} item={item} values={values} errors={errors} departments={departments} />
      ))}

      <div className="card actions">
        <button type="submit" name="intent" value="confirm" className="btn btn-primary" disabled={busy}>
          确认导入
        </button>
        <button type="submit" name="intent" value="preview" className="btn" disabled={busy}>
          重新检查
        </button>
        <Link to="/import">取消</Link>
        <span className="muted">确认后在一个事务中写入：任何一张表出错都不会写入任何数据。</span>
      </div>
    </Form>
  );
}

type DepartmentOption = { id: number; code: string; name: string };

function TableCard({
  item,
  values,
  errors,
  departments,
}: {
  item: PreviewItem;
  values: Values;
  errors: Record<string, string>;
  departments: DepartmentOption[];
}) {
  const i = item.index;
  const t = item.table;
  const [choice, setChoice] = useState(values[`department-${i}`] ?? "");
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of item.findings) counts[f.severity]++;
  const weights = t.indicators.reduce((s, x) => s + Math.round((x.weight ?? 0) * 100), 0) / 100;
  const source = t.source?.line != null ? (t.source.sheet ? `工作表「${t.source.sheet}」第 ${t.source.line} 行` : `第 ${t.source.line} 行`) : null;
  const selectId = `department-${i}`;
  const headingId = `table-${i}-title`;
  return (
    <section className="card" aria-labelledby={headingId} data-testid="import-table">
      <div className="page-header" style={{ marginBottom: ".5rem" }}>
        <div>
          <h3 id={headingId} style={{ margin: 0 }}>
            {i + 1}. {item.title}
          </h3>
          <p className="muted" style={{ margin: 0 }}>
            {t.kind === "department" ? "部门（单位）整体绩效目标表" : `项目编码 ${t.project?.code ?? "（无）"}`}
            {t.department ? ` · 文档中的主管部门 ${formatCodeName(t.department)}` : " · 文档未注明主管部门"}
            {source ? ` · ${source}` : null}
          </p>
        </div>
        <div className="actions">
          {item.existingId != null ? (
            <span className="badge badge-amber" data-testid="exists">
              已存在
              {t.kind === "project" ? (
                <>
                  {" "}
                  · <Link to={`/projects/${item.existingId}`}>查看</Link>
                </>
              ) : null}
            </span>
          ) : (
            <span className="badge badge-blue">将新建</span>
          )}
          {counts.error ? <span className="badge badge-red">{counts.error} 个错误</span> : null}
          {counts.warning ? <span className="badge badge-amber">{counts.warning} 个警告</span> : null}
          {counts.info ? <span className="badge badge-gray">{counts.info} 个提示</span> : null}
          {!counts.error && !counts.warning ? <span className="badge badge-green">审核通过</span> : null}
        </div>
      </div>
      <p style={{ margin: "0 0 .6rem" }}>
        {t.kind === "project" ? `当年预算 ${formatWanNumber(t.project?.budget.total, "—")} 万元` : `部门支出预算数 ${formatWanNumber(t.overall?.budget, "—")} 万元`} · 指标 {t.indicators.length} 个 · 指标权重合计 {weights}
        {t.budgetExecutionWeight != null ? ` · 预算执行率权重 ${t.budgetExecutionWeight}` : null}
      </p>

      <div className="form-row">
        <div className="field">
          <label htmlFor={selectId}>导入到主管部门</label>
          <select
            id={selectId}
            name={selectId}
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value)}
            aria-invalid={errors[selectId] ? true : undefined}
            aria-describedby={errors[selectId] ? `${selectId}-error` : undefined}
          >
            <option value="">请选择…</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.code}-{d.name}
              </option>
            ))}
            <option value={NEW}>新建主管部门…</option>
          </select>
          {errors[selectId] ? (
            <span id={`${selectId}-error`} className="field-error" role="alert">
              {errors[selectId]}
            </span>
          ) : null}
        </div>
        {choice === NEW ? (
          <>
            <Field label="新主管部门编码" name={`newCode-${i}`} defaultValue={values[`newCode-${i}`] ?? ""} error={errors[`newCode-${i}`]} />
            <Field label="新主管部门名称" name={`newName-${i}`} defaultValue={values[`newName-${i}`] ?? ""} error={errors[`newName-${i}`]} />
          </>
        ) : (
          <>
            <input type="hidden" name={`newCode-${i}`} value={values[`newCode-${i}`] ?? ""} />
            <input type="hidden" name={`newName-${i}`} value={values[`newName-${i}`] ?? ""} />
          </>
        )}
      </div>

      {item.findings.length ? (
        <details open={counts.error > 0}>
          <summary>审核发现（{item.findings.length}）</summary>
          <ul>
            {item.findings.map((f, j) => (
              <li key={j} className={f.severity === "error" ? "field-error" : f.severity === "warning" ? undefined : "muted"}>
                {f.severity === "error" ? "✕ 错误" : f.severity === "warning" ? "⚠ 警告" : "ℹ 提示"}：{f.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {t.warnings?.length ? (
        <details open>
          <summary>导入警告（{t.warnings.length}）</summary>
          <ul>
            {t.warnings.map((w, j) => (
              <li key={j}>{withLine(w.line, w.message)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function withLine(line: number | null, message: string): string {
  if (line == null || /第\s*\d+\s*行/.test(message)) return message;
  return `第 ${line} 行：${message}`;
}

function Done({ data }: { data: DoneStage }) {
  const modeText = data.mode === "approved" ? "已批复的历史目标" : "草稿";
  const link = (r: DoneStage["created"][number]) =>
    r.kind === "project" ? <Link to={`/projects/${r.id}`}>{r.title}</Link> : <span>{r.title}</span>;
  return (
    <>
      <div className="alert alert-success" role="status">
        导入完成：新建 {data.created.length} 张表（{data.year} 年度，作为{modeText}）
        {data.existing.length ? `，${data.existing.length} 张已存在，未重复导入` : ""}。
      </div>
      <div className="table-wrap" style={{ marginBottom: "1rem" }}>
        <table className="data" aria-label="导入结果">
          <thead>
            <tr>
              <th className="num" style={{ width: "4rem" }}>
                序号
              </th>
              <th>表</th>
              <th style={{ width: "8rem" }}>类型</th>
              <th style={{ width: "10rem" }}>结果</th>
            </tr>
          </thead>
          <tbody>
            {[...data.created.map((r) => ({ ...r, done: true })), ...data.existing.map((r) => ({ ...r, done: false }))]
              .sort((a, b) => a.index - b.index)
              .map((r) => (
                <tr key={r.index}>
                  <td className="num">{r.index + 1}</td>
                  <td>{link(r)}</td>
                  <td>{r.kind === "project" ? "项目" : "部门整体"}</td>
                  <td>{r.done ? <span className="badge badge-green">已导入</span> : <span className="badge badge-amber">已存在，未导入</span>}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <Link to={`/projects?year=${data.year}`} className="btn btn-primary">
          查看 {data.year} 年度项目
        </Link>
        <Link to="/import" className="btn">
          继续导入
        </Link>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "导入 · jixiao" }];
