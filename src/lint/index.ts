/** `framesmith lint` as a library: the rule catalog, the lint run and its output formats. */
export { lintProject, lintParsed, type LintOptions, type LintResult } from './lint-project.js';
export { RULES, ruleInfo, type RuleInfo } from './catalog.js';
export { formatLintReport, lintJson, lintCounts, type LintJson, type LintFinding } from './format.js';
