import sharp from 'sharp';

/** A white page with lines of black text, drawn with whatever sans font fontconfig finds. */
export async function textPage(lines: string[], options: { width?: number; height?: number; fontSize?: number; density?: number } = {}): Promise<Buffer> {
  const width = options.width ?? 1400;
  const fontSize = options.fontSize ?? 40;
  const height = options.height ?? Math.max(400, 120 + lines.length * fontSize * 2);
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="white"/>
    ${lines.map((line, i) => `<text x="60" y="${100 + i * fontSize * 2}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="black">${escape(line)}</text>`).join('')}
  </svg>`;
  return sharp(Buffer.from(svg)).greyscale().png().withMetadata({ density: options.density ?? 300 }).toBuffer();
}
