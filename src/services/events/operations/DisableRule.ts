/** DisableRule: the rule stops matching and firing until enabled again (see EnableRule). */
import type { Handler } from "../../types.js";
import { setRuleState } from "./EnableRule.js";

export const DisableRule: Handler = (input, ctx) => setRuleState(input, ctx, "DISABLED");
