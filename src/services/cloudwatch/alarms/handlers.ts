/** CloudWatch alarm operations (none yet). */
import type { Handler } from "../../types.js";

export const alarmHandlers: Record<string, Handler> = {};
