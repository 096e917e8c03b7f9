/**
 * Every diagnostic code `framesmith lint` can print, with its severity, what it means and how to
 * fix it. Codes are the official HyperFrames lint codes where the meaning is the same (`official`
 * true), so a user searching either tool's docs finds the same rule. The parser (src/model)
 * reports some of them while reading the project; lint reports the rest. The README table is
 * generated from this list (scripts/docs.mjs), so docs and behaviour stay one.
 */
import type { Severity } from '../../shared/diagnostics.js';
import { RESOURCE_RULES, type ResourceCase } from '../../shared/resource-rules.js';

export interface RuleInfo {
  code: string;
  severity: Severity;
  /** What it means, one sentence. */
  title: string;
  /** What to do about it. */
  hint: string;
  /** Same code and meaning as the official HyperFrames lint. */
  official: boolean;
  /** Who reports it: the model parser while reading, or a lint rule. */
  by: 'parser' | 'lint';
  /** Rule group, for the docs. */
  group: 'structure' | 'timing' | 'timeline' | 'variables' | 'assets' | 'media' | 'scripts' | 'css';
}

type Row = [code: string, severity: Severity, official: boolean, by: RuleInfo['by'], group: RuleInfo['group'], title: string, hint: string];

function resourceRow(c: ResourceCase): Row {
  const r = RESOURCE_RULES[c];
  return [r.code, r.severity, false, 'lint', 'assets', r.title, r.hint];
}

const ROWS: Row[] = [
  // Structure of the entry and its root
  ['root_missing_composition_id', 'error', true, 'parser', 'structure', 'No element in the entry\'s <body> has data-composition-id.', 'Mark the root: <div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="10">.'],
  ['root_missing_dimensions', 'error', true, 'parser', 'structure', 'The root has no data-width or data-height.', 'Add data-width and data-height in pixels, e.g. 1920 and 1080.'],
  ['root_composition_missing_duration_source', 'error', true, 'parser', 'structure', 'The root has no data-duration, so the length is unknown.', 'Add data-duration in seconds to the root; scripts cannot change the length.'],
  ['invalid_attribute_value', 'error', false, 'parser', 'structure', 'A numeric data-* attribute holds something that is not a valid number.', 'Write the value as a plain number, e.g. data-duration="6".'],
  ['invalid_fps', 'error', false, 'parser', 'structure', 'data-fps is not a whole number from 1 to 240.', 'Use a whole number such as 24, 30 or 60.'],
  ['root_composition_missing_html_wrapper', 'error', true, 'lint', 'structure', 'The entry file is a fragment, not a full document with <!doctype html>, <html> and <body>.', 'Wrap the markup in <!doctype html><html><head>…</head><body>…</body></html>.'],
  ['standalone_composition_wrapped_in_template', 'error', true, 'parser', 'structure', 'The entry file wraps its composition in <template>.', 'Remove the <template> wrapper: only sub-composition files use one.'],
  ['html_dir_attribute', 'error', false, 'lint', 'structure', '<html dir="…"> is set; the official renderer draws black frames for it.', 'Remove dir from <html> and set `direction` in CSS on the elements that need it.'],
  ['unsupported_aspect_ratio', 'error', false, 'lint', 'structure', 'The root size is not 16:9, 9:16 or 1:1, the only shapes the cloud renders.', 'Use e.g. 1920x1080, 1080x1920 or 1080x1080 (or 1280x720, 3840x2160…).'],
  ['duplicate_composition_id', 'error', true, 'lint', 'structure', 'Several elements in one file carry the same data-composition-id.', 'Give every composition root and host a unique data-composition-id.'],
  ['host_missing_composition_id', 'error', true, 'parser', 'structure', 'An element with data-composition-src has no data-composition-id.', 'Give the host the data-composition-id of the root inside the sub-composition file.'],
  ['missing_or_empty_sub_composition', 'error', true, 'parser', 'structure', 'data-composition-src points to a missing file or one without the matching root.', 'Fix the path (from the project root) and make the file\'s root carry the host\'s data-composition-id.'],
  ['subcomposition_cycle', 'error', false, 'parser', 'structure', 'Sub-composition files load each other in a loop.', 'Remove the host that loads a file already on the way.'],
  ['subcomposition_root_styled_by_class', 'error', true, 'lint', 'structure', 'A sub-composition root is styled through a class; scoped CSS cannot reach it that way.', 'Style the sub-composition root by its #id (or [data-composition-id]) instead of the class.'],
  ['deprecated_data_layer', 'error', true, 'lint', 'structure', 'data-layer is the old name of data-track-index.', 'Rename data-layer to data-track-index.'],
  ['deprecated_data_end', 'error', true, 'lint', 'structure', 'data-end is no longer read.', 'Replace data-end with data-duration (end minus start).'],
  ['file_too_large', 'error', false, 'parser', 'structure', 'An HTML file is over 20 MB or has more than 500,000 elements, or a CSS or script file is over 10 MB (framesmith\'s limits); it is not read.', 'Split the file, or move large data out of it (media as files, data as JSON fetched at run time); FRAMESMITH_MAX_FILE_MB raises the limit.'],
  ['nesting_too_deep', 'error', false, 'parser', 'structure', 'Elements or CSS blocks nest deeper than 1,000 levels, or script code deeper than 200 brackets (framesmith\'s limits); the file is not checked further.', 'Flatten the nesting (browsers flatten HTML nested deeper than 512 elements anyway); FRAMESMITH_MAX_DEPTH raises the limit.'],
  // Clip timing
  ['invalid_data_start', 'error', false, 'parser', 'timing', 'data-start is neither seconds nor a clip reference.', 'Write seconds (data-start="1.5") or a clip id with an offset (data-start="intro + 0.5").'],
  ['unknown_start_reference', 'error', false, 'parser', 'timing', 'data-start refers to a clip id that does not exist in the composition.', 'Reference the id of another timed element in the same composition.'],
  ['start_reference_cycle', 'error', false, 'parser', 'timing', 'Clip start references form a cycle.', 'Give one clip of the cycle a start in seconds.'],
  ['timed_element_missing_clip_class', 'warning', true, 'lint', 'timing', 'An element with data-start lacks class="clip".', 'Add class="clip" so the engine treats it as a clip in every tool.'],
  ['timeline_element_missing_timing', 'warning', true, 'lint', 'timing', 'A timed element has data-start but no data-duration.', 'Add data-duration in seconds.'],
  ['overlapping_clips_on_track', 'warning', false, 'lint', 'timing', 'Two clips on the same data-track-index overlap in time.', 'Move one clip to another track, or change the start/duration so they do not overlap.'],
  ['clip_ends_past_root_duration', 'warning', true, 'lint', 'timing', 'A clip ends after the composition does and is cut off.', 'Shorten the clip or lengthen the root\'s data-duration.'],
  // Timelines
  ['missing_timeline_registry', 'error', true, 'lint', 'timeline', 'The entry\'s scripts never register a timeline in window.__timelines.', 'Add `window.__timelines = window.__timelines || {}; window.__timelines["<id>"] = tl;`, or data-no-timeline on the root.'],
  ['gsap_timeline_not_registered', 'error', true, 'lint', 'timeline', 'A GSAP timeline is created but never stored in window.__timelines.', 'Register it: window.__timelines["<composition id>"] = tl.'],
  ['timeline_id_mismatch', 'error', true, 'lint', 'timeline', 'A timeline is registered under a key that no data-composition-id in the file has.', 'Use the data-composition-id of the composition as the key.'],
  ['gsap_infinite_repeat', 'warning', true, 'lint', 'timeline', 'A tween repeats forever (repeat: -1); the timeline has no finite length (an error when the root has no data-duration).', 'Use a finite repeat count that fits the composition\'s duration.'],
  ['gsap_animates_clip_element', 'error', true, 'lint', 'timeline', 'A tween sets visibility, display or autoAlpha on a clip element, fighting the engine\'s clip visibility.', 'Animate a child of the clip (or its opacity) instead.'],
  ['timeline_property_unavailable', 'error', false, 'lint', 'timeline', 'A script reads a property of a GSAP timeline (tl.labels, tl.vars, tl.data, tl.parent, ...) that HeyGen\'s renderer does not provide: it hands scripts a stand-in that forwards the timeline\'s methods only, so the value is undefined there and the render can fail.', 'Use the label name as the position ("hold5+=0.05") instead of tl.labels; keep other values in variables of your own.'],
  ['missing_gsap_script', 'error', true, 'lint', 'timeline', 'Scripts use gsap but no script loads GSAP.', 'Add <script src="vendor/gsap.min.js"></script> before the scripts (or import gsap in a module).'],
  // Variables
  ['invalid_composition_variables_declaration', 'error', true, 'parser', 'variables', 'data-composition-variables is not a valid JSON array of declarations.', 'Each entry needs id, type, label and a default of that type; enums need options.'],
  ['invalid_variable_values_json', 'error', true, 'parser', 'variables', 'data-variable-values is not a JSON object.', 'Write a JSON object in single quotes: data-variable-values=\'{"title":"Hi"}\'.'],
  ['unknown_variable_binding', 'warning', true, 'lint', 'variables', 'data-var-text or data-var-src names a variable that is not declared.', 'Declare the variable in data-composition-variables, or fix the name.'],
  ['unknown_variable_value', 'warning', false, 'lint', 'variables', 'data-variable-values sets a variable the sub-composition does not declare, or a value of the wrong type.', 'Use the ids and types declared in the sub-composition file.'],
  ['media_variable_src_no_fallback', 'warning', true, 'lint', 'variables', 'An element uses data-var-src without its own src to show before variables apply.', 'Add a src with the default file.'],
  // Assets
  ['invalid_parent_traversal_in_asset_path', 'error', true, 'parser', 'assets', 'A path climbs above the project root with ../ and will not be in the bundle.', 'Move the file into the project and reference it from the project root.'],
  ['missing_local_asset', 'error', true, 'lint', 'assets', 'A referenced local file does not exist.', 'Add the file or fix the path (HTML paths resolve from the project root).'],
  ['asset_case_mismatch', 'error', false, 'lint', 'assets', 'A reference differs in letter case from the file; the cloud renders on case-sensitive Linux.', 'Write the path with exactly the file\'s letter case (or rename the file).'],
  ['file_refused', 'error', false, 'lint', 'assets', 'A referenced file is outside the project, a dotfile or inside a dot folder, or named like a key or credential (also through a symlink); framesmith never serves or bundles it.', 'Copy the file the composition needs into the project under an ordinary name; keep secrets such as .env out of what pages load.'],
  // Remote and missing files: severity and words from the one rule table (shared/resource-rules.ts).
  resourceRow('remote_cached'),
  resourceRow('remote_not_cached'),
  resourceRow('unsupported_scheme'),
  // Media
  ['media_missing_id', 'error', true, 'lint', 'media', 'A timed <video>/<audio> has no id.', 'Give every media element a unique id.'],
  ['media_missing_src', 'error', true, 'lint', 'media', 'A timed <video>/<audio> has no src or <source>.', 'Add src="media/file.mp4".'],
  ['media_missing_data_start', 'error', true, 'lint', 'media', 'A <video>/<audio> with a source has no data-start.', 'Add data-start (and data-track-index) so the engine plays it.'],
  ['video_missing_muted', 'error', true, 'lint', 'media', 'A timed <video> is neither muted nor marked data-has-audio.', 'Add muted playsinline (and data-has-audio="true" when its sound belongs in the mix).'],
  ['duplicate_media_id', 'error', true, 'lint', 'media', 'Several media elements share an id.', 'Give every media element its own id.'],
  ['media_preload_none', 'warning', true, 'lint', 'media', 'A media element has preload="none".', 'Remove preload="none"; the engine needs the media loaded to seek it.'],
  ['media_crossorigin_breaks_preview', 'error', true, 'lint', 'media', 'A media element has a crossorigin attribute.', 'Remove crossorigin.'],
  ['self_closing_media_tag', 'error', true, 'lint', 'media', '<video/> or <audio/> is written self-closing; HTML swallows the markup after it.', 'Write <video …></video>.'],
  ['placeholder_media_url', 'error', true, 'lint', 'media', 'A source points at a placeholder image service.', 'Put the real file in the project.'],
  ['base64_media_prohibited', 'error', true, 'lint', 'media', 'Audio or video is inlined as a base64 data: URL.', 'Save the media as a file in the project and reference it.'],
  ['imperative_media_control', 'error', true, 'lint', 'media', 'A script calls play()/pause() or sets currentTime on a media element; the engine owns media time.', 'Remove it; time media with data-start, data-duration and data-media-start.'],
  // Scripts
  ['non_deterministic_code', 'error', true, 'lint', 'scripts', 'A script reads the wall clock or randomness (Date.now, new Date(), performance.now, Math.random, crypto.getRandomValues).', 'Derive values from the timeline\'s time, and use a seeded generator for randomness.'],
  ['requestanimationframe_in_composition', 'error', true, 'lint', 'scripts', 'A script drives animation with requestAnimationFrame, which a seek cannot reproduce.', 'Put the motion on the GSAP timeline (or a tween\'s onUpdate).'],
  ['timer_in_composition', 'warning', false, 'lint', 'scripts', 'A script uses setTimeout or setInterval; HeyGen\'s renderer runs them on real time while it captures frames, so their effects land on other frames in every render.', 'Put the change on the GSAP timeline (tl.call or a tween) at the time it should happen. A timer that only delays setting up the timeline at load is harmless.'],
  ['engine_global_defined', 'error', false, 'lint', 'scripts', 'A script defines a global the engine owns (__player, __hf, __playerReady, __renderReady, __hyperframes, __hfVariables, __framesmith).', 'Rename your variable; the engine sets these itself.'],
  ['invalid_inline_script_syntax', 'error', true, 'lint', 'scripts', 'An inline <script> is not valid JavaScript.', 'Fix the syntax error at the location shown.'],
  ['script_syntax_error', 'error', false, 'lint', 'scripts', 'A local script file is not valid JavaScript.', 'Fix the syntax error at the location shown.'],
  ['infinite_loop', 'error', false, 'lint', 'scripts', 'A `while (true)`, `do … while (true)` or `for (;;)` loop has no break, return, throw or await: once entered it never ends, and the page hangs.', 'Give the loop an exit (a condition, break or return), or put the repetition on the timeline.'],
  // CSS
  ['css_parse_error', 'error', true, 'lint', 'css', 'A <style> block or .css file does not parse.', 'Fix the CSS syntax at the location shown.'],
  ['css_transition_used', 'warning', true, 'lint', 'css', 'A CSS transition is used; transitions run on the wall clock and cannot be sought.', 'Animate with the GSAP timeline or a CSS @keyframes animation instead.'],
  ['font_family_without_font_face', 'warning', true, 'lint', 'css', 'A font family has no face in the cloud: HeyGen\'s engine does not know it, Google Fonts does not serve it as the engine asks, and the project ships no @font-face; the next family is drawn.', 'Ship the font (its .woff2 in fonts/ and an @font-face; `framesmith vendor` does this for Google Fonts families), or use a family the engine has (Inter, Roboto, Montserrat, …).'],
  ['font_weight_not_shipped', 'warning', false, 'lint', 'css', 'A family is used at a weight or style the cloud has no face for; the browser draws the nearest weight (or slants or emboldens another face).', 'Use one of the weights listed, or ship the face you want with an @font-face.'],
  ['font_family_only_in_shorthand', 'warning', false, 'lint', 'css', 'A family is named only in the `font` shorthand, which HeyGen\'s engine does not read when it supplies faces.', 'Set it with font-family as well (e.g. `font-family: "Inter", sans-serif`).'],
  ['font_family_only_in_stylesheet', 'warning', false, 'lint', 'css', 'A family (or a leading generic family) is named only in a linked .css file; HeyGen\'s engine supplies faces and puts Inter before generic families only for <style> blocks and style attributes.', 'Name the family in a <style> block too (e.g. `body { font-family: … }`), or ship it with an @font-face.'],
  ['font_not_available_locally', 'warning', false, 'lint', 'css', 'The cloud draws a family framesmith has no copy of here, so previews, stills and local renders differ from the cloud.', 'Run `framesmith vendor` (or a render once while online) to fetch its @fontsource package, or install it in the project: `npm install @fontsource/<family>`.'],
];

export const RULES: readonly RuleInfo[] = ROWS.map(([code, severity, official, by, group, title, hint]) => ({ code, severity, official, by, group, title, hint }));

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

/** The catalog entry of a code; throws for an unknown code (a bug in a rule). */
export function ruleInfo(code: string): RuleInfo {
  const info = BY_CODE.get(code);
  if (!info) throw new Error(`lint: unknown rule code ${code}`);
  return info;
}

export function isKnownCode(code: string): boolean {
  return BY_CODE.has(code);
}
