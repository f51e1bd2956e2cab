/** Log groups, log streams, tags, KMS association and resource policies: one handler per operation in operations/. */
import type { Handler } from "../types.js";

export const metadataHandlers: Record<string, Handler> = {};
