/** AwsError and the framework errors every protocol can answer. Service-specific errors subclass AwsError or use awsError(). */

export abstract class AwsError extends Error {
  abstract readonly code: string;
  readonly httpStatus: number = 400;
  readonly fault: "client" | "server" = "client";
  /** Extra members serialized next to the message (e.g. S3's BucketName, CloudWatch's alarm names). */
  readonly extra?: Record<string, unknown>;
}

class GenericAwsError extends AwsError {
  constructor(
    override readonly code: string,
    message: string,
    override readonly httpStatus: number = 400,
    override readonly fault: "client" | "server" = httpStatus >= 500 ? "server" : "client",
    override readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }
}

/** An AwsError with the given wire code, message and status. */
export function awsError(code: string, message: string, httpStatus = 400, extra?: Record<string, unknown>): AwsError {
  return new GenericAwsError(code, message, httpStatus, httpStatus >= 500 ? "server" : "client", extra);
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

/** The request body could not be parsed in the protocol's format. */
export const serializationError = (message: string) => awsError("SerializationException", message);

/** The target, action or route names no operation of the service. */
export const unknownOperation = (message = "") => awsError("UnknownOperationException", message);

/** The operation exists in the AWS model but Vigil does not implement it yet. Listed in docs/compatibility.md. */
export const notImplemented = (service: string, operation: string) =>
  awsError("NotImplemented", `Vigil does not implement ${service}:${operation} yet (see docs/compatibility.md).`, 501);

export const internalFailure = () =>
  awsError(
    "InternalFailure",
    "The request processing has failed because of an unknown error, exception or failure.",
    500,
  );

export const requestTooLarge = (message: string) => awsError("RequestEntityTooLarge", message, 413);
