/**
 * GetTrail: one trail by name (this region's, or a multi-region trail's shadow) or ARN.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html
 */
import type { Handler } from "../../types.js";
import { describe, findTrail } from "../trail.js";

export const GetTrail: Handler = async (input: { Name: string }, ctx) => ({
  Trail: describe(await findTrail(input.Name, ctx)),
});
