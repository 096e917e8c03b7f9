/**
 * The HeyGen HyperFrames cloud side of framesmith as a library: the typed client, the upload,
 * polling and download flows, webhook signatures, and `runCloudRender` (the whole flow).
 */
export * from './types.js';
export { resolveApiKey, resolveBaseUrl, redact, wrapApiKey, API_KEY_ENV, API_URL_ENV, DEFAULT_API_URL, type ResolvedApiKey, type ResolveApiKeyOptions, type ApiKeySource } from './api-key.js';
export { createCloudClient, newIdempotencyKey, checkIdempotencyKey, type CloudClient, type CloudClientOptions, type CallOptions } from './client.js';
export { CLOUD_EXIT } from './exit-codes.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export { uploadProjectZip, uploadAssetFile, sha256File, INLINE_MAX_BYTES, DIRECT_UPLOAD_MAX_BYTES, SIMPLE_UPLOAD_MAX_BYTES, type UploadProgress, type UploadProjectOptions, type UploadedProject } from './upload.js';
export { waitForRender, isTerminal, resumeCommand, formatElapsed, DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS, type WaitForRenderOptions } from './poll.js';
export { downloadRenderOutputs, defaultOutputPath, type DownloadOptions, type DownloadResult } from './download.js';
export { verifyWebhookSignature, computeWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_ID_HEADER, DEFAULT_TOLERANCE_SEC, type VerifyWebhookOptions, type VerifyWebhookResult } from './webhook-signature.js';
export { RENDER_PARAMS, renderParamsToRequest, checkParam, type RenderParams, type RenderParamDef } from './params.js';
export { aspectRatioOf, resolveAspectRatio, inspectProjectZip, projectInfoFromHtml, type ProjectInfo } from './project-info.js';
export { loadBatchRows, checkRenderVariables, expandNamePattern, uniqueNames } from '../options/batch-rows.js';
export { abortOnInterrupt, createStatusLine } from './status-line.js';
export { submitRender, type SubmitRenderOptions } from './submit.js';
export { clientFromArgs, followRender } from './command-support.js';
export { runCloudRender, type RunCloudRenderOptions, type RunCloudRenderResult, type CloudRenderOutcome } from './run-cloud-render.js';
export { cloudRenderArgs, cloudRenderOptionsFromArgs, apiKeyArg, readVariablesFlags } from './args.js';
