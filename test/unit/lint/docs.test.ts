/** The README's rule table is generated from the catalog; this fails when it is stale. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { RULES } from '../../../src/lint/catalog.js';
import { renderRuleTable, TABLE_END, TABLE_START } from '../../../src/lint/rule-table.js';
import { REPO } from '../../helpers/fixtures.js';

it('docs/lint.md lists every rule as the catalog says (run node scripts/docs.mjs)', () => {
  const text = readFileSync(join(REPO, 'docs', 'lint.md'), 'utf8');
  const table = text.slice(text.indexOf(TABLE_START), text.indexOf(TABLE_END) + TABLE_END.length);
  expect(table).toBe(renderRuleTable());
  for (const r of RULES) expect(table).toContain(`\`${r.code}\``);
});
