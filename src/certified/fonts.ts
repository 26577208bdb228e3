import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';

/**
 * Tinos (a Times-metric serif, Apache 2.0, from the @fontsource/tinos npm package) embedded in the PDF.
 * The package splits each face by Unicode subset, so a face here is three fonts (latin, latin-ext,
 * vietnamese) and text is drawn in runs, each in the first font that has its characters. Subsetting
 * keeps only the glyphs used; pdf-lib writes a ToUnicode map, so the text extracts as written.
 */
const SUBSETS = ['latin', 'latin-ext', 'vietnamese'] as const;
const WEIGHTS = { regular: 400, bold: 700 } as const;
export type Weight = keyof typeof WEIGHTS;

let files: Record<Weight, Uint8Array[]> | null = null;

function fontFiles(): Record<Weight, Uint8Array[]> {
  if (files) return files;
  const root = dirname(createRequire(import.meta.url).resolve('@fontsource/tinos/package.json'));
  const load = (weight: number) => SUBSETS.map((subset) => readFileSync(join(root, 'files', `tinos-${subset}-${weight}-normal.woff`)));
  files = { regular: load(WEIGHTS.regular), bold: load(WEIGHTS.bold) };
  return files;
}

interface Face {
  fonts: PDFFont[];
  covers: Set<number>[];
}

export interface TextWriter {
  width(text: string, size: number, weight?: Weight): number;
  draw(page: PDFPage, text: string, options: { x: number; y: number; size: number; weight?: Weight; color?: RGB; opacity?: number }): void;
}

/** Embeds the fonts into `doc` and returns a writer that measures and draws mixed-subset text. */
export async function embedTextFonts(doc: PDFDocument): Promise<TextWriter> {
  doc.registerFontkit(fontkit);
  const faces = {} as Record<Weight, Face>;
  for (const weight of Object.keys(WEIGHTS) as Weight[]) {
    const fonts = await Promise.all(fontFiles()[weight].map((bytes) => doc.embedFont(bytes, { subset: true })));
    faces[weight] = { fonts, covers: fonts.map((f) => new Set(f.getCharacterSet())) };
  }
  /** Consecutive characters drawn with the same font. */
  const runs = (text: string, weight: Weight) => {
    const face = faces[weight];
    const out: Array<{ font: PDFFont; text: string }> = [];
    for (const raw of text.normalize('NFC')) {
      const index = face.covers.findIndex((c) => c.has(raw.codePointAt(0)!));
      // A character no subset has would print as an empty box and extract as U+0000: show that it is missing.
      const ch = index < 0 ? '?' : raw;
      const font = face.fonts[Math.max(0, index)]!;
      const last = out.at(-1);
      if (last?.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    return out;
  };
  return {
    width: (text, size, weight = 'regular') => runs(text, weight).reduce((sum, r) => sum + r.font.widthOfTextAtSize(r.text, size), 0),
    draw(page, text, { x, y, size, weight = 'regular', color, opacity }) {
      let at = x;
      for (const run of runs(text, weight)) {
        page.drawText(run.text, { x: at, y, size, font: run.font, ...(color ? { color } : {}), ...(opacity !== undefined ? { opacity } : {}) });
        at += run.font.widthOfTextAtSize(run.text, size);
      }
    },
  };
}
