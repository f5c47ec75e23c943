import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";

/** Step 1: choose the file; a file over the limit is refused here before it is sent. */
export function Upload({ error, maxBytes, maxMb }: { error: string | null; maxBytes: number; maxMb: number }) {
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
