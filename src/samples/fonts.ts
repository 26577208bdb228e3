/**
 * Fonts from npm packages declared in package.json (a fresh clone has them after `npm install`; no system
 * font is used, so output does not depend on the machine). Each @fontsource package ships one file per
 * Unicode subset; registering latin, latin-ext and vietnamese under one family gives full Vietnamese.
 * Licences: src/samples/DATA-LICENCE.md.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FontFace {
  family: string;
  pkg: string;
  weight: 400 | 700;
}

/** Hand-writing styles: all checked to draw precomposed Vietnamese (ễ, ỹ, ự, Đ) with their own glyphs. */
export const HAND_FAMILIES = ['Patrick Hand', 'Pangolin', 'Mali', 'Sriracha', 'Itim'] as const;
/** Typewriter: a Courier-metric monospace with Vietnamese. */
export const TYPEWRITER_FAMILY = 'Cousine';
/** Printed labels and computer-printed values: a Times-metric serif. */
export const SERIF_FAMILY = 'Tinos';
/**
 * Values printed by computer in another face than the form's labels (`printed-sans` fill): sans-serif faces with
 * Vietnamese, from the npm package dejavu-fonts-ttf (a development dependency, so loaded only when asked for).
 */
export const SANS_FAMILIES = ['DejaVu Sans', 'DejaVu Sans Condensed'] as const;
const SANS_FILES: Record<(typeof SANS_FAMILIES)[number], string> = { 'DejaVu Sans': 'DejaVuSans.ttf', 'DejaVu Sans Condensed': 'DejaVuSansCondensed.ttf' };

const FACES: FontFace[] = [
  { family: 'Patrick Hand', pkg: '@fontsource/patrick-hand', weight: 400 },
  { family: 'Pangolin', pkg: '@fontsource/pangolin', weight: 400 },
  { family: 'Mali', pkg: '@fontsource/mali', weight: 400 },
  { family: 'Sriracha', pkg: '@fontsource/sriracha', weight: 400 },
  { family: 'Itim', pkg: '@fontsource/itim', weight: 400 },
  { family: 'Cousine', pkg: '@fontsource/cousine', weight: 400 },
  { family: 'Cousine', pkg: '@fontsource/cousine', weight: 700 },
  { family: 'Tinos', pkg: '@fontsource/tinos', weight: 400 },
  { family: 'Tinos', pkg: '@fontsource/tinos', weight: 700 },
];
const SUBSETS = ['latin', 'latin-ext', 'vietnamese'];

let loaded = false;
let sansLoaded = false;

/**
 * Registers every face once per process (with `sans`, also `SANS_FAMILIES`); throws with the install hint if a
 * package is missing.
 */
export function loadFonts({ sans = false }: { sans?: boolean } = {}): void {
  const require = createRequire(import.meta.url);
  if (sans && !sansLoaded) {
    let root: string;
    try {
      root = dirname(require.resolve('dejavu-fonts-ttf/package.json'));
    } catch {
      throw new Error('font package dejavu-fonts-ttf is not installed; run `npm install` (with development dependencies) in the project folder');
    }
    for (const family of SANS_FAMILIES) {
      const path = join(root, 'ttf', SANS_FILES[family]);
      if (!existsSync(path) || !GlobalFonts.registerFromPath(path, family)) throw new Error(`could not load font ${path}`);
    }
    sansLoaded = true;
  }
  if (loaded) return;
  for (const face of FACES) {
    let root: string;
    try {
      root = dirname(require.resolve(`${face.pkg}/package.json`));
    } catch {
      throw new Error(`font package ${face.pkg} is not installed; run \`npm install\` in the project folder`);
    }
    const name = face.pkg.split('/')[1]!;
    for (const subset of SUBSETS) {
      const path = join(root, 'files', `${name}-${subset}-${face.weight}-normal.woff2`);
      if (!existsSync(path)) throw new Error(`font file ${path} is missing; reinstall ${face.pkg}`);
      if (!GlobalFonts.registerFromPath(path, face.family)) throw new Error(`could not load font ${path}`);
    }
  }
  loaded = true;
}
