/**
 * The UnsubscribeURL and SubscribeURL of SNS messages: AWS's form (`/?Action=...&...`) on Vigil's endpoint. They are
 * fetched unsigned and without Version; the gateway routes these two actions to SNS (src/gateway/route.ts).
 */
export const unsubscribeUrl = (endpoint: string, subscriptionArn: string) =>
  `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;

export const subscribeUrl = (endpoint: string, topicArn: string, token: string) =>
  `${endpoint}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
