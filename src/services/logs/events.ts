/** Ingestion and reads of log events: one handler per operation in operations/. StartLiveTail is not implemented. */
import type { Handler } from "../types.js";
import { FilterLogEvents } from "./operations/FilterLogEvents.js";
import { GetLogEvents } from "./operations/GetLogEvents.js";
import { PutLogEvents } from "./operations/PutLogEvents.js";

export const eventHandlers: Record<string, Handler> = { PutLogEvents, GetLogEvents, FilterLogEvents };
