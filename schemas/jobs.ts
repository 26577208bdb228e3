import { z } from 'zod';

/** Pipeline stages in order; each is also the name of its pg-boss queue. */
export const STAGES = ['ingest', 'clean', 'ocr', 'extract', 'match', 'route'] as const;
export type StageName = (typeof STAGES)[number];
export const stageNameSchema = z.enum(STAGES);

/** Job payloads carry ids only, never pixels or text. */
export const uploadJobSchema = z.object({ uploadId: z.number().int().positive() }).strict();
export const pageJobSchema = z.object({ pageId: z.number().int().positive() }).strict();
export type UploadJob = z.infer<typeof uploadJobSchema>;
export type PageJob = z.infer<typeof pageJobSchema>;

export const REGISTER_TYPES = ['birth', 'marriage', 'death', 'recognition', 'guardianship', 'change', 'other'] as const;
export const registerTypeSchema = z.enum(REGISTER_TYPES);
export type RegisterType = z.infer<typeof registerTypeSchema>;

export const ERAS = ['1956-1960', '1961-1998', '1999-2005', '2006-2015', '2016-'] as const;
export const eraSchema = z.enum(ERAS);
export type Era = z.infer<typeof eraSchema>;

/** The era whose registers a registration year belongs to (DOMAIN.md "Eras"): it fixes the book's layout. */
export function eraOfYear(year: number): Era {
  return year <= 1960 ? '1956-1960' : year <= 1998 ? '1961-1998' : year <= 2005 ? '1999-2005' : year <= 2015 ? '2006-2015' : '2016-';
}
