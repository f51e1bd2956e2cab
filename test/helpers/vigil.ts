/** Starts Vigil in-process for a test file and builds real AWS clients pointed at it. */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { createServer, type ServerOptions, type VigilServer } from "../../src/server.js";

const execFileAsync = promisify(execFile);

export const TEST_KEY = "AKIAVIGILTESTKEY0001";

export interface Vigil {
  server: VigilServer;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  client<T>(Ctor: new (config: any) => T, extra?: Record<string, unknown>): T;
  close(): Promise<void>;
}

export async function startVigil(options: ServerOptions = {}): Promise<Vigil> {
  const server = await createServer({ port: 0, ephemeral: true, logLevel: "silent", ...options });
  const clients: { destroy?: () => void }[] = [];
  return {
    server,
    url: server.url,
    client(Ctor, extra = {}) {
      const c = new Ctor({
        endpoint: server.url,
        region: "us-east-1",
        credentials: { accessKeyId: TEST_KEY, secretAccessKey: "vigil-test-secret" },
        maxAttempts: 1,
        ...extra,
      });
      clients.push(c as { destroy?: () => void });
      return c;
    },
    async close() {
      for (const c of clients) c.destroy?.();
      await server.close();
    },
  };
}

/** A name no other test uses. */
export const unique = (prefix: string): string => `${prefix}-${randomBytes(5).toString("hex")}`;

export function awsEnv(url: string, accessKeyId = TEST_KEY): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: "vigil-test-secret",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: url,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_MAX_ATTEMPTS: "1",
    AWS_RETRY_MODE: "standard",
  };
}

/** Runs Python (boto3) code; returns stdout. */
export async function python(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await execFileAsync("python3", ["-c", code], { env, timeout: 60_000 });
  return stdout;
}

/** Runs the AWS CLI v1 with --endpoint-url; resolves with stdout, or rejects with stderr in the message. */
export async function awsCli(
  url: string,
  args: string[],
  accessKeyId = TEST_KEY,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<string> {
  // `python3 -m awscli` is CLI v1 whatever `aws` on PATH is (CI also installs CLI v2 as /usr/bin/aws).
  const { stdout } = await execFileAsync(
    "python3",
    ["-m", "awscli", "--endpoint-url", url, "--output", "json", ...args],
    {
      env: { ...awsEnv(url, accessKeyId), ...extraEnv },
      timeout: 60_000,
    },
  );
  return stdout;
}
