/** S3's errors as S3 words them (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
import { awsError } from "../../errors/index.js";

export const noSuchBucket = (bucket: string) =>
  awsError("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket });

export const noSuchKey = (key: string) => awsError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });

export const accessDenied = () => awsError("AccessDenied", "Access Denied", 403);

export const invalidBucketName = (bucket: string) =>
  awsError("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: bucket });

export const malformedXml = () =>
  awsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

export const invalidArgument = (message: string, name?: string, value?: string) =>
  awsError(
    "InvalidArgument",
    message,
    400,
    name === undefined ? undefined : { ArgumentName: name, ArgumentValue: value },
  );

export const invalidRequest = (message: string) => awsError("InvalidRequest", message);

export const malformedPolicy = (message: string) => awsError("MalformedPolicy", message);
