/** The codec for each wire protocol. */
import { awsJson1_0, awsJson1_1 } from "./aws-json.js";
import { awsQuery } from "./aws-query.js";
import { restXml } from "./rest-xml.js";
import { rpcv2Cbor } from "./rpc-v2-cbor.js";
import type { ProtocolCodec, ProtocolId } from "./types.js";

export const CODECS: Record<ProtocolId, ProtocolCodec> = { awsJson1_0, awsJson1_1, awsQuery, rpcv2Cbor, restXml };
