// JSON from outside (exchange files given to the CLI, the web import's hidden payload) is
// checked before JSON.parse builds it and zod validates it (issue 9): deep nesting (100,000
// "[" make 100,000 arrays), wide arrays (zod reports every invalid element: 100,000 empty
// objects cost 11 s and 400 MB) and text that is not UTF-8. The check is one forward pass
// over the text. Limits: docs/decisions/016-hostile-input.md. Pure TypeScript.

/** Arrays and objects nested deeper than this are refused (an exchange file nests about 5 deep). */
export const MAX_JSON_DEPTH = 64;
/** Elements of one array at most (a region's tables, a table's indicators). */
export const MAX_JSON_ARRAY = 10_000;
/** Elements of all arrays together at most. */
export const MAX_JSON_ELEMENTS = 30_000;

export class JsonInputError extends Error {
  readonly code: "encoding" | "too_deep" | "too_many";
  constructor(code: JsonInputError["code"], message: string) {
    super(message);
    this.name = "JsonInputError";
    this.code = code;
  }
}

const fmt = (n: number) => n.toLocaleString("en").replace(/,/g, "");

/**
 * Parses JSON text after checking its shape. Throws JsonInputError (Chinese message) past a
 * limit or for text that was not UTF-8, and SyntaxError for text that is not JSON. A UTF-8
 * byte-order mark is allowed.
 */
export function parseJsonInput(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  checkEncoding(text);
  checkShape(text);
  return JSON.parse(text);
}

function checkEncoding(text: string): void {
  // A UTF-16 file read as UTF-8: its byte-order mark became U+FFFD and every other byte NUL.
  if (text.startsWith("\ufffd\ufffd") || text.indexOf("\u0000") >= 0) {
    throw new JsonInputError("encoding", "不是 UTF-8 编码的 JSON（看起来是 UTF-16 编码）：请另存为 UTF-8 编码后再试");
  }
  if (text.indexOf("\ufffd") >= 0) {
    throw new JsonInputError("encoding", "不是 UTF-8 编码的 JSON（可能是 GBK 编码，中文会变成乱码）：请另存为 UTF-8 编码后再试");
  }
}

/** Depth and array sizes in one pass; strings are skipped with indexOf. */
function checkShape(text: string): void {
  // Per open container: -1 for an object, else the number of commas seen in the array.
  const stack: number[] = [];
  let elements = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: to the next quote not escaped by an odd number of backslashes.
      let q = text.indexOf('"', i + 1);
      for (;;) {
        if (q < 0) return; // unterminated: JSON.parse says so
        let b = q - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((q - 1 - b) % 2 === 0) break;
        q = text.indexOf('"', q + 1);
      }
      i = q;
    } else if (c === 91 || c === 123) {
      if (stack.length >= MAX_JSON_DEPTH) {
        throw new JsonInputError("too_deep", `JSON 嵌套过深（超过 ${MAX_JSON_DEPTH} 层），不是交换格式的数据`);
      }
      stack.push(c === 91 ? 0 : -1);
    } else if (c === 93 || c === 125) {
      stack.pop();
    } else if (c === 44 && stack.length && stack[stack.length - 1] >= 0) {
      const n = ++stack[stack.length - 1] + 1;
      if (n > MAX_JSON_ARRAY || ++elements > MAX_JSON_ELEMENTS) {
        throw new JsonInputError(
          "too_many",
          n > MAX_JSON_ARRAY
            ? `JSON 数组的元素过多（超过 ${fmt(MAX_JSON_ARRAY)} 个），请拆分后再试`
            : `JSON 中数组的元素过多（合计超过 ${fmt(MAX_JSON_ELEMENTS)} 个），请拆分后再试`,
        );
      }
    }
  }
}
