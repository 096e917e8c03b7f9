// Copies GSAP and the fonts each template names in its template.json into templates/<name>/vendor
// and templates/<name>/fonts (git-ignored), so every template in the repository is a project that
// previews and renders as it is. Runs from scripts/build.mjs after tsc, and reuses the compiled
// scaffold code that `framesmith new` uses, so the list of vendored files exists once.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'node', 'scaffold');
if (!existsSync(join(compiled, 'vendor.js'))) {
  console.error('vendor-templates: dist/node/scaffold is missing; run `npm run build` (it builds, then runs this script).');
  process.exit(1);
}
const { vendorInto } = await import(pathToFileURL(join(compiled, 'vendor.js')).href);
const { listTemplates } = await import(pathToFileURL(join(compiled, 'templates.js')).href);

const templates = await listTemplates(join(root, 'templates'));
for (const t of templates) await vendorInto(t.dir, t.fonts);
console.log(`vendor-templates: GSAP and fonts copied into ${templates.length} templates`);
