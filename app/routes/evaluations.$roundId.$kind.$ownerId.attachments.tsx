// /evaluations/:roundId/p/:projectId/attachments and …/d/:targetId/attachments — 佐证材料 of
// a self-evaluation. POST (multipart): intent "upload" (file…, position: "" = 整体 or an
// indicator's position) or "delete" (attachmentId); success goes back to the entry page. GET:
// the list and the upload form on a page of their own, which is also where a refusal shows
// when the form was posted without JavaScript. Files are downloaded from /attachments/:id.
// The rules are in app/models/attachments.server.ts; docs/decisions/017-attachments.md.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, UploadHandler } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { Attachments, type AttachmentFailure } from "~/components/Attachments";
import { attachmentTooLargeMessage, MAX_ATTACHMENT_BYTES, MAX_FILES_PER_UPLOAD } from "~/domain/attachment-types";
import { deleteAttachment, guardAttachmentChange, listAttachments, uploadAttachments } from "~/models/attachments.server";
import { entryContext, type OwnerRef } from "~/models/reports.server";
import { getRound } from "~/models/rounds.server";

const KINDS: Record<string, OwnerRef["kind"]> = { p: "project", d: "department" };

async function inScope(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const kind = KINDS[params.kind ?? ""];
  const round = kind ? getRound(user, Number(params.roundId), "evaluation") : null;
  if (!kind || !round || !/^\d{1,15}$/.test(params.ownerId ?? "")) throw notFound();
  const ref: OwnerRef = { kind, id: Number(params.ownerId) };
  const ctx = entryContext(user, round, ref);
  if (!ctx) throw notFound();
  return { user, round, ref, ctx, entryPath: `/evaluations/${round.id}/${params.kind}/${ref.id}` };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round, ref, ctx, entryPath } = await inScope(request, params);
  return json({
    round: { id: round.id, year: round.year },
    ownerKind: ref.kind,
    owner: { id: ctx.owner.id, name: ctx.owner.name },
    indicators: ctx.inds.map((i) => ({ position: i.position, name: i.name })),
    canEdit: ctx.common.canEdit,
    report: ctx.report ? { id: ctx.report.id } : null,
    attachments: listAttachments(ctx.report?.id ?? null),
    entryPath,
  });
}

const fail = (status: number, reason: string, position = "") => json<AttachmentFailure>({ reason, values: { position } }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round, ref, entryPath } = await inScope(request, params);
  // Refuse before reading any file of a user who may not change the files now.
  const guard = guardAttachmentChange(user, round, ref);
  if ("ok" in guard) return fail(guard.status, guard.reason);

  let form: FormData;
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const declared = Number(request.headers.get("Content-Length"));
    // Several files may come at once; the server holds the whole request to 20 MB (server/app.js).
    if (Number.isFinite(declared) && declared > MAX_FILES_PER_UPLOAD * MAX_ATTACHMENT_BYTES + 64 * 1024) return fail(413, attachmentTooLargeMessage(null, null));
    // The fields read before a refused file, so the chosen row is kept (the form sends it first).
    const seen: Record<string, string> = {};
    const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTACHMENT_BYTES });
    const handler: UploadHandler = async (part) => {
      const value = await memory(part);
      if (typeof value === "string") seen[part.name] = value;
      return value;
    };
    try {
      form = await unstable_parseMultipartFormData(request, handler);
    } catch (e) {
      const kept = /^\d{1,4}$/.test(seen.position ?? "") ? seen.position : "";
      if (e instanceof MaxPartSizeExceededError) return fail(413, attachmentTooLargeMessage(null, null), kept);
      return fail(400, "上传失败：无法读取上传的内容，请重新选择文件后再试", kept);
    }
  } else {
    form = await request.formData();
  }
  const intent = form.get("intent");
  const position = typeof form.get("position") === "string" ? String(form.get("position")) : "";

  if (intent === "upload") {
    const files = form.getAll("file").filter((f): f is File => typeof f !== "string" && !(f.size === 0 && !f.name));
    const pos = position === "" ? null : /^\d{1,4}$/.test(position) ? Number(position) : -1;
    const result = uploadAttachments(user, round, ref, {
      position: pos,
      files: await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))),
    });
    if (!result.ok) return fail(result.status, result.reason, position);
    return redirect(`${entryPath}?saved=attach#attachments`);
  }
  if (intent === "delete") {
    const id = form.get("attachmentId");
    const result = deleteAttachment(user, round, ref, typeof id === "string" && /^\d{1,15}$/.test(id) ? Number(id) : NaN);
    if (!result.ok) return fail(result.status, result.reason);
    return redirect(`${entryPath}?saved=attach-delete#attachments`);
  }
  return fail(400, "无效的操作");
}

export default function EvaluationAttachmentsPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to={`/evaluations/${data.round.id}`}>自评 · {data.round.year} 年度</Link> / <Link to={data.entryPath}>{data.owner.name}</Link>
          </p>
          <h1>佐证材料</h1>
        </div>
      </div>
      <Attachments data={data} failure={failure} />
      <p>
        <Link to={data.entryPath}>返回绩效自评</Link>
      </p>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "佐证材料 · 绩效自评 · jixiao" }];
