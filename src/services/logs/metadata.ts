/** Log groups, log streams, tags, KMS association and resource policies: one handler per operation in operations/. */
import type { Handler } from "../types.js";
import { AssociateKmsKey } from "./operations/AssociateKmsKey.js";
import { CreateLogGroup } from "./operations/CreateLogGroup.js";
import { CreateLogStream } from "./operations/CreateLogStream.js";
import { DeleteLogGroup } from "./operations/DeleteLogGroup.js";
import { DeleteLogStream } from "./operations/DeleteLogStream.js";
import { DeleteResourcePolicy } from "./operations/DeleteResourcePolicy.js";
import { DeleteRetentionPolicy } from "./operations/DeleteRetentionPolicy.js";
import { DescribeLogGroups } from "./operations/DescribeLogGroups.js";
import { DescribeLogStreams } from "./operations/DescribeLogStreams.js";
import { DescribeResourcePolicies } from "./operations/DescribeResourcePolicies.js";
import { DisassociateKmsKey } from "./operations/DisassociateKmsKey.js";
import { ListTagsForResource } from "./operations/ListTagsForResource.js";
import { ListTagsLogGroup } from "./operations/ListTagsLogGroup.js";
import { PutLogGroupDeletionProtection } from "./operations/PutLogGroupDeletionProtection.js";
import { PutResourcePolicy } from "./operations/PutResourcePolicy.js";
import { PutRetentionPolicy } from "./operations/PutRetentionPolicy.js";
import { TagLogGroup } from "./operations/TagLogGroup.js";
import { TagResource } from "./operations/TagResource.js";
import { UntagLogGroup } from "./operations/UntagLogGroup.js";
import { UntagResource } from "./operations/UntagResource.js";

export const metadataHandlers: Record<string, Handler> = {
  AssociateKmsKey,
  CreateLogGroup,
  CreateLogStream,
  DeleteLogGroup,
  DeleteLogStream,
  DeleteResourcePolicy,
  DeleteRetentionPolicy,
  DescribeLogGroups,
  DescribeLogStreams,
  DescribeResourcePolicies,
  DisassociateKmsKey,
  ListTagsForResource,
  ListTagsLogGroup,
  PutLogGroupDeletionProtection,
  PutResourcePolicy,
  PutRetentionPolicy,
  TagLogGroup,
  TagResource,
  UntagLogGroup,
  UntagResource,
};
