/**
 * Fonts as HeyGen's engine resolves them: its families and aliases (engine-fonts), what a page
 * names (scan), how each family resolves (resolve), the served page's edits (page-fonts, serve),
 * lint's words (report), @fontsource packages (fontsource, packages) and Google Fonts URLs
 * (google-fonts-url, google-css).
 */
export {
  CANONICAL_FONTS,
  FONT_ALIASES,
  GENERIC_FAMILIES,
  DETERMINISTIC_PRIMARY,
  ENGINE_VERSION,
  canonicalFont,
  isGenericFamily,
  normalizeFamily,
  type CanonicalFont,
} from './engine-fonts.js';
export {
  parseGoogleFontsUrl,
  isGoogleFontsCssUrl,
  isGoogleFontsFileUrl,
  cssWeight,
  weightCovers,
  type GoogleFontsRequest,
  type GoogleFamilyRequest,
  type FaceRequirement,
  type FontStyle,
  type WeightSpec,
} from './google-fonts-url.js';
export {
  readFontsourcePackage,
  selectFontFiles,
  fontFaceCss,
  fontFaceRule,
  fontsourceCss,
  fontsourceId,
  fontsourcePackageName,
  orderSubsets,
  type FontsourcePackage,
  type FontFile,
} from './fontsource.js';
export {
  registerFontPackageProvider,
  findFontPackage,
  findFontPackageSync,
  fontFileUrl,
  fontFileForUrl,
  FONT_URL_PREFIX,
  type FontPackageProvider,
} from './packages.js';
export { googleFontsCss, type GoogleCssResult } from './google-css.js';
export { planFonts, planFontsSync, type FontPlan, type FamilyResolution } from './resolve.js';
export { composeFontPage, composeFontFragment, readCompositionFonts } from './page-fonts.js';
export { summarizeFonts, type FontSummary } from './report.js';
