/**
 * S3 (restXml, path-style and virtual-hosted buckets): buckets, objects, bucket policies and event notifications,
 * the part Vigil needs for CloudTrail trails, Logs exports and user tests. Every other operation answers NotImplemented.
 */
import type { ServiceDef } from "../types.js";
import { CreateBucket } from "./operations/CreateBucket.js";
import { HeadBucket } from "./operations/HeadBucket.js";
import { DeleteBucket } from "./operations/DeleteBucket.js";
import { ListBuckets } from "./operations/ListBuckets.js";
import { GetBucketLocation } from "./operations/GetBucketLocation.js";
import { PutBucketPolicy } from "./operations/PutBucketPolicy.js";
import { GetBucketPolicy } from "./operations/GetBucketPolicy.js";
import { DeleteBucketPolicy } from "./operations/DeleteBucketPolicy.js";
import { PutObject } from "./operations/PutObject.js";
import { GetObject } from "./operations/GetObject.js";
import { HeadObject } from "./operations/HeadObject.js";
import { DeleteObject } from "./operations/DeleteObject.js";
import { DeleteObjects } from "./operations/DeleteObjects.js";
import { CopyObject } from "./operations/CopyObject.js";
import { ListObjects } from "./operations/ListObjects.js";
import { ListObjectsV2 } from "./operations/ListObjectsV2.js";
import { PutBucketNotificationConfiguration } from "./operations/PutBucketNotificationConfiguration.js";
import { GetBucketNotificationConfiguration } from "./operations/GetBucketNotificationConfiguration.js";
import { prepareS3Request } from "./prepare.js";
import { rewriteValidation } from "./validation.js";

export const s3: ServiceDef = {
  name: "s3",
  signingName: "s3",
  eventSource: "s3.amazonaws.com",
  protocols: ["restXml"],
  validationErrorCode: "InvalidArgument",
  handlers: {
    CreateBucket,
    HeadBucket,
    DeleteBucket,
    ListBuckets,
    GetBucketLocation,
    PutBucketPolicy,
    GetBucketPolicy,
    DeleteBucketPolicy,
    PutObject,
    GetObject,
    HeadObject,
    DeleteObject,
    DeleteObjects,
    CopyObject,
    ListObjects,
    ListObjectsV2,
    PutBucketNotificationConfiguration,
    GetBucketNotificationConfiguration,
  },
  prepareRequest: prepareS3Request,
  // S3 answers an unknown LocationConstraint with its own error, not the model's enum message.
  // (The gateway cannot name restXml operations before decoding: the member path identifies CreateBucket.)
  rewriteValidationError: (_operation, error) => rewriteValidation(error),
  dataEvents: new Set([
    "GetObject",
    "PutObject",
    "HeadObject",
    "DeleteObject",
    "DeleteObjects",
    "CopyObject",
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "ListParts",
    "GetObjectAttributes",
    "GetObjectTagging",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "GetObjectAcl",
    "PutObjectAcl",
    "RestoreObject",
    "SelectObjectContent",
  ]),
  resourceMembers: { Bucket: "AWS::S3::Bucket", Key: "AWS::S3::Object" },
};
