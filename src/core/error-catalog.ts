/**
 * Every error code framesmith raises as a `FramesmithError`, as data: its area, a short title, the
 * general "what to do" and the exit code it ends the CLI with. docs/errors.md is generated from
 * this table (`node scripts/docs.mjs`), and test/unit/error-catalog.test.ts fails when code in
 * src/ throws a code that is not here, or when an entry here is thrown nowhere.
 *
 * The message stays at the place that throws (it names the file, the value, the limit); so may a
 * more precise hint. Problems of a project (the model), lint findings and runtime problems have
 * their own catalogs (src/model, src/lint/catalog.ts) and reach the CLI through
 * `FramesmithError.from(problem)`.
 *
 * Adding a code: add an entry (in its area, alphabetical), throw it, run `node scripts/docs.mjs`.
 */
import { EXIT, type ExitCode } from './exit-codes.js';

/** The part of framesmith that raises an error; docs/errors.md groups the codes by it. */
export type ErrorArea = keyof typeof ERROR_AREAS;

/** Area titles, in the order docs/errors.md shows them. */
export const ERROR_AREAS = {
  cli: 'Command line',
  project: 'Reading a project',
  build: 'Build',
  snapshot: 'Snapshot',
  render: 'Local render',
  cloud: 'Cloud (render --cloud, renders, webhooks)',
  dev: 'Dev server',
  new: 'New projects (framesmith new)',
  remote: 'Remote files, npm packages and the cache',
  vendor: 'Vendoring (framesmith vendor)',
  browser: 'Browser and local servers',
} as const;

export interface ErrorInfo {
  area: ErrorArea;
  /** What went wrong, in a few words (the message at the throw site says it precisely). */
  title: string;
  /** What to do, in general; a throw site may give a more precise hint. */
  hint: string;
  /** How the CLI exits; a list when it depends on the case (e.g. on HeyGen's answer), the first being the usual one. */
  exit: ExitCode | readonly ExitCode[];
}

const { failed, usage, auth, notFound, credits, unavailable, renderFailed, timeout, bug, cancelled } = EXIT;

export const ERROR_CATALOG = {
  // ---- command line ------------------------------------------------------------------------
  cancelled: {
    area: 'cli',
    title: 'Interrupted by Ctrl+C or SIGTERM',
    hint: 'Run the command again; temp files were removed and cloud commands print the command that resumes.',
    exit: cancelled,
  },
  file_error: {
    area: 'cli',
    title: 'A file or folder could not be read or written',
    hint: 'Check the path, its permissions and the free disk space, then run the command again.',
    exit: failed,
  },
  internal: { area: 'cli', title: 'A bug in framesmith', hint: 'Please report it with the output (the stack is printed).', exit: bug },
  invalid_arguments: { area: 'cli', title: 'The arguments cannot be read', hint: 'Run `framesmith <command> --help`.', exit: usage },
  invalid_option: {
    area: 'cli',
    title: 'A flag has a value it does not take',
    hint: 'Use a value the message lists; `framesmith <command> --help` shows each flag.',
    exit: usage,
  },
  invalid_variables: {
    area: 'cli',
    title: '--variables is not a JSON object',
    hint: 'Write an object, e.g. --variables \'{"headline":"Hi"}\' (quote it for your shell).',
    exit: usage,
  },
  invalid_variables_json: {
    area: 'cli',
    title: '--variables is not valid JSON',
    hint: 'Pass a JSON object, e.g. --variables \'{"headline":"Q3 Revenue","value":"$2.4M"}\' (quote it for your shell).',
    exit: usage,
  },
  missing_directory: {
    area: 'cli',
    title: 'No folder given to create',
    hint: 'Run `framesmith new <dir>`, or `framesmith new --list` to see the templates.',
    exit: usage,
  },
  missing_secret: { area: 'cli', title: 'No webhook secret given', hint: 'Pass --secret or set HEYGEN_WEBHOOK_SECRET.', exit: usage },
  option_not_for_mode: {
    area: 'cli',
    title: 'A flag of another mode (local or --cloud)',
    hint: 'Add --cloud to render on HeyGen, or drop the flag.',
    exit: usage,
  },
  payload_not_found: {
    area: 'cli',
    title: 'The webhook payload file cannot be read',
    hint: 'Save the raw request body to a file first and pass its path.',
    exit: usage,
  },
  renamed_option: {
    area: 'cli',
    title: 'A flag that now means something else',
    hint: 'Use the flag the message names instead.',
    exit: usage,
  },
  unknown_command: { area: 'cli', title: 'No such command', hint: 'Run `framesmith --help` for the commands.', exit: usage },
  unknown_option: {
    area: 'cli',
    title: 'No such flag for this command',
    hint: 'Run `framesmith <command> --help` for the list; the message suggests the closest flag.',
    exit: usage,
  },
  variables_file_unreadable: {
    area: 'cli',
    title: '--variables-file cannot be read',
    hint: 'Check the path (it is relative to the current folder).',
    exit: usage,
  },
  headers_not_found: {
    area: 'cli',
    title: 'The webhook headers file cannot be read',
    hint: 'Save the request headers, one `Name: value` per line, and pass that file.',
    exit: usage,
  },
  webhook_bad_payload: {
    area: 'cli',
    title: 'The delivery body names no render',
    hint: 'Pass the raw body of a hyperframes_video.* delivery, with event_data.render_id.',
    exit: usage,
  },
  webhook_bad_timestamp: {
    area: 'cli',
    title: 'The webhook timestamp is not unix seconds',
    hint: 'Pass the Heygen-Timestamp header exactly as received.',
    exit: failed,
  },
  webhook_expired: {
    area: 'cli',
    title: 'The webhook timestamp is too far from now',
    hint: 'A replayed or delayed delivery, or a wrong clock: check the machine time.',
    exit: failed,
  },
  webhook_mismatch: {
    area: 'cli',
    title: 'The webhook signature does not match',
    hint: 'Check the secret (rotate-secret replaces it) and that the body file is the exact raw bytes received.',
    exit: failed,
  },
  webhook_missing_signature: {
    area: 'cli',
    title: 'No webhook signature given',
    hint: 'Pass the Heygen-Signature header of the delivery.',
    exit: failed,
  },
  webhook_missing_timestamp: {
    area: 'cli',
    title: 'No webhook timestamp given',
    hint: 'Pass the Heygen-Timestamp header of the delivery.',
    exit: failed,
  },
  webhook_replayed: {
    area: 'cli',
    title: 'The webhook event was already received',
    hint: 'Drop it: the event was handled already (HeyGen retries deliveries; handle each event id once).',
    exit: failed,
  },
  webhook_reserialised: {
    area: 'cli',
    title: 'The webhook body is not the raw bytes received',
    hint: 'Verify the raw request body, before any JSON parsing: the signature matches it only as sent.',
    exit: failed,
  },
  webhook_unconfirmed: {
    area: 'cli',
    title: 'An unsigned delivery the API does not confirm',
    hint: 'Act on the render as `framesmith renders get <id>` shows it, never on the body alone.',
    exit: failed,
  },

  // ---- reading a project -------------------------------------------------------------------
  entry_not_found: {
    area: 'project',
    title: 'The entry HTML does not exist',
    hint: 'Pass --composition with one of the HTML files the message lists.',
    exit: failed,
  },
  entry_outside_project: {
    area: 'project',
    title: 'The entry is not inside the project',
    hint: 'Pass the entry HTML as a path inside the project, e.g. --composition vertical.html.',
    exit: failed,
  },
  file_refused: {
    area: 'project',
    title: 'A file the file-access policy refuses (outside the project, a dotfile or a secret)',
    hint: "Keep the composition's files inside the project, and not in dot folders or secret files (.env, keys).",
    exit: failed,
  },
  file_too_large: {
    area: 'project',
    title: 'A project file is over the size framesmith reads',
    hint: 'Make the file smaller, or leave it out of what the composition loads.',
    exit: failed,
  },
  project_not_a_folder: {
    area: 'project',
    title: 'The project is not a folder',
    hint: 'Pass the folder that holds the composition, e.g. `framesmith dev my-video`.',
    exit: failed,
  },
  project_not_found: {
    area: 'project',
    title: 'The project folder does not exist',
    hint: 'Pass the folder that holds index.html, or create one with `framesmith new <dir>`.',
    exit: [failed, usage],
  },
  root_missing_composition_id: {
    area: 'project',
    title: 'No composition root',
    hint: 'Mark the root element with data-composition-id, data-width and data-height.',
    exit: failed,
  },

  // ---- build -------------------------------------------------------------------------------
  bundle_failed: {
    area: 'build',
    title: 'Vite could not build the module scripts',
    hint: 'Fix the error in the script, and check that the packages it imports are installed (npm install) in the project.',
    exit: failed,
  },
  bundle_name_invalid: {
    area: 'build',
    title: 'A file name cannot be a zip entry',
    hint: 'Rename the file (letters, digits, - _ . and / between folders), or leave it out with a .framesmithignore pattern.',
    exit: failed,
  },
  bundle_file_missing: {
    area: 'build',
    title: 'The page requests a file the bundle does not hold',
    hint: 'Add the file with exactly this name (names are case-sensitive), or fix the path; files in .framesmithignore, dot folders and node_modules are left out of the bundle.',
    exit: failed,
  },
  bundle_too_large: {
    area: 'build',
    title: 'The bundle is over the upload limit',
    hint: 'Compress or shorten the largest media, or leave files the composition does not use out with a .framesmithignore file.',
    exit: failed,
  },
  entry_excluded: {
    area: 'build',
    title: 'The entry would be left out of the zip',
    hint: 'Remove the pattern that matches the entry from .framesmithignore.',
    exit: failed,
  },
  file_name_not_utf8: {
    area: 'build',
    title: 'A file name is not valid UTF-8',
    hint: 'Rename the file with a UTF-8 name, or leave it out with a .framesmithignore pattern.',
    exit: failed,
  },
  lint_failed: {
    area: 'build',
    title: 'Lint found errors; nothing was built',
    hint: 'Run `framesmith lint` for the full report and fix the errors it lists.',
    exit: failed,
  },
  zip_failed: {
    area: 'build',
    title: 'The zip could not be written',
    hint: 'Check that the output folder is writable and the disk has room.',
    exit: failed,
  },
  zip_verify_failed: {
    area: 'build',
    title: 'The zip just written cannot be read back',
    hint: 'Check the disk (space, errors) and build again. Nothing was written.',
    exit: failed,
  },

  // ---- snapshot ----------------------------------------------------------------------------
  invalid_time: {
    area: 'snapshot',
    title: 'A time outside the composition',
    hint: 'Pick times between 0 and the composition duration.',
    exit: usage,
  },

  // ---- local render ------------------------------------------------------------------------
  batch_name_collision: {
    area: 'render',
    title: 'Two batch rows would write the same file',
    hint: 'Put a variable that differs per row, or {index}, in --out-pattern.',
    exit: usage,
  },
  capture_size_mismatch: {
    area: 'render',
    title: 'Chromium drew another size than asked',
    hint: 'Try another Chromium (FRAMESMITH_BROWSER), or report this with the browser version.',
    exit: failed,
  },
  disk_full: {
    area: 'render',
    title: 'The disk is full',
    hint: 'Free some space, or write to another disk. Nothing was left behind.',
    exit: failed,
  },
  ffmpeg_failed: {
    area: 'render',
    title: 'ffmpeg failed',
    hint: 'Run with --verbose to see the ffmpeg command. If it names a file, check that it is readable media.',
    exit: failed,
  },
  ffmpeg_missing_encoder: {
    area: 'render',
    title: 'ffmpeg lacks an encoder the format needs',
    hint: 'Install a full ffmpeg build (with libx264, libvpx and prores_ks), or point FRAMESMITH_FFMPEG at one.',
    exit: failed,
  },
  ffmpeg_not_found: {
    area: 'render',
    title: 'No ffmpeg found',
    hint: 'Install ffmpeg (e.g. `sudo apt-get install ffmpeg`) or point FRAMESMITH_FFMPEG at one.',
    exit: failed,
  },
  invalid_fps: {
    area: 'render',
    title: 'The frame rate is not a whole number from 1 to 240',
    hint: 'Use e.g. 24, 25, 30 or 60 (30 for 29.97 material).',
    exit: usage,
  },
  invalid_frames: {
    area: 'render',
    title: 'The frame range is malformed or outside the composition',
    hint: 'Write first-last, inclusive, within the composition (e.g. --frames 0-89).',
    exit: usage,
  },
  no_duration: {
    area: 'render',
    title: 'The composition has no duration',
    hint: 'Set data-duration="<seconds>" on the root element.',
    exit: failed,
  },
  output_extension_mismatch: {
    area: 'render',
    title: 'The output name does not match the format',
    hint: "Leave out --format (the extension picks it), or give the file the format's extension.",
    exit: usage,
  },
  output_not_writable: {
    area: 'render',
    title: 'The video cannot be written there',
    hint: 'Pick another -o path, or move what is in the way.',
    exit: usage,
  },
  pool_mismatch: {
    area: 'render',
    title: 'The browser pool draws at another scale than the render needs',
    hint: 'A bug in a program that drives the render: give it a pool made for this resolution.',
    exit: failed,
  },
  thumbnail_would_overwrite: {
    area: 'render',
    title: 'The thumbnail would overwrite another file',
    hint: 'Pick another -o name, move that file, or pass --no-thumbnail.',
    exit: usage,
  },

  // ---- cloud -------------------------------------------------------------------------------
  aspect_ratio_conflict: {
    area: 'cloud',
    title: '--aspect-ratio does not match the composition',
    hint: 'Drop --aspect-ratio (it is taken from the composition), or author the composition at that aspect.',
    exit: usage,
  },
  batch_changed: {
    area: 'cloud',
    title: 'The batch file changed since the batch started',
    hint: 'Put the batch back as it was to resume, or delete its state file to start a new batch (renders already made stay on your account).',
    exit: usage,
  },
  batch_file_invalid: {
    area: 'cloud',
    title: 'The batch file cannot be parsed',
    hint: 'A JSON array of objects, or a CSV whose first line names the variables and each further line is one render.',
    exit: usage,
  },
  batch_file_missing: { area: 'cloud', title: 'The batch file cannot be read', hint: 'Pass a .json or .csv file of rows.', exit: usage },
  batch_pattern_invalid: {
    area: 'cloud',
    title: 'The name pattern uses a field a row lacks',
    hint: 'Use variable ids present in every row, {index} or {format}.',
    exit: usage,
  },
  batch_state_invalid: {
    area: 'cloud',
    title: 'The batch state file is damaged or from another version',
    hint: 'Look at it, and delete it to start the batch over (renders already made stay on your account: `framesmith renders list`).',
    exit: usage,
  },
  cloud_bad_response: {
    area: 'cloud',
    title: 'HeyGen answered something that is not JSON',
    hint: 'Check HEYGEN_API_URL: it must point at the API, not a web page.',
    exit: failed,
  },
  cloud_conflict: {
    area: 'cloud',
    title: 'HeyGen is still processing an earlier request',
    hint: 'Wait a few seconds and try again with the same --idempotency-key.',
    exit: unavailable,
  },
  cloud_download_failed: {
    area: 'cloud',
    title: 'The video could not be downloaded',
    hint: 'The render is finished in the cloud; try again later with `framesmith renders get <id> --download`.',
    exit: [unavailable, failed],
  },
  cloud_download_interrupted: {
    area: 'cloud',
    title: 'The download was cut off repeatedly',
    hint: 'The render is finished in the cloud; fetch it again with `framesmith renders get <id> --download`.',
    exit: unavailable,
  },
  cloud_download_write: {
    area: 'cloud',
    title: 'The downloaded video could not be written',
    hint: 'Free some space or pick another place with -o, then `framesmith renders get <id> --download`.',
    exit: failed,
  },
  cloud_forbidden: {
    area: 'cloud',
    title: 'The API key may not do this (403)',
    hint: 'Use a key of the account that owns this resource, with API access enabled.',
    exit: auth,
  },
  cloud_http_error: {
    area: 'cloud',
    title: 'HeyGen answered an unexpected HTTP status',
    hint: 'Run with --verbose and report the answer if it persists.',
    exit: failed,
  },
  cloud_invalid_parameter: {
    area: 'cloud',
    title: 'HeyGen rejected a parameter (400/422)',
    hint: 'Fix the parameter named (see `framesmith render --help`) and submit again.',
    exit: usage,
  },
  cloud_link_expired: {
    area: 'cloud',
    title: 'The download link has expired',
    hint: 'Fetch fresh links with `framesmith renders get <id> --download`.',
    exit: failed,
  },
  cloud_link_refused: {
    area: 'cloud',
    title: 'A download or upload link was refused before connecting',
    hint: 'framesmith fetches links only over https, and never from this machine, the local network or link-local addresses unless the API itself is there.',
    exit: failed,
  },
  cloud_no_credits: {
    area: 'cloud',
    title: 'The account has no credits (402)',
    hint: 'Add credits or upgrade the plan in the HeyGen dashboard; drafts and 1080p cost less than high/4k.',
    exit: credits,
  },
  cloud_not_found: {
    area: 'cloud',
    title: 'No such render, asset or endpoint (404)',
    hint: 'Check the id; `framesmith renders list` and `framesmith webhooks list` show them.',
    exit: notFound,
  },
  cloud_rate_limited: {
    area: 'cloud',
    title: 'HeyGen kept answering "too many requests" (429)',
    hint: 'Wait a minute and run the command again; with many renders, submit them as one --batch.',
    exit: unavailable,
  },
  cloud_redirect_refused: {
    area: 'cloud',
    title: 'HeyGen answered with a redirect framesmith does not follow',
    hint: 'Check HEYGEN_API_URL (unset it for https://api.heygen.com); a proxy may be redirecting.',
    exit: failed,
  },
  cloud_render_not_ready: {
    area: 'cloud',
    title: 'The render has no video yet',
    hint: 'Wait for it and download it with `framesmith renders get <id> --download`; if it failed, the message says why.',
    exit: [failed, renderFailed],
  },
  cloud_server_error: {
    area: 'cloud',
    title: 'HeyGen kept failing (5xx)',
    hint: "This is on HeyGen's side; try again in a few minutes. A render already submitted keeps going: check `framesmith renders list`.",
    exit: unavailable,
  },
  cloud_too_large: {
    area: 'cloud',
    title: 'The project is too large for HeyGen (413)',
    hint: 'Keep the zip under 200 MB: compress media, drop unused files (add them to .framesmithignore).',
    exit: usage,
  },
  cloud_unauthorized: {
    area: 'cloud',
    title: 'HeyGen rejected the API key (401)',
    hint: 'Check the key at https://app.heygen.com/settings (API) and set it again with --api-key, HEYGEN_API_KEY or the project .env.',
    exit: auth,
  },
  cloud_unreachable: {
    area: 'cloud',
    title: 'HeyGen could not be reached',
    hint: 'Check the network (and HEYGEN_API_URL if you set it), then run the command again. A render already submitted keeps going.',
    exit: unavailable,
  },
  cloud_upload_failed: {
    area: 'cloud',
    title: 'The project zip could not be uploaded',
    hint: 'The upload link expired or its signature did not match; run the command again for a fresh one.',
    exit: [unavailable, usage],
  },
  cloud_wait_timeout: {
    area: 'cloud',
    title: '--timeout passed while the render was running',
    hint: 'It keeps going in the cloud; resume with `framesmith renders get <id> --download` (or raise --timeout).',
    exit: timeout,
  },
  invalid_api_url: {
    area: 'cloud',
    title: 'The API URL is not an http(s) URL',
    hint: 'Unset it to use the default, or set a full URL such as https://api.heygen.com.',
    exit: usage,
  },
  invalid_api_key: {
    area: 'cloud',
    title: 'The API key or token contains spaces or control characters',
    hint: 'Copy the value again without quotes, spaces or line breaks.',
    exit: auth,
  },
  invalid_project_source: {
    area: 'cloud',
    title: 'More than one project source',
    hint: 'Use a project folder (built for you), --asset-id of an uploaded zip, or --url of a public https zip.',
    exit: usage,
  },
  invalid_render_parameters: {
    area: 'cloud',
    title: 'A render parameter HeyGen does not accept',
    hint: 'Fix the flags listed (see `framesmith render --help`).',
    exit: usage,
  },
  invalid_zip: { area: 'cloud', title: 'The project zip cannot be read', hint: 'Rebuild it with `framesmith build`.', exit: usage },
  missing_api_key: {
    area: 'cloud',
    title: 'No API key',
    hint: 'Pass --api-key, set HEYGEN_API_KEY, or put it in the project .env.',
    exit: auth,
  },
  project_entry_missing: {
    area: 'cloud',
    title: 'The zip has no such entry HTML',
    hint: "Pass --composition with one of the HTML files at the zip's root.",
    exit: usage,
  },
  render_failed: {
    area: 'cloud',
    title: 'The cloud render failed',
    hint: 'Check the composition with `framesmith lint` and a local `framesmith render`, then submit again.',
    exit: renderFailed,
  },
  unsupported_aspect_ratio: {
    area: 'cloud',
    title: 'HeyGen renders only 16:9, 9:16 and 1:1',
    hint: 'Set data-width/data-height on the root to e.g. 1920x1080, 1080x1920 or 1080x1080.',
    exit: usage,
  },
  zip_empty: { area: 'cloud', title: 'The project zip is empty', hint: 'Rebuild it with `framesmith build`.', exit: usage },
  zip_not_found: {
    area: 'cloud',
    title: 'The project zip does not exist',
    hint: 'Build it with `framesmith build`, or pass the path of an existing zip.',
    exit: usage,
  },

  // ---- dev server --------------------------------------------------------------------------
  dev_listen_failed: {
    area: 'dev',
    title: 'The dev server cannot listen on that address',
    hint: 'Pass a --host that is an address of this machine.',
    exit: failed,
  },
  dev_port_busy: { area: 'dev', title: 'Every port tried is in use', hint: 'Stop the other servers or pass another --port.', exit: failed },
  bad_request: {
    area: 'dev',
    title: "A request to the preview's own API that it does not take",
    hint: 'The endpoint is for the preview page: use the render panel or the dataset view.',
    exit: usage,
  },
  cloud_not_confirmed: {
    area: 'dev',
    title: 'A cloud render from the preview was not confirmed',
    hint: 'Submit from the render panel, which shows what will be rendered and asks once.',
    exit: usage,
  },
  composition_unreadable: {
    area: 'dev',
    title: 'The composition cannot be read, so it cannot be rendered',
    hint: 'Fix the problems the preview shows, then render.',
    exit: usage,
  },
  dataset_path: {
    area: 'dev',
    title: 'No dataset file named, or one outside the project',
    hint: 'Pick a .csv or .json file of the project.',
    exit: usage,
  },
  dataset_too_large: {
    area: 'dev',
    title: 'The dataset file is too large for the dataset view',
    hint: 'Split the rows into smaller files, or render them from the terminal: framesmith render --batch <file>.',
    exit: usage,
  },
  dataset_type: {
    area: 'dev',
    title: 'The dataset is not a .csv or .json file',
    hint: 'Use a CSV with a header row of variable ids, or a JSON array of objects (as framesmith render --batch takes).',
    exit: usage,
  },
  invalid_job: {
    area: 'dev',
    title: 'A render request from the preview is malformed',
    hint: 'Send kind "local" or "cloud" with the options the render panel sends.',
    exit: usage,
  },
  invalid_output_name: {
    area: 'dev',
    title: 'The output name is not a file name inside renders/',
    hint: 'Type e.g. promo, or campaign/{headline} for a batch.',
    exit: usage,
  },
  job_not_found: {
    area: 'dev',
    title: 'No such render in the queue',
    hint: 'It may have been removed; the render panel lists the queue.',
    exit: failed,
  },
  job_running: {
    area: 'dev',
    title: 'The render is still queued or running',
    hint: 'Cancel it first, or wait for it to end.',
    exit: usage,
  },
  server_stopping: { area: 'dev', title: 'The dev server is stopping', hint: 'Start framesmith dev again, then render.', exit: failed },

  // ---- new projects ------------------------------------------------------------------------
  invalid_package_json: {
    area: 'new',
    title: "The folder's package.json is not a JSON object",
    hint: 'Fix or remove that package.json, then run `framesmith new` again.',
    exit: failed,
  },
  invalid_template_manifest: {
    area: 'new',
    title: "A template's template.json is invalid",
    hint: 'Fix the manifest; its fields are described in CONTRIBUTING.md.',
    exit: failed,
  },
  target_conflict: {
    area: 'new',
    title: 'A folder stands where the template has a file',
    hint: 'Move that folder away or choose another target folder.',
    exit: failed,
  },
  target_is_file: {
    area: 'new',
    title: 'The target is a file',
    hint: 'Give `framesmith new` a folder path that does not exist yet or is an empty folder.',
    exit: usage,
  },
  target_not_empty: {
    area: 'new',
    title: 'The target folder is not empty',
    hint: 'Choose a new or empty folder, or pass --force to write the template into it.',
    exit: usage,
  },
  target_not_writable: {
    area: 'new',
    title: 'The target cannot be written',
    hint: 'Pick a folder you can write to, or fix its permissions.',
    exit: failed,
  },
  target_parent_not_folder: {
    area: 'new',
    title: 'A parent of the target is a file',
    hint: 'Pick a path whose parent folders are folders.',
    exit: failed,
  },
  unknown_font: {
    area: 'new',
    title: 'A template names a font framesmith does not bundle',
    hint: 'Use one of the fonts the message lists.',
    exit: failed,
  },
  unknown_template: { area: 'new', title: 'No such template', hint: 'Run `framesmith new --list` for the templates.', exit: usage },
  unsupported_aspect: {
    area: 'new',
    title: 'The template is not laid out for that aspect',
    hint: 'Pick one of the aspects the template supports (the message lists them).',
    exit: usage,
  },
  vendor_package_missing: {
    area: 'new',
    title: 'A package the templates copy from is not installed',
    hint: 'Reinstall framesmith (`npm install`): its templates copy GSAP and fonts from its own dependencies.',
    exit: failed,
  },

  // ---- remote files, npm, cache ------------------------------------------------------------
  cache_write_failed: {
    area: 'remote',
    title: 'The framesmith cache cannot be written',
    hint: 'Free some disk space or make the folder writable, or point FRAMESMITH_CACHE_DIR at another folder.',
    exit: failed,
  },
  cache_unsafe: {
    area: 'remote',
    title: 'The cache folder cannot be made private',
    hint: 'Make the folder writable, or point FRAMESMITH_CACHE_DIR at a folder of your own.',
    exit: failed,
  },
  font_family_not_in_fontsource: {
    area: 'remote',
    title: 'No @fontsource package for the font family',
    hint: 'Check the family name; or add the font files to the project (fonts/) with an @font-face rule for them.',
    exit: failed,
  },
  fontsource_package_invalid: {
    area: 'remote',
    title: 'An @fontsource package cannot be read',
    hint: 'Reinstall the package (or delete it from the framesmith cache folder so it is fetched again).',
    exit: failed,
  },
  invalid_size: {
    area: 'remote',
    title: 'A size setting is not a size',
    hint: 'Write bytes or a number with K, M or G, e.g. 50M.',
    exit: usage,
  },
  npm_file_not_found: {
    area: 'remote',
    title: 'The npm package has no such file',
    hint: "Check the path in the URL against the package's files (`npm pack <pkg>@<version> --dry-run` lists them).",
    exit: failed,
  },
  npm_integrity_mismatch: {
    area: 'remote',
    title: 'An npm package failed its integrity check',
    hint: 'Try again; if it persists, the registry or a mirror serves a tampered file.',
    exit: failed,
  },
  npm_package_not_found: { area: 'remote', title: 'No such npm package', hint: 'Check the package name in the URL.', exit: failed },
  npm_registry_error: {
    area: 'remote',
    title: 'The npm registry answered something unusable',
    hint: 'Check the registry setting (FRAMESMITH_NPM_REGISTRY or registry= in .npmrc).',
    exit: failed,
  },
  npm_registry_unreachable: {
    area: 'remote',
    title: 'The npm registry cannot be reached',
    hint: 'Connect once (the files are kept for offline use), or set FRAMESMITH_NPM_REGISTRY / registry= in .npmrc to a registry you can reach.',
    exit: failed,
  },
  npm_tarball_invalid: {
    area: 'remote',
    title: 'An npm tarball is not valid',
    hint: 'Try again; if it persists, report the package.',
    exit: failed,
  },
  npm_version_not_found: {
    area: 'remote',
    title: 'No version of the package matches',
    hint: 'Pick an existing version (`npm view <pkg> versions`).',
    exit: failed,
  },
  remote_http_error: {
    area: 'remote',
    title: 'A remote server answered an error',
    hint: 'The server has a problem; try again later.',
    exit: failed,
  },
  remote_local_address: {
    area: 'remote',
    title: 'A remote URL points at this machine or a private network',
    hint: 'Put the file into the project; for a mirror on your own network, list its host in FRAMESMITH_REMOTE_ALLOW_HOSTS.',
    exit: failed,
  },
  remote_not_found: {
    area: 'remote',
    title: 'A remote file does not exist (404)',
    hint: 'Check the URL (a version or file name may be wrong).',
    exit: failed,
  },
  remote_redirect_loop: {
    area: 'remote',
    title: 'A remote URL redirects in a loop',
    hint: 'Fix the URL, or download the file into the project.',
    exit: failed,
  },
  remote_timeout: {
    area: 'remote',
    title: 'A remote server did not answer in time',
    hint: 'Check your connection, or raise FRAMESMITH_FETCH_TIMEOUT_MS; once fetched, framesmith keeps a copy.',
    exit: failed,
  },
  remote_too_large: {
    area: 'remote',
    title: 'A remote file is over the cache limit',
    hint: 'Put the file into the project yourself, or raise FRAMESMITH_CACHE_MAX_ENTRY (e.g. 200M).',
    exit: failed,
  },
  remote_unavailable: {
    area: 'remote',
    title: 'A remote file could not be had',
    hint: 'Run `framesmith vendor` once online to copy it into the project, or put the file into the project yourself.',
    exit: failed,
  },
  unsupported_url_scheme: {
    area: 'remote',
    title: 'A reference uses a scheme nothing can load (ftp:, file:, …)',
    hint: 'Put the file into the project and reference it with a relative path.',
    exit: failed,
  },
  remote_unexpected_html: {
    area: 'remote',
    title: 'A remote server answered an HTML page',
    hint: 'The server answered with an error or login page; check the URL, or download the right file into the project.',
    exit: failed,
  },
  remote_unreachable: {
    area: 'remote',
    title: 'A remote file could not be fetched',
    hint: 'Check the address and your connection; once fetched, framesmith keeps a copy and works offline.',
    exit: failed,
  },
  remote_unsupported_scheme: {
    area: 'remote',
    title: 'A URL scheme other than http(s)',
    hint: 'Put the file into the project and reference it with a relative path.',
    exit: failed,
  },

  // ---- vendor ------------------------------------------------------------------------------
  project_read_only: {
    area: 'vendor',
    title: 'The project folder is not writable',
    hint: 'Make the folder writable (or vendor a copy of it), then run `framesmith vendor` again.',
    exit: usage,
  },
  vendor_write_failed: {
    area: 'vendor',
    title: 'A vendored file could not be written',
    hint: 'Check the disk space and the folder, then run `framesmith vendor` again.',
    exit: failed,
  },

  // ---- browser and local servers -----------------------------------------------------------
  browser_launch_failed: {
    area: 'browser',
    title: 'Chromium could not be started',
    hint: 'Check that the browser runs (`<browser> --version`), or point FRAMESMITH_BROWSER to another Chromium.',
    exit: failed,
  },
  browser_failed: {
    area: 'browser',
    title: 'Chromium closed during the work',
    hint: 'Run the command again; if it keeps happening, check the memory available.',
    exit: failed,
  },
  browser_not_found: {
    area: 'browser',
    title: 'No Chromium or Chrome found',
    hint: 'Install one (`sudo apt-get install chromium`), or set FRAMESMITH_BROWSER to the path of a Chromium or Chrome binary.',
    exit: failed,
  },
  page_not_ready: {
    area: 'browser',
    title: 'The composition page did not become ready in time',
    hint: 'Check the browser console output of `framesmith dev`, and that scripts do not wait on the network.',
    exit: failed,
  },
  page_crashed: {
    area: 'browser',
    title: "The page's renderer crashed (often: out of memory)",
    hint: 'Reduce what the page holds in memory (very large images, canvases or DOM trees); `framesmith dev` shows the page live.',
    exit: failed,
  },
  page_stuck: {
    area: 'browser',
    title: 'A script of the page ran too long without a break',
    hint: 'Look for a loop that never ends or very heavy work per frame (`framesmith lint` flags endless loops).',
    exit: failed,
  },
  page_timeout: {
    area: 'browser',
    title: 'The page waited too long for something',
    hint: 'Check that the page does not wait on the network or on a promise that never settles (fonts, media, fetch).',
    exit: failed,
  },
  server_failed: {
    area: 'browser',
    title: 'The local file server could not start',
    hint: 'Check that 127.0.0.1 accepts connections (no firewall rule against loopback).',
    exit: failed,
  },
} as const satisfies Record<string, ErrorInfo>;

/** Every code a `FramesmithError` may carry (besides the codes of problems it is made from). */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** Whether `code` is in the catalog. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}

/** The exit codes an error code ends the CLI with (one, or several when it depends on the case). */
export function exitCodesOf(code: ErrorCode): readonly ExitCode[] {
  const exit: ExitCode | readonly ExitCode[] = ERROR_CATALOG[code].exit;
  return typeof exit === 'number' ? [exit] : exit;
}

/** The Markdown index of docs/errors.md: one table per area. */
export function renderErrorIndex(): string {
  // `<` and `>` are escaped outside code spans only (inside them Markdown shows entities as typed).
  const cell = (s: string) =>
    s
      .split('`')
      .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
      .join('`')
      .replace(/\|/g, '\\|');
  const codes = (Object.keys(ERROR_CATALOG) as ErrorCode[]).sort();
  const out: string[] = [];
  for (const [area, title] of Object.entries(ERROR_AREAS)) {
    const rows = codes.filter((c) => ERROR_CATALOG[c].area === area);
    if (!rows.length) continue;
    out.push(`### ${title}`, '', '| code | exit | what went wrong | what to do |', '|---|---|---|---|');
    for (const c of rows)
      out.push(`| \`${c}\` | ${exitCodesOf(c).join(', ')} | ${cell(ERROR_CATALOG[c].title)} | ${cell(ERROR_CATALOG[c].hint)} |`);
    out.push('');
  }
  out.push(`${codes.length} error codes.`);
  return out.join('\n');
}
