/** EventBridge (awsJson1_1, AWSEvents): buses, rules, targets, PutEvents, permissions and tags. */
import type { ServiceDef } from "../types.js";
import { CreateConnection } from "./operations/CreateConnection.js";
import { DescribeConnection } from "./operations/DescribeConnection.js";
import { ListConnections } from "./operations/ListConnections.js";
import { UpdateConnection } from "./operations/UpdateConnection.js";
import { DeleteConnection } from "./operations/DeleteConnection.js";
import { CreateApiDestination } from "./operations/CreateApiDestination.js";
import { DescribeApiDestination } from "./operations/DescribeApiDestination.js";
import { ListApiDestinations } from "./operations/ListApiDestinations.js";
import { UpdateApiDestination } from "./operations/UpdateApiDestination.js";
import { DeleteApiDestination } from "./operations/DeleteApiDestination.js";
import { CreateArchive } from "./operations/CreateArchive.js";
import { DescribeArchive } from "./operations/DescribeArchive.js";
import { ListArchives } from "./operations/ListArchives.js";
import { UpdateArchive } from "./operations/UpdateArchive.js";
import { DeleteArchive } from "./operations/DeleteArchive.js";
import { StartReplay } from "./operations/StartReplay.js";
import { DescribeReplay } from "./operations/DescribeReplay.js";
import { ListReplays } from "./operations/ListReplays.js";
import { CancelReplay } from "./operations/CancelReplay.js";
import { CreateEventBus } from "./operations/CreateEventBus.js";
import { DeleteEventBus } from "./operations/DeleteEventBus.js";
import { DeleteRule } from "./operations/DeleteRule.js";
import { DescribeEventBus } from "./operations/DescribeEventBus.js";
import { DescribeRule } from "./operations/DescribeRule.js";
import { DisableRule } from "./operations/DisableRule.js";
import { EnableRule } from "./operations/EnableRule.js";
import { ListEventBuses } from "./operations/ListEventBuses.js";
import { ListRuleNamesByTarget } from "./operations/ListRuleNamesByTarget.js";
import { ListRules } from "./operations/ListRules.js";
import { ListTagsForResource } from "./operations/ListTagsForResource.js";
import { ListTargetsByRule } from "./operations/ListTargetsByRule.js";
import { PutEvents } from "./operations/PutEvents.js";
import { PutPermission } from "./operations/PutPermission.js";
import { PutRule } from "./operations/PutRule.js";
import { PutTargets } from "./operations/PutTargets.js";
import { RemovePermission } from "./operations/RemovePermission.js";
import { RemoveTargets } from "./operations/RemoveTargets.js";
import { TagResource } from "./operations/TagResource.js";
import { TestEventPattern } from "./operations/TestEventPattern.js";
import { UntagResource } from "./operations/UntagResource.js";
import { UpdateEventBus } from "./operations/UpdateEventBus.js";

export const events: ServiceDef = {
  name: "events",
  signingName: "events",
  eventSource: "events.amazonaws.com",
  protocols: ["awsJson1_1"],
  validationErrorCode: "ValidationException",
  handlers: {
    CreateEventBus,
    DeleteEventBus,
    DescribeEventBus,
    ListEventBuses,
    UpdateEventBus,
    PutRule,
    DescribeRule,
    ListRules,
    EnableRule,
    DisableRule,
    DeleteRule,
    PutTargets,
    RemoveTargets,
    ListTargetsByRule,
    ListRuleNamesByTarget,
    TestEventPattern,
    PutEvents,
    PutPermission,
    RemovePermission,
    TagResource,
    UntagResource,
    ListTagsForResource,
    CreateConnection,
    DescribeConnection,
    ListConnections,
    UpdateConnection,
    DeleteConnection,
    CreateApiDestination,
    DescribeApiDestination,
    ListApiDestinations,
    UpdateApiDestination,
    DeleteApiDestination,
    CreateArchive,
    DescribeArchive,
    ListArchives,
    UpdateArchive,
    DeleteArchive,
    StartReplay,
    DescribeReplay,
    ListReplays,
    CancelReplay,
  },
  dataEvents: new Set(["PutEvents"]),
  resourceMembers: { Name: "AWS::Events::Rule", Rule: "AWS::Events::Rule", EventBusName: "AWS::Events::EventBus" },
};
