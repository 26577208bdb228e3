import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeLegacy,
  detectEncoding,
  encodeLegacy,
  isVietnameseSyllable,
  repairVietnamese,
  VIETNAMESE_LETTERS,
  type LegacyEncoding,
} from '../../src/text/legacy-encodings.ts';

const ENCODINGS: LegacyEncoding[] = ['tcvn3', 'vni'];
const NAMES = ['Nguyễn Thị Thu Hà', 'Đặng Quốc Bảo', 'Huỳnh Thị Thuỷ', 'Phường Bạch Mai, Quận Hai Bà Trưng'];
const bytesOf = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('legacy encoding tables', () => {
  it('cover the 134 Vietnamese letters outside ASCII, lower and upper case', () => {
    expect(VIETNAMESE_LETTERS).toHaveLength(134);
    expect(new Set(VIETNAMESE_LETTERS.map((l) => l.toLowerCase())).size).toBe(67);
    for (const l of VIETNAMESE_LETTERS) expect(VIETNAMESE_LETTERS).toContain(l.toUpperCase());
  });

  it('write only ASCII and bytes 0xA0–0xFF, where Windows-1252 and Latin-1 agree', () => {
    for (const e of ENCODINGS) {
      for (const l of VIETNAMESE_LETTERS) {
        for (const b of bytesOf(encodeLegacy(l, e))) expect(b < 0x80 || (b >= 0xa0 && b <= 0xff)).toBe(true);
      }
    }
  });

  // Rows of "Unicode & Vietnamese Legacy Character Encodings" (vietunicode.sourceforge.net/charset, as
  // reproduced at dothanhlong.org/unicode-va-ma-hoa-ky-tu-cu-cua-viet-nam/) and of "Bảng đối chiếu encoding
  // các bộ chữ hiện hành với Unicode" (scribd.com/document/23311958); TCVN3 lowercase also matches glibc's
  // TCVN5712-1 (`printf '\xb8' | iconv -f TCVN5712-1` → á).
  it('assign the published byte values', () => {
    const published: [string, number[], number[]][] = [
      // letter, VNI bytes, TCVN3 bytes
      ['á', [0x61, 0xf9], [0xb8]], ['à', [0x61, 0xf8], [0xb5]], ['ả', [0x61, 0xfb], [0xb6]], ['ã', [0x61, 0xf5], [0xb7]],
      ['ạ', [0x61, 0xef], [0xb9]], ['ă', [0x61, 0xea], [0xa8]], ['ắ', [0x61, 0xe9], [0xbe]], ['ằ', [0x61, 0xe8], [0xbb]],
      ['ẳ', [0x61, 0xfa], [0xbc]], ['ẵ', [0x61, 0xfc], [0xbd]], ['ặ', [0x61, 0xeb], [0xc6]], ['â', [0x61, 0xe2], [0xa9]],
      ['ấ', [0x61, 0xe1], [0xca]], ['ầ', [0x61, 0xe0], [0xc7]], ['ẩ', [0x61, 0xe5], [0xc8]], ['ẫ', [0x61, 0xe3], [0xc9]],
      ['ậ', [0x61, 0xe4], [0xcb]], ['é', [0x65, 0xf9], [0xd0]], ['è', [0x65, 0xf8], [0xcc]], ['ẻ', [0x65, 0xfb], [0xce]],
      ['ẽ', [0x65, 0xf5], [0xcf]], ['ẹ', [0x65, 0xef], [0xd1]], ['ê', [0x65, 0xe2], [0xaa]], ['ế', [0x65, 0xe1], [0xd5]],
      ['ề', [0x65, 0xe0], [0xd2]], ['ể', [0x65, 0xe5], [0xd3]], ['ễ', [0x65, 0xe3], [0xd4]], ['ệ', [0x65, 0xe4], [0xd6]],
      ['í', [0xed], [0xdd]], ['ì', [0xec], [0xd7]], ['ỉ', [0xe6], [0xd8]], ['ĩ', [0xf3], [0xdc]], ['ị', [0xf2], [0xde]],
      ['ó', [0x6f, 0xf9], [0xe3]], ['À', [0x41, 0xd8], [0xb5]], ['Á', [0x41, 0xd9], [0xb8]], ['Â', [0x41, 0xc2], [0xa2]],
      ['Ê', [0x45, 0xc2], [0xa3]], ['Ì', [0xcc], [0xd7]], ['Í', [0xcd], [0xdd]], ['Ô', [0x4f, 0xc2], [0xa4]],
      ['Ú', [0x55, 0xd9], [0xf3]], ['Ý', [0x59, 0xd9], [0xfd]],
    ];
    for (const [letter, vni, tcvn3] of published) {
      expect(bytesOf(encodeLegacy(letter, 'vni')), letter).toEqual(vni);
      expect(bytesOf(encodeLegacy(letter, 'tcvn3')), letter).toEqual(tcvn3);
    }
    // TCVN3 capitals of their own and đ
    expect(bytesOf(encodeLegacy('ĂÂÊÔƠƯĐđ', 'tcvn3'))).toEqual([0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xae]);
    expect(bytesOf(encodeLegacy('ơưđỵƠƯĐỴ', 'vni'))).toEqual([0xf4, 0xf6, 0xf1, 0xee, 0xd4, 0xd6, 0xd1, 0xce]);
  });
});

describe('encodeLegacy / decodeLegacy', () => {
  it('round-trips every letter: lowercase alone, capitals in all-capital and title-case words', () => {
    for (const e of ENCODINGS) {
      for (const l of VIETNAMESE_LETTERS) {
        if (l === l.toLowerCase()) {
          expect(decodeLegacy(encodeLegacy(l, e), e), `${e} ${l}`).toBe(l);
        } else {
          for (const text of [`NG${l}N`, `Nguyễn ${l}nh`]) expect(decodeLegacy(encodeLegacy(text, e), e), `${e} ${text}`).toBe(text);
        }
      }
    }
  });

  it('round-trips names and places, in title case and in capitals', () => {
    for (const e of ENCODINGS) {
      for (const name of [...NAMES, ...NAMES.map((n) => n.toUpperCase()), 'nơi cư trú: số 12 ngõ 105']) {
        expect(decodeLegacy(encodeLegacy(name, e), e)).toBe(name);
      }
    }
  });

  // Known encodings: the test data of github.com/duydev/vietnamese-conversion (tests/helpers/test-data.ts),
  // and the convention that TCVN3 capitals reuse the lowercase bytes (WinVNKey "Check Capital fonts").
  it('matches known encoded strings', () => {
    const known: [string, string, string][] = [
      ['Xin chào các bạn', 'Xin chaøo caùc baïn', 'Xin chµo c¸c b¹n'],
      ['Tôi đi học', 'Toâi ñi hoïc', 'T«i ®i häc'],
      ['Nguyễn', 'Nguyeãn', 'NguyÔn'],
      ['NGUYỄN', 'NGUYEÃN', 'NGUYÔN'],
    ];
    for (const [unicode, vni, tcvn3] of known) {
      expect(encodeLegacy(unicode, 'vni')).toBe(vni);
      expect(encodeLegacy(unicode, 'tcvn3')).toBe(tcvn3);
      expect(decodeLegacy(vni, 'vni')).toBe(unicode);
      expect(decodeLegacy(tcvn3, 'tcvn3')).toBe(unicode);
    }
  });

  it('encodes decomposed input as its composed form', () => {
    expect(encodeLegacy('Nguyễn'.normalize('NFD'), 'tcvn3')).toBe('NguyÔn');
  });

  it('reads the capital base + toned small letter spelling of TCVN3 capitals, and VNI marks in either case', () => {
    expect(decodeLegacy('Aµ', 'tcvn3')).toBe('À');
    expect(decodeLegacy('¢Ên §é', 'tcvn3')).toBe('Ấn Độ');
    expect(decodeLegacy('Nguyeãn NGUYEãN', 'vni')).toBe('Nguyễn NGUYỄN');
    expect(decodeLegacy('Lyï', 'vni')).toBe('Lỵ');
  });

  it('passes characters outside the encoding through', () => {
    expect(decodeLegacy('Số 12/3 “A” – 50%', 'tcvn3')).toBe('Số 12/3 “A” – 50%');
    expect(encodeLegacy('№ 5 — ok', 'vni')).toBe('№ 5 — ok');
  });

  it('keeps the case TCVN3 records and infers the rest from the text', () => {
    expect(decodeLegacy('®i häc', 'tcvn3')).toBe('đi học');
    expect(decodeLegacy('NguyÔn ThÞ ¸nh', 'tcvn3')).toBe('Nguyễn Thị Ánh');
    expect(decodeLegacy('PH¦êNG B¹CH MAI', 'tcvn3')).toBe('PHƯỜNG BẠCH MAI');
    expect(decodeLegacy('Hµ', 'tcvn3')).toBe('Hà');
    // no evidence at all: the lowercase letter, as the byte says
    expect(decodeLegacy('¸', 'tcvn3')).toBe('á');
  });
});

describe('isVietnameseSyllable', () => {
  it('accepts well-formed syllables in lower, upper and title case, either tone placement', () => {
    for (const w of ['Nguyễn', 'người', 'QUỐC', 'hoà', 'hòa', 'thuỷ', 'thủy', 'Huỳnh', 'gìn', 'giữa', 'khuỷu', 'quyết', 'ạ', 'yêu', 'Bạch']) {
      expect(isVietnameseSyllable(w), w).toBe(true);
    }
  });
  it('knows the rhymes a medial u before ê, and a front vowel, may close with', () => {
    // uê closes with nothing, ch or nh; i, ê, y close with ch and nh, never c or ng
    for (const w of ['Huế', 'huệ', 'thuế', 'khuếch', 'nguệch', 'huênh', 'quên', 'quệt', 'huých', 'huynh', 'huýt', 'việc', 'tiếng', 'xẻng', 'éc', 'lệch', 'bệnh', 'tích', 'giếng']) {
      expect(isVietnameseSyllable(w), w).toBe(true);
    }
    for (const w of ['Luệt', 'tuên', 'huệp', 'thuêm', 'tíc', 'xing', 'bêng', 'lệc']) expect(isVietnameseSyllable(w), w).toBe(false);
  });
  it('rejects mojibake, misplaced tones, impossible spellings and mixed case', () => {
    for (const w of ['Hµ', 'Néi', 'Leõ', 'NguyÔn', 'quèc', 'ce', 'ka', 'ngi', 'Ñinh', 'hàt', 'nGuyễn', 'hoaì', 'Nguyen']) {
      expect(isVietnameseSyllable(w), w).toBe(false);
    }
  });
});

describe('detectEncoding', () => {
  it('says unicode for plain ASCII and for proper Vietnamese', () => {
    expect(detectEncoding('Nguyen Van A')).toEqual({ encoding: 'unicode', confidence: 1 });
    for (const s of [...NAMES, 'Hà Tây', 'Tô Hà', 'Lê', 'Hoà', 'José']) expect(detectEncoding(s).encoding, s).toBe('unicode');
    expect(detectEncoding('Nguyễn'.normalize('NFD')).encoding).toBe('unicode');
  });

  it('recognises each encoding on short and long strings', () => {
    for (const e of ENCODINGS) {
      for (const s of [...NAMES, 'Lê', 'Võ', 'Lê Thị Chi', 'Hội đồng nhân dân thành phố Hà Nội quyết định cải chính họ tên']) {
        const { encoding, confidence } = detectEncoding(encodeLegacy(s, e));
        expect(encoding, `${e}: ${s}`).toBe(e);
        expect(confidence).toBeGreaterThanOrEqual(0.75);
      }
    }
    expect(detectEncoding('Céng hoµ x· héi chñ nghÜa ViÖt Nam').confidence).toBeGreaterThan(0.95);
  });

  it('is more confident the more words agree', () => {
    const short = detectEncoding(encodeLegacy('Lê', 'tcvn3')).confidence;
    const long = detectEncoding(encodeLegacy('Lê Thị Thu Hường', 'tcvn3')).confidence;
    expect(long).toBeGreaterThan(short);
  });
});

describe('repairVietnamese', () => {
  it('decodes, composes and collapses spaces, and says what the input was', () => {
    expect(repairVietnamese('Nguyeãn  Thò\tHaø ')).toEqual({ text: 'Nguyễn Thị Hà', encoding: 'vni' });
    expect(repairVietnamese('NguyÔn ThÞ Hµ')).toEqual({ text: 'Nguyễn Thị Hà', encoding: 'tcvn3' });
    expect(repairVietnamese('Nguyễn Thị Hà'.normalize('NFD'))).toEqual({ text: 'Nguyễn Thị Hà', encoding: 'nfd' });
    expect(repairVietnamese(' Nguyen  Van A ')).toEqual({ text: 'Nguyen Van A', encoding: 'unicode' });
  });

  it('uses the encoding the caller detected over the whole record', () => {
    // alone, VNI "Hoà" (Hồ) is also the Unicode word "Hoà"; the record's other fields settle it
    expect(repairVietnamese('Hoà Minh Anh').text).toBe('Hoà Minh Anh');
    expect(repairVietnamese('Hoà Minh Anh', 'vni').text).toBe('Hồ Minh Anh');
  });

  it('never changes text that already is Unicode Vietnamese', () => {
    const samples = join(import.meta.dirname, '../../samples');
    const lines: string[] = [];
    for (const d of readdirSync(samples, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const truth = JSON.parse(readFileSync(join(samples, d.name, 'truth.json'), 'utf8')) as { pages: { lines: { text: string }[] }[] };
      for (const p of truth.pages) for (const l of p.lines) lines.push(l.text);
    }
    expect(lines.length).toBeGreaterThan(50);
    for (const line of [...lines, ...NAMES, 'Nguyen Van A', 'Tran Thi B']) {
      expect(repairVietnamese(line), line).toEqual({ text: line.normalize('NFC').replace(/\s+/g, ' ').trim(), encoding: 'unicode' });
    }
  });
});
