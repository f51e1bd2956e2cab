/**
 * Who may publish to a topic besides its owner: the topic policy decides for other accounts and for AWS service
 * principals (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
 * The default policy allows every action to principals of the owner account only (condition AWS:SourceOwner = owner).
 * Choice for services: the request carries aws:SourceArn and aws:SourceAccount; only CloudWatch alarms also carry
 * AWS:SourceOwner = the alarm's account, because AWS documents that alarm actions reach topics of the same account
 * under the default policy, while S3 event notifications and EventBridge targets need an explicit statement naming
 * their service principal (s3.amazonaws.com, events.amazonaws.com).
 */
import { allows, type Principal } from "../../policy/index.js";
import type { TopicRecord } from "../../storage/sns-store.js";
import type { Publisher } from "../internal.js";
import { authorizationError } from "./errors.js";
import { defaultPolicy } from "./topics.js";

export function mayPublish(topic: TopicRecord, publisher: Publisher): boolean {
  if (!publisher.service && publisher.account === topic.account) return true;
  const principal: Principal = publisher.service
    ? { type: "Service", service: publisher.service }
    : {
        type: "AWS",
        account: publisher.account,
        arn: publisher.principalArn ?? `arn:aws:iam::${publisher.account}:root`,
      };
  const context: Record<string, string | undefined> = {
    "aws:SourceArn": publisher.sourceArn,
    "aws:SourceAccount": publisher.sourceAccount ?? (publisher.service ? publisher.account : undefined),
    "aws:PrincipalAccount": publisher.service ? undefined : publisher.account,
  };
  if (!publisher.service || publisher.service === "cloudwatch.amazonaws.com")
    context["aws:SourceOwner"] = publisher.account;
  return allows(topic.attributes.Policy ?? defaultPolicy(topic.arn, topic.account), {
    principal,
    action: "sns:Publish",
    resource: topic.arn,
    context,
  });
}

export function publishDenied(topic: TopicRecord, publisher: Publisher) {
  const who = publisher.service ?? publisher.principalArn ?? `arn:aws:iam::${publisher.account}:root`;
  return authorizationError(`User: ${who} is not authorized to perform: SNS:Publish on resource: ${topic.arn}`);
}
