// 导入: upload a published document or an .xlsx → preview every table found (checker
// findings, importer warnings, duplicates) → choose the year, each table's 主管部门 and
// 预算单位 (the closest existing names are offered when the document's match none:
// docs/domain.md, 「导入时的单位匹配」) and the mode → confirm. Finance and admin; only finance
// may import tables as approved. The views are in app/components/import/.
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
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden, notFound, requireRole } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/types";
import { Done } from "~/components/import/Done";
import { Preview } from "~/components/import/Preview";
import { Steps } from "~/components/import/Steps";
import { NEW, type ActionData, type DepartmentOption, type ImportMode, type PreviewStage, type UnitOption, type Values } from "~/components/import/types";
import { Upload } from "~/components/import/Upload";
import { exchangeTableSchema, type ExchangeTable } from "~/domain/schemas";
import { parseJsonInput } from "~/io/json-input";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, MAX_UPLOAD_TABLES, readUpload, tooLargeMessage, UploadError } from "~/io/upload.server";
import { commitImport, ImportError, previewImport, type DepartmentChoice, type PreviewItem, type UnitChoice } from "~/models/import.server";
import { listDepartments, listUnits } from "~/models/org.server";

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

/** A new 主管部门 or 预算单位 named in the confirmation form. */
function newOrgSchema(what: "主管部门" | "预算单位") {
  return z.object({
    code: z
      .string()
      .trim()
      .min(1, `请填写新${what}的编码`)
      .max(32, "编码过长")
      .regex(/^[0-9A-Za-z-]+$/, "编码只能包含数字、字母和连字符"),
    name: z.string().trim().min(1, `请填写新${what}的名称`).max(100, "名称过长"),
  });
}
const newDepartmentSchema = newOrgSchema("主管部门");
const newUnitSchema = newOrgSchema("预算单位");

// ---------------------------------------------------------------------------------------

/** Importing as approved skips review and the checker: finance only (admins import drafts). */
function importModes(user: CurrentUser): ImportMode[] {
  return user.role === "finance" ? ["approved", "draft"] : ["draft"];
}

function organisations(user: CurrentUser): { departments: DepartmentOption[]; units: UnitOption[] } {
  return {
    departments: listDepartments(user).map(({ id, code, name }) => ({ id, code, name })),
    units: listUnits(user).map(({ id, code, name, departmentId }) => ({ id, code, name, departmentId })),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "admin"]);
  return { maxBytes: MAX_UPLOAD_BYTES, maxMb: MAX_UPLOAD_MB, ...organisations(user), regionName: user.regionName, modes: importModes(user) };
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

  const parsed = confirmSchema.safeParse(values);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const [k, v] of Object.entries(parsed.error.flatten().fieldErrors)) if (v?.[0]) errors[k] = v[0];
  }
  const intent = values.intent === "confirm" ? "confirm" : "preview";
  const year = parsed.success ? parsed.data.year : (payloadYear(payload) ?? user.currentYear);
  const { choices, unitChoices, errors: choiceErrors } = readChoices(payload.tables, values, organisations(user));

  if (intent === "preview" || !parsed.success || Object.keys(choiceErrors).length > 0) {
    const allErrors = intent === "confirm" ? { ...errors, ...choiceErrors } : errors;
    const status = Object.keys(allErrors).length ? 400 : 200;
    return json<ActionData>(
      previewStage(user, payload, year, { choices, unitChoices }, values, allErrors, status === 400 ? "请更正标出的问题后再确认导入，尚未导入任何数据。" : null),
      { status },
    );
  }

  try {
    const result = commitImport(
      { id: user.id, regionId: user.regionId, role: user.role },
      { year, mode: parsed.data.mode, tables: payload.tables, choices, unitChoices, source: payload.file || undefined },
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
    return json<ActionData>(previewStage(user, payload, year, { choices, unitChoices }, values, {}, `${e.message}。尚未导入任何数据。`), { status: 400 });
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
  items.forEach((item, i) => Object.assign(values, proposedValues(item, i)));
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

/**
 * The form's first values for a table: the automatic choice (where the table already lives,
 * else the organisations matched by code, name or normalised name, else "create" with the
 * document's code and name), which the user may change.
 */
function proposedValues(item: PreviewItem, i: number): Values {
  const { department, unit } = item.proposed;
  const t = item.table;
  const values: Values = {
    [`department-${i}`]: department?.kind === "existing" ? String(department.departmentId) : department ? NEW : "",
    [`newCode-${i}`]: t.department?.code ?? "",
    [`newName-${i}`]: t.department?.name ?? "",
  };
  if (t.kind === "project") {
    values[`unit-${i}`] = unit.kind === "existing" ? String(unit.unitId) : unit.kind === "create" ? NEW : "";
    values[`newUnitCode-${i}`] = t.unit?.code ?? "";
    values[`newUnitName-${i}`] = t.unit?.name ?? "";
  }
  return values;
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

/** An id posted by a select: its number, or null when it is not one. */
function idOf(value: string): number | null {
  return /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/**
 * Each table's 主管部门 and 预算单位 from the form; errors keyed by field name. An id of an
 * organisation not in the user's region is a 404 (never reveal another tenant's ids).
 */
function readChoices(tables: ExchangeTable[], values: Values, orgs: { departments: DepartmentOption[]; units: UnitOption[] }) {
  const choices: Record<number, DepartmentChoice> = {};
  const unitChoices: Record<number, UnitChoice> = {};
  const errors: Record<string, string> = {};
  const newDepartments = new Map<string, string>();
  const newUnits = new Map<string, string>();

  /** A new organisation's code and name, checked; null (with errors) when not acceptable. */
  const readNew = (
    schema: typeof newDepartmentSchema,
    fields: { code: string; name: string },
    existing: { code: string; name: string }[],
    what: string,
    earlier: Map<string, string>,
  ) => {
    const parsed = schema.safeParse({ code: values[fields.code] ?? "", name: values[fields.name] ?? "" });
    if (!parsed.success) {
      const f = parsed.error.flatten().fieldErrors;
      if (f.code?.[0]) errors[fields.code] = f.code[0];
      if (f.name?.[0]) errors[fields.name] = f.name[0];
      return null;
    }
    const { code, name } = parsed.data;
    const clash = existing.find((d) => d.code === code);
    if (clash) {
      errors[fields.code] = `编码 ${code} 已是${what}「${clash.name}」，请在列表中直接选择它`;
      return null;
    }
    const before = earlier.get(code);
    if (before !== undefined && before !== name) {
      errors[fields.name] = `新建${what} ${code} 的名称与前面的表不一致（「${before}」）`;
      return null;
    }
    earlier.set(code, name);
    return { code, name };
  };

  tables.forEach((table, i) => {
    const value = values[`department-${i}`] ?? "";
    if (value === NEW) {
      const created = readNew(newDepartmentSchema, { code: `newCode-${i}`, name: `newName-${i}` }, orgs.departments, "主管部门", newDepartments);
      if (created) choices[i] = { kind: "create", ...created };
    } else if (!value) {
      errors[`department-${i}`] = "请选择主管部门，或选择“新建主管部门”";
    } else {
      const id = idOf(value);
      if (id === null) errors[`department-${i}`] = "所选主管部门不存在，请重新选择";
      else if (!orgs.departments.some((d) => d.id === id)) throw notFound();
      else choices[i] = { kind: "existing", departmentId: id };
    }
    if (table.kind !== "project") return;

    const unitField = `unit-${i}`;
    const unitValue = values[unitField] ?? "";
    if (!unitValue) {
      unitChoices[i] = { kind: "none" };
    } else if (unitValue === NEW) {
      const created = readNew(newUnitSchema, { code: `newUnitCode-${i}`, name: `newUnitName-${i}` }, orgs.units, "预算单位", newUnits);
      if (created) unitChoices[i] = { kind: "create", ...created };
    } else {
      const id = idOf(unitValue);
      const unit = id === null ? undefined : orgs.units.find((u) => u.id === id);
      if (id === null) errors[unitField] = "所选预算单位不存在，请重新选择";
      else if (!unit) throw notFound();
      else if (value === NEW) errors[unitField] = "新建的主管部门还没有预算单位：请选择“新建预算单位”，或不指定预算单位";
      else if (choices[i]?.kind === "existing" && unit.departmentId !== idOf(value)) {
        errors[unitField] = `预算单位「${unit.name}」不属于所选主管部门，请重新选择`;
      } else unitChoices[i] = { kind: "existing", unitId: unit.id };
    }
  });
  return { choices, unitChoices, errors };
}

function previewStage(
  user: CurrentUser,
  payload: Payload,
  year: number,
  picked: { choices: Record<number, DepartmentChoice>; unitChoices: Record<number, UnitChoice> },
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
    items: previewImport(user, year, payload.tables, picked.choices, picked.unitChoices),
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
  const { maxBytes, maxMb, departments, units, modes } = useLoaderData<typeof loader>();
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
      {data?.stage === "preview" ? (
        <Preview data={data} departments={departments} units={units} modes={modes} />
      ) : data?.stage === "done" ? (
        <Done data={data} />
      ) : (
        <Upload error={data?.error ?? null} maxBytes={maxBytes} maxMb={maxMb} />
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "导入 · jixiao" }];
