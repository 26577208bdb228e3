import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
const [file, want, out] = process.argv.slice(2);
const decoded = await decodeUpload(await readFile(file!), file!, DEFAULT_LIMITS);
if (!decoded.ok) throw new Error('decode');
for await (const o of decoded.pages()) {
  if (!o.ok || o.page.index !== Number(want)) continue;
  await sharp(o.page.image).resize(1200).png().toFile(`${out}-raw.png`);
  const c = await cleanPage(o.page.image, { dpi: o.page.dpi });
  for (const [k, p] of c.pages.entries()) {
    await sharp(p.image).resize(1200).png().toFile(`${out}-clean${k}.png`);
    await sharp(p.image).png().toFile(`${out}-full${k}.png`);
    console.log(k, JSON.stringify(p.transform), p.table ? `table ${JSON.stringify(p.table).slice(0, 300)}` : 'no table');
  }
  console.log(JSON.stringify({ ...c, pages: undefined, image: undefined }).slice(0, 1500));
}
