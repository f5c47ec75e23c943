// 佐证材料 of a self-evaluation: the list (download links), and for the filler while the
// evaluation is editable an upload form (file + "整体 / 第 N 个指标") and a 删除 button per
// file. Plain multipart forms posting to /evaluations/:roundId/:p|d/:ownerId/attachments, so
// they work without JavaScript (that route's page shows a refusal); with JavaScript they are
// fetcher forms and a refusal shows here. Loads nothing itself: the page's loader data is
// enough. See docs/decisions/017-attachments.md.
import { useFetcher, useSearchParams } from "@remix-run/react";
import { ALLOWED_TYPES_TEXT, ATTACHMENT_ACCEPT, MAX_ATTACHMENT_MB, MAX_ATTACHMENT_TOTAL_MB, MAX_ATTACHMENTS_PER_REPORT } from "../domain/attachment-types";
import { formatDateTime } from "../utils/format";

export type AttachmentsData = {
  round: { id: number };
  ownerKind: "project" | "department";
  owner: { id: number };
  indicators: Array<{ position: number; name: string | null }>;
  canEdit: boolean;
  report: { id: number } | null;
  attachments: Array<{ id: number; position: number | null; name: string; contentType: string; size: number; createdAt: string | Date; uploaderName: string | null }>;
};

export type AttachmentFailure = { reason: string; values?: { position?: string } | null };

export const attachmentsPath = (d: Pick<AttachmentsData, "round" | "ownerKind" | "owner">) =>
  `/evaluations/${d.round.id}/${d.ownerKind === "project" ? "p" : "d"}/${d.owner.id}/attachments`;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function rowLabel(indicators: AttachmentsData["indicators"], position: number | null): string {
  if (position === null) return "整体";
  const ind = indicators.find((i) => i.position === position);
  return `第 ${position + 1} 个指标「${ind?.name ?? "（未命名）"}」`;
}

const DONE: Record<string, string> = { attach: "佐证材料已上传。", "attach-delete": "佐证材料已删除。" };

export function Attachments({ data, failure }: { data: AttachmentsData; failure?: AttachmentFailure | null }) {
  // A fetcher keeps its last data across the redirect of a later successful upload, so keyed
  // by the files listed: a refusal does not outlive the upload (or deletion) that followed it.
  const upload = useFetcher<AttachmentFailure>({ key: `attachment-upload:${data.report?.id ?? "new"}:${data.attachments.map((a) => a.id).join(",")}` });
  const [params] = useSearchParams();
  const action = attachmentsPath(data);
  const error = upload.state === "idle" && upload.data?.reason ? upload.data : failure;
  const busy = upload.state !== "idle";
  const done = params.get("saved");
  const editable = data.canEdit && data.report !== null;
  return (
    <section className="card" id="attachments" aria-labelledby="attachments-h" data-testid="attachments">
      <h2 id="attachments-h">佐证材料</h2>
      {done && DONE[done] && !error ? (
        <p className="alert alert-success" role="status">
          {DONE[done]}
        </p>
      ) : null}
      {error?.reason ? (
        <p className="alert alert-error" role="alert" data-testid="attachment-error">
          {error.reason}
        </p>
      ) : null}
      {data.attachments.length === 0 ? (
        <p className="muted">尚未上传佐证材料。</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">对应</th>
                <th scope="col">文件</th>
                <th scope="col" className="num">大小</th>
                <th scope="col">上传</th>
                {editable ? <th scope="col">操作</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.attachments.map((a) => (
                <tr key={a.id}>
                  <td>{rowLabel(data.indicators, a.position)}</td>
                  <td>
                    <a href={`/attachments/${a.id}`} download={a.name}>
                      {a.name}
                    </a>
                  </td>
                  <td className="num">{formatBytes(a.size)}</td>
                  <td>
                    {a.uploaderName ?? "—"} · {formatDateTime(a.createdAt)}
                  </td>
                  {editable ? (
                    <td>
                      <DeleteAttachment action={action} id={a.id} name={a.name} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.canEdit && data.report === null ? <p className="hint">请先点击“保存草稿”保存自评，再上传佐证材料。</p> : null}
      {editable ? (
        <upload.Form method="post" action={action} encType="multipart/form-data" className="form-inline" aria-label="上传佐证材料">
          <input type="hidden" name="intent" value="upload" />
          {/* The row before the file: it reaches the server first, so a refused file keeps it. */}
          <div className="field">
            <label htmlFor="attachment-position">对应</label>
            <select id="attachment-position" name="position" defaultValue={error?.values?.position ?? ""}>
              <option value="">整体</option>
              {data.indicators.map((i) => (
                <option key={i.position} value={i.position}>
                  {rowLabel(data.indicators, i.position)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="attachment-file">选择文件</label>
            <input id="attachment-file" type="file" name="file" multiple required accept={ATTACHMENT_ACCEPT} aria-describedby="attachment-hint" />
          </div>
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "上传中…" : "上传"}
          </button>
          <p id="attachment-hint" className="hint">
            可上传 {ALLOWED_TYPES_TEXT}；每个文件不超过 {MAX_ATTACHMENT_MB} MB，每份自评最多 {MAX_ATTACHMENTS_PER_REPORT} 个、合计不超过 {MAX_ATTACHMENT_TOTAL_MB} MB。
          </p>
        </upload.Form>
      ) : null}
    </section>
  );
}

function DeleteAttachment({ action, id, name }: { action: string; id: number; name: string }) {
  const fetcher = useFetcher<AttachmentFailure>();
  return (
    <fetcher.Form method="post" action={action}>
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="attachmentId" value={id} />
      <button type="submit" className="btn btn-small btn-danger" disabled={fetcher.state !== "idle"} aria-label={`删除 ${name}`}>
        删除
      </button>
      {fetcher.state === "idle" && fetcher.data?.reason ? (
        <span className="field-error" role="alert">
          {fetcher.data.reason}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
