/** The `vigil` command line: `vigil serve [options]`. */
import { Command, Option } from "commander";
import { resolveConfig, DEFAULTS } from "./config.js";
import { createServer, VERSION } from "./server.js";

const program = new Command()
  .name("vigil")
  .description("Vigil: AWS CloudTrail, CloudWatch, CloudWatch Logs, EventBridge, SNS, SQS and S3 on one port.")
  .version(VERSION);

program
  .command("serve")
  .description(
    "Start the Vigil server. Options override VIGIL_* environment variables, which override the config file.",
  )
  .option("--host <address>", `address to listen on (default ${DEFAULTS.host}; VIGIL_HOST)`)
  .option("--port <number>", `port to listen on, 0 for any free port (default ${DEFAULTS.port}; VIGIL_PORT)`)
  .option(
    "--data-dir <path>",
    `directory for the SQLite database and keys (default ${DEFAULTS.dataDir}; VIGIL_DATA_DIR)`,
  )
  .option("--ephemeral", "keep everything in memory; nothing survives a restart (VIGIL_EPHEMERAL=true)")
  .option(
    "--database-url <url>",
    "keep everything in PostgreSQL, e.g. postgres://user@host:5432/db (VIGIL_DATABASE_URL)",
  )
  .addOption(
    new Option(
      "--clock <mode>",
      "system time, or a manual clock that moves only through POST /_vigil/clock (VIGIL_CLOCK)",
    ).choices(["system", "manual"]),
  )
  .option(
    "--clock-start <time>",
    "manual clock start, ISO-8601 or epoch milliseconds (default: now; VIGIL_CLOCK_START)",
  )
  .option(
    "--default-account <id>",
    `account for access keys that are not 12 digits (default ${DEFAULTS.defaultAccount}; VIGIL_DEFAULT_ACCOUNT)`,
  )
  .option(
    "--default-region <region>",
    `region of unsigned requests (default ${DEFAULTS.defaultRegion}; VIGIL_DEFAULT_REGION)`,
  )
  .option(
    "--allow-unknown-regions",
    "accept credential scopes naming regions AWS does not have (VIGIL_ALLOW_UNKNOWN_REGIONS=true)",
  )
  .option(
    "--admin-token <token>",
    "allow /_vigil/ admin endpoints from other hosts with 'Authorization: Bearer <token>' (VIGIL_ADMIN_TOKEN)",
  )
  .option("--smtp-url <url>", "SMTP server for SNS email subscriptions, e.g. smtp://127.0.0.1:25 (VIGIL_SMTP_URL)")
  .option("--smtp-from <address>", "From address of SNS emails (default no-reply@sns.amazonaws.com; VIGIL_SMTP_FROM)")
  .addOption(
    new Option(
      "--log-level <level>",
      `log level (default ${DEFAULTS.logLevel}; VIGIL_LOG_LEVEL); debug logs one line per request`,
    ).choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  )
  .option("--max-request-bytes <n>", `request body cap for JSON, CBOR and Query (default ${DEFAULTS.maxRequestBytes})`)
  .option(
    "--max-decompressed-bytes <n>",
    `cap on a gzip request body once inflated (default ${DEFAULTS.maxDecompressedBytes})`,
  )
  .option("--max-object-bytes <n>", `cap on an S3 object upload (default ${DEFAULTS.maxObjectBytes})`)
  .option(
    "--trail-delivery-interval <seconds>",
    `seconds between CloudTrail log file deliveries, at least 1 (default ${DEFAULTS.trailDeliveryInterval}; VIGIL_TRAIL_DELIVERY_INTERVAL)`,
  )
  .option(
    "--trail-digest-interval <seconds>",
    `seconds between CloudTrail digest files, at least 1 (default ${DEFAULTS.trailDigestInterval}; VIGIL_TRAIL_DIGEST_INTERVAL)`,
  )
  .option(
    "--trail-insights-baseline <seconds>",
    `seconds of history a CloudTrail Insights baseline covers (default ${DEFAULTS.trailInsightsBaseline}; VIGIL_TRAIL_INSIGHTS_BASELINE)`,
  )
  .option(
    "--trail-insights-window <seconds>",
    `seconds one CloudTrail Insights rate is counted over (default ${DEFAULTS.trailInsightsWindow}; VIGIL_TRAIL_INSIGHTS_WINDOW)`,
  )
  .option("--config <file>", "JSON file with any of these settings in camelCase (VIGIL_CONFIG)")
  .option("--print-config", "print the resolved configuration as JSON and exit")
  .addHelpText(
    "after",
    `
Admin endpoints (loopback only unless --admin-token):
  GET  /_vigil/health   liveness, storage readiness, version, services
  POST /_vigil/reset    wipe all state of all accounts
  GET  /_vigil/clock    the current time
  POST /_vigil/clock    {"advanceSeconds": N} with --clock manual: runs every job that falls due`,
  )
  .action(async (opts: Record<string, unknown>) => {
    const { printConfig, ...flags } = opts;
    let config;
    try {
      config = resolveConfig(flags);
    } catch (err) {
      process.stderr.write(`vigil: ${(err as Error).message}\n`);
      process.exit(2);
    }
    if (printConfig) {
      process.stdout.write(JSON.stringify(config, null, 2) + "\n");
      return;
    }
    const server = await createServer(config).catch((err: unknown) => {
      process.stderr.write(`vigil: ${(err as Error).message}\n`);
      process.exit(1);
    });
    const where = config.databaseUrl ? "PostgreSQL" : config.ephemeral ? "memory" : config.dataDir;
    process.stderr.write(`Vigil ${VERSION} listening on ${server.url} (storage: ${where}, clock: ${config.clock})\n`);
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(1);
      stopping = true;
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });

program
  .command("verify-trail")
  .description(
    "Verify a trail's digests and log files as `aws cloudtrail validate-logs` does, on a directory holding the " +
      "bucket's objects (with --public-keys) or through a running Vigil (--endpoint-url).",
  )
  .requiredOption("--trail-arn <arn>", "the trail's ARN")
  .requiredOption("--start-time <time>", "ISO-8601 start of the range")
  .option("--end-time <time>", "ISO-8601 end of the range (default now)")
  .option("--dir <path>", "directory holding the bucket's objects (<dir>/<key>, metadata in <key>.metadata.json)")
  .option("--public-keys <file>", "JSON output of `aws cloudtrail list-public-keys`")
  .option("--s3-bucket <bucket>", "the bucket (default: the trail's, from DescribeTrails)")
  .option("--s3-prefix <prefix>", "the key prefix (default: the trail's)")
  .option("--endpoint-url <url>", "a running Vigil, e.g. http://127.0.0.1:4566")
  .option("--access-key-id <key>", "access key naming the account (default AWS_ACCESS_KEY_ID)")
  .option("--region <region>", "digest source region (default: the trail's home region)")
  .action(async (opts: Record<string, string>) => {
    const { runVerifyTrail } = await import("./services/cloudtrail/verify-command.js");
    process.exitCode = await runVerifyTrail(opts as unknown as Parameters<typeof runVerifyTrail>[0]);
  });

await program.parseAsync(process.argv);
