/** Reads a request body within a byte cap, and inflates gzip bodies within a second cap (no gzip bombs). */
import type { IncomingMessage } from "node:http";
import { gunzip } from "node:zlib";
import { promisify } from "node:util";

const gunzipAsync = promisify(gunzip);

export class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    readonly size: number | undefined,
  ) {
    super(`request body over ${limit} bytes`);
  }
}

export class BadEncoding extends Error {}

/** Resolves with the whole body, or rejects with BodyTooLarge as soon as the cap is passed (declared or streamed). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const n = Number(declared);
    if (Number.isFinite(n) && n > limit) return Promise.reject(new BodyTooLarge(limit, n));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off("data", onData);
        reject(new BodyTooLarge(limit, undefined));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.once("error", (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/** Applies Content-Encoding: gzip (AWS SDKs compress PutMetricData over 10 KB). Other codings pass through. */
export async function decodeContent(body: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  if (!encoding || body.length === 0) return body;
  const codings = encoding.split(",").map((s) => s.trim().toLowerCase());
  if (!codings.includes("gzip")) return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new BodyTooLarge(limit, undefined);
    throw new BadEncoding("The request body is not valid gzip.");
  }
}
