/** Raw HTTP requests for tests that need to send what no SDK would (garbage, bombs, odd headers). */
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const FAKE_AUTH = (service: string, key = "AKIAVIGILRAW00000001", region = "us-east-1") =>
  `AWS4-HMAC-SHA256 Credential=${key}/20261123/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

export function raw(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    agent?: http.Agent;
  },
): Promise<RawResponse> {
  const u = new URL(options.path ?? "/", url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      u,
      {
        method: options.method ?? "POST",
        headers: { "x-amz-date": "20261123T000000Z", ...options.headers },
        agent: options.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
