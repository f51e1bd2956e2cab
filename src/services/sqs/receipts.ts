/**
 * Receipt handles. A handle names one receive of one message: the queue, the message's row and its receive count at
 * that receive, with a checksum so that a handle Vigil never issued is refused as invalid rather than looked up.
 * Handles are deterministic (a retried FIFO ReceiveRequestAttemptId answers the same handles) and survive restarts.
 */
export interface Receipt {
  queueId: number;
  rowId: number;
  receiveCount: number;
}

const VERSION = 1;
const PAYLOAD = 1 + 8 + 8 + 4;
const LENGTH = PAYLOAD + 4;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** FNV-1a (32 bits) from a salted basis: enough to tell a handle Vigil issued from garbage, and cheap. */
function checksum(payload: Buffer): number {
  let h = 0x9e3779b9;
  for (let i = 0; i < payload.length; i++) h = Math.imul(h ^ payload[i]!, 0x01000193);
  return h >>> 0;
}

export function encodeReceipt(r: Receipt): string {
  const b = Buffer.allocUnsafe(LENGTH);
  b.writeUInt8(VERSION, 0);
  b.writeBigUInt64BE(BigInt(r.queueId), 1);
  b.writeBigUInt64BE(BigInt(r.rowId), 9);
  b.writeUInt32BE(r.receiveCount, 17);
  b.writeUInt32BE(checksum(b.subarray(0, PAYLOAD)), PAYLOAD);
  return b.toString("base64");
}

/** The receipt a handle names; undefined for anything Vigil did not issue. */
export function decodeReceipt(handle: string): Receipt | undefined {
  if (handle.length !== Math.ceil(LENGTH / 3) * 4 || !BASE64.test(handle)) return undefined;
  const b = Buffer.from(handle, "base64");
  if (b.length !== LENGTH || b.readUInt8(0) !== VERSION) return undefined;
  if (checksum(b.subarray(0, PAYLOAD)) !== b.readUInt32BE(PAYLOAD)) return undefined;
  return {
    queueId: Number(b.readBigUInt64BE(1)),
    rowId: Number(b.readBigUInt64BE(9)),
    receiveCount: b.readUInt32BE(17),
  };
}
