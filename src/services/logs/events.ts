/** Ingestion and reads of log events: one handler per operation in operations/. */
import type { Handler } from "../types.js";

export const eventHandlers: Record<string, Handler> = {};
