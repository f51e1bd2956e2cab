/**
 * The stream's sequence token. PutLogEvents ignores it since 2023, but AWS still answers `nextSequenceToken` and
 * DescribeLogStreams' `uploadSequenceToken` (only once the stream has events), as a 56-digit decimal string. Vigil
 * derives it from the stream and its last ingestion, so PutLogEvents and DescribeLogStreams agree.
 */
export const sequenceToken = (streamId: number, lastIngestionTime: number): string =>
  `49${String(streamId).padStart(24, "0")}${String(lastIngestionTime).padStart(30, "0")}`;
