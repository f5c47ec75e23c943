// Splits a document into rows of cells, keeping 1-based line numbers. Understands
// tab-separated lines, Markdown pipe tables and HTML tables (`<tr><td>…`); any other
// line is a one-cell text row. Blank lines, Markdown separator rows (`|---|---|`) and
// rows whose cells are all empty are dropped. Pure TypeScript (no I/O).

export interface Row {
  /** 1-based line of the row in the document (for HTML tables: the line of `<tr>`). */
  line: number;
  /** Cells as written (trimmed; markup is kept: callers clean what they read). */
  cells: string[];
  kind: "text" | "tsv" | "md" | "html";
}

const MD_SEPARATOR = /^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Splits one Markdown table line (`| a | b |`) into cells; `\|` is a literal bar. */
function splitPipes(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  if (s.indexOf("\\") < 0) return s.split("|").map((c) => c.trim());
  const cells: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && s[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (c === "|") {
      cells.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

function pushLine(rows: Row[], raw: string, line: number): void {
  const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const trimmed = text.trim();
  if (trimmed === "") return;
  if (trimmed.startsWith("|") && trimmed.indexOf("|", 1) > 0) {
    if (MD_SEPARATOR.test(trimmed)) return;
    const cells = splitPipes(trimmed);
    if (cells.every((c) => c === "")) return;
    rows.push({ line, cells, kind: "md" });
    return;
  }
  if (text.indexOf("\t") >= 0) {
    const cells = text.split("\t").map((c) => c.trim());
    if (cells.every((c) => c === "")) return;
    rows.push({ line, cells, kind: "tsv" });
    return;
  }
  rows.push({ line, cells: [trimmed], kind: "text" });
}

function pushLines(rows: Row[], text: string, firstLine: number): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) pushLine(rows, lines[i], firstLine + i);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Rows of an HTML `<table>` block; `colspan` cells are padded with empty cells. */
function htmlTableRows(rows: Row[], html: string, text: string, offset: number, firstLine: number): void {
  const trRe = /<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/table|$)/gi;
  let m: RegExpExecArray | null;
  let line = firstLine;
  let last = 0;
  while ((m = trRe.exec(html))) {
    if (m[0] === "") {
      trRe.lastIndex++;
      continue;
    }
    line += countNewlines(text, offset + last, offset + m.index);
    last = m.index;
    const cells: string[] = [];
    const tdRe = /<t([dh])\b([^>]*)>([\s\S]*?)(?=<t[dh]\b|<\/tr|$)/gi;
    let c: RegExpExecArray | null;
    while ((c = tdRe.exec(m[1]))) {
      if (c[0] === "") {
        tdRe.lastIndex++;
        continue;
      }
      const content = c[3].replace(/<\/t[dh]\s*>[\s\S]*$/i, "").replace(/\s*\n\s*/g, " ").trim();
      cells.push(content);
      const span = /colspan\s*=\s*["']?(\d+)/i.exec(c[2]);
      const n = span ? Math.min(Number(span[1]), 50) : 1;
      for (let k = 1; k < n; k++) cells.push("");
    }
    if (cells.length && !cells.every((x) => x.replace(/<[^>]*>|&nbsp;/g, "").trim() === "")) {
      rows.push({ line, cells, kind: "html" });
    }
  }
}

/** All rows of a document, in order. */
export function splitRows(text: string): Row[] {
  const rows: Row[] = [];
  if (!/<table\b/i.test(text)) {
    pushLines(rows, text, 1);
    return rows;
  }
  const tableRe = /<table\b[^>]*>([\s\S]*?)(?:<\/table\s*>|$)/gi;
  let pos = 0;
  let line = 1;
  let m: RegExpExecArray | null;
  while ((m = tableRe.exec(text))) {
    const before = text.slice(pos, m.index);
    pushLines(rows, before, line);
    line += countNewlines(text, pos, m.index);
    const inner = m[1];
    const innerOffset = m.index + m[0].indexOf(inner);
    htmlTableRows(rows, inner, text, innerOffset, line + countNewlines(text, m.index, innerOffset));
    line += countNewlines(text, m.index, m.index + m[0].length);
    pos = m.index + m[0].length;
    if (m[0] === "") tableRe.lastIndex++;
  }
  pushLines(rows, text.slice(pos), line);
  return rows;
}
