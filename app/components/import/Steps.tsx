/** The three steps of the import, the current one marked. */
export function Steps({ current }: { current: number }) {
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

/** An importer warning with its line, unless the message already names it. */
export function withLine(line: number | null, message: string): string {
  if (line == null || /第\s*\d+\s*行/.test(message)) return message;
  return `第 ${line} 行：${message}`;
}
