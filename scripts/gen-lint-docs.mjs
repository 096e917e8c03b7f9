// Rewrites the lint rule table in docs/readme/lint-build.md from the rule catalog
// (src/lint/catalog.ts, built into dist/node). Run after changing a rule: `node scripts/gen-lint-docs.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { renderRuleTable, TABLE_START, TABLE_END } = await import(pathToFileURL(join(root, 'dist/node/lint/rule-table.js')).href);
const file = join(root, 'docs/readme/lint-build.md');
const text = readFileSync(file, 'utf8');
const start = text.indexOf(TABLE_START);
const end = text.indexOf(TABLE_END);
if (start < 0 || end < 0) throw new Error(`${file} has no lint-rules markers`);
writeFileSync(file, text.slice(0, start) + renderRuleTable() + text.slice(end + TABLE_END.length));
console.log('docs/readme/lint-build.md: rule table updated');
