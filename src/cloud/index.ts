/**
 * The HeyGen HyperFrames cloud side of framesmith as a library: the typed client, the upload,
 * polling and download flows, webhook signatures, and `runCloudRender` (the whole flow).
 */
export * from './types.js';
export {
  resolveApiKey,
  resolveCredential,
  resolveBaseUrl,
  redact,
  cleanServerText,
  wrapApiKey,
  API_KEY_ENV,
  ACCESS_TOKEN_ENV,
  API_URL_ENV,
  DEFAULT_API_URL,
  type ResolvedApiKey,
  type ResolveApiKeyOptions,
  type ApiKeySource,
  type CredentialKind,
} from './api-key.js';
export {
  createCloudClient,
  newIdempotencyKey,
  checkIdempotencyKey,
  type CloudClient,
  type CloudClientOptions,
  type CallOptions,
} from './client.js';
export { CLOUD_EXIT } from './exit-codes.js';
export { EXIT, type ExitCode } from '../core/exit-codes.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export {
  uploadProjectZip,
  uploadAssetFile,
  sha256File,
  INLINE_MAX_BYTES,
  DIRECT_UPLOAD_MAX_BYTES,
  SIMPLE_UPLOAD_MAX_BYTES,
  type UploadProgress,
  type UploadProjectOptions,
  type UploadedProject,
} from './upload.js';
export {
  waitForRender,
  isTerminal,
  resumeCommand,
  formatElapsed,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type WaitForRenderOptions,
} from './poll.js';
export { downloadRenderOutputs, defaultOutputPath, type DownloadOptions, type DownloadResult } from './download.js';
export { CloudApiError } from './errors.js';
export {
  verifyWebhook,
  verifyWebhookSignature,
  computeWebhookSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  EVENT_ID_HEADER,
  X_SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SEC,
  type VerifyWebhookOptions,
  type VerifyWebhookResult,
  type WebhookVerification,
  type SignatureConvention,
} from './webhook-signature.js';
export { confirmDelivery, readDelivery, type DeliveryConfirmation } from './webhook-confirm.js';
export { DEFAULT_CONCURRENCY, type BatchEvent } from './batch-run.js';
export { classifyAddress, refuseLink, linkPolicyFor, type LinkPolicy } from './net-policy.js';
export { RENDER_PARAMS, renderParamsToRequest, checkParam, type RenderParams, type RenderParamDef } from './params.js';
export { aspectRatioOf, resolveAspectRatio, inspectProjectZip, projectInfoFromHtml, type ProjectInfo } from './project-info.js';
export { loadBatchRows, checkRenderVariables, expandNamePattern, uniqueNames } from '../options/batch-rows.js';
export { submitRender, type SubmitRenderOptions } from './submit.js';
export { runCloudRender, type RunCloudRenderOptions, type RunCloudRenderResult, type CloudRenderOutcome } from './run-cloud-render.js';
