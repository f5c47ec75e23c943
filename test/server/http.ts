// Plain node:http clients for the server tests: fetch would hide what these tests look at
// (chunked bodies sent piece by piece, answers that arrive before the body is sent).
import http from "node:http";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The whole answer of a response. */
export function collect(res: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    res.on("error", reject);
  });
}

/** One request with a whole body (or none). A new connection each time. */
export function send(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) =>
      collect(res).then(resolve, reject),
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** `total` bytes (rounded up to whole chunks) of `chunk` repeated. */
export function* repeated(chunk: Buffer, total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
}

/** `body` cut into pieces of `size` bytes. */
export function* slices(body: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
}

/**
 * Streams a chunked body (no Content-Length), one chunk per turn of the event loop, and
 * stops as soon as the server answers. `sent` tells how much was written by then.
 */
export function streamUntilAnswered(
  base: string,
  path: string,
  headers: Record<string, string>,
  chunks: Iterable<Buffer>,
): Promise<Answer & { sent: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: "POST", headers: { ...headers, "Transfer-Encoding": "chunked" }, agent: false });
    const source = chunks[Symbol.iterator]();
    let sent = 0;
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      collect(res).then((a) => {
        req.destroy();
        resolve({ ...a, sent });
      }, reject);
    });
    // Once answered, a reset while we were still writing is expected.
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    const pump = () => {
      if (answered) return;
      const next = source.next();
      if (next.done) {
        req.end();
        return;
      }
      sent += next.value.length;
      if (req.write(next.value)) setImmediate(pump);
      else req.once("drain", pump);
    };
    pump();
  });
}

/** A multipart/form-data body of `parts` small text fields. */
export function multipart(parts: number, boundary = "----jixiaoTestBoundary7MA4YWxk"): { body: Buffer; contentType: string } {
  let text = "";
  for (let i = 0; i < parts; i++) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="field${i}"\r\n\r\nvalue ${i}\r\n`;
  }
  text += `--${boundary}--\r\n`;
  return { body: Buffer.from(text), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A POST /logout under way for as long as the test wants: it resolves once the server has the
 * request in hand (its "100 Continue") and part of the body; `finish()` sends the rest, and
 * `answered` is the server's answer (a redirect to /login).
 */
export async function heldLogout(base: string): Promise<{ finish: () => void; answered: Promise<Answer> }> {
  const body = Buffer.from(`redirectTo=%2F&note=${"a".repeat(4000)}`);
  const req = http.request(`${base}/logout`, {
    method: "POST",
    agent: false,
    headers: {
      Origin: base,
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(body.length),
      Expect: "100-continue",
    },
  });
  const answered = new Promise<Answer>((resolve, reject) => {
    req.on("response", (res) => collect(res).then(resolve, reject));
    req.on("error", reject);
  });
  const inHand = new Promise((resolve) => req.once("continue", resolve));
  req.flushHeaders();
  await inHand;
  req.write(body.subarray(0, 1000));
  return {
    finish: () => {
      req.write(body.subarray(1000, 3000));
      req.end(body.subarray(3000));
    },
    answered,
  };
}
