// What the import route's action returns to its views (app/routes/import.tsx).
import type { ExchangeTable } from "~/domain/schemas";
import type { PreviewItem } from "~/models/import.server";

export type ImportMode = "approved" | "draft";

/** The form's submitted values, by field name: kept when a confirmation is refused. */
export type Values = Record<string, string>;

/** The select's value for 「新建主管部门」 / 「新建预算单位」. */
export const NEW = "new";

export type ImportWarning = { line: number | null; code: string; message: string };

export type UploadStage = { stage: "upload"; error: string };

export type PreviewStage = {
  stage: "preview";
  file: string;
  /** The year stated by the document (null when none). */
  documentYear: number | null;
  /** The year the preview was computed for. */
  year: number;
  warnings: ImportWarning[];
  items: PreviewItem[];
  values: Values;
  errors: Record<string, string>;
  formError: string | null;
  /** Changes on every preview so the form's defaults are applied afresh. */
  stamp: number;
};

export type DoneRow = { index: number; kind: ExchangeTable["kind"]; id: number; title: string };

export type DoneStage = {
  stage: "done";
  file: string;
  year: number;
  mode: ImportMode;
  created: DoneRow[];
  existing: DoneRow[];
};

export type ActionData = UploadStage | PreviewStage | DoneStage;

export type DepartmentOption = { id: number; code: string; name: string };
export type UnitOption = DepartmentOption & { departmentId: number };
