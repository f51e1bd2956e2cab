/** The delivery engine: durable outbox, retry policies, dead letters, and the guarded outbound HTTP client. */
export * from "./engine.js";
export * from "./retry.js";
export { classifyAddress, type AddressClass } from "./address.js";
export * from "./http.js";
export { httpSender, responseOutcome, errorOutcome, HTTP_KIND, type HttpTarget } from "./targets/http.js";
