// Field rules of the review screen, shared by the server (src/http/review-routes.ts re-checks every value)
// and the browser (served as /assets/field-rules.js for the live check while typing). Plain JavaScript
// with no imports so the same file runs in both places; types are in field-rules.d.ts.

const NAME_FIELDS = /(Name|^fullName)$/;
const DATE_FIELDS = /Date$/;
const YEAR_FIELDS = /BirthYear$/;
/** A parent's age at the birth, which books before 1999 asked instead of a birth year (keying only). */
const AGE_FIELDS = /^(mother|father)Age$/;
const ID_FIELDS = /(IdNumber|^idNumber)$/;

/** What kind of value a field holds, from its key (EVALUATION.md field keys). */
export function fieldKind(field) {
  if (DATE_FIELDS.test(field)) return 'date';
  if (YEAR_FIELDS.test(field)) return 'year';
  if (AGE_FIELDS.test(field)) return 'age';
  if (field === 'deathTime') return 'time';
  if (field === 'sex') return 'sex';
  if (ID_FIELDS.test(field)) return 'id';
  if (NAME_FIELDS.test(field)) return 'name';
  return 'text';
}

/**
 * The one table of field names, everywhere a field is named: review, keying, match and entry screens, exports, and the
 * certified extract, which prints the same name as its row under a person's section ("Họ, chữ đệm, tên" under
 * "Người mẹ" is "Họ, chữ đệm, tên (người mẹ)" here; test/api/extract-labels.test.ts holds them equal).
 */
export const FIELD_LABELS = {
  entryNo: 'Số (số thứ tự trong sổ)', registrationDate: 'Ngày đăng ký', registrarName: 'Người thực hiện', declarantName: 'Người đi khai',
  declarantRelation: 'Quan hệ với người được đăng ký', notes: 'Ghi chú', fullName: 'Họ, chữ đệm, tên', sex: 'Giới tính',
  birthDate: 'Ngày, tháng, năm sinh', birthPlace: 'Nơi sinh', hometown: 'Quê quán', ethnicity: 'Dân tộc', nationality: 'Quốc tịch',
  idNumber: 'Số định danh cá nhân', residence: 'Nơi cư trú cuối cùng', deathTime: 'Đã chết vào lúc', deathDate: 'Ngày chết',
  deathPlace: 'Nơi chết', deathCause: 'Nguyên nhân chết', deathNoticeRef: 'Giấy báo tử / giấy tờ thay thế',
  motherName: 'Họ, chữ đệm, tên (người mẹ)', motherBirthYear: 'Năm sinh (người mẹ)', motherAge: 'Tuổi (người mẹ, sổ ghi tuổi)', motherEthnicity: 'Dân tộc (người mẹ)',
  motherNationality: 'Quốc tịch (người mẹ)', motherResidence: 'Nơi cư trú (người mẹ)',
  fatherName: 'Họ, chữ đệm, tên (người cha)', fatherBirthYear: 'Năm sinh (người cha)', fatherAge: 'Tuổi (người cha, sổ ghi tuổi)', fatherEthnicity: 'Dân tộc (người cha)',
  fatherNationality: 'Quốc tịch (người cha)', fatherResidence: 'Nơi cư trú (người cha)',
  husbandName: 'Họ, chữ đệm, tên (bên chồng)', husbandBirthDate: 'Ngày, tháng, năm sinh (bên chồng)', husbandEthnicity: 'Dân tộc (bên chồng)',
  husbandNationality: 'Quốc tịch (bên chồng)', husbandResidence: 'Nơi cư trú (bên chồng)', husbandIdNumber: 'Số giấy tờ tùy thân (bên chồng)',
  wifeName: 'Họ, chữ đệm, tên (bên vợ)', wifeBirthDate: 'Ngày, tháng, năm sinh (bên vợ)', wifeEthnicity: 'Dân tộc (bên vợ)',
  wifeNationality: 'Quốc tịch (bên vợ)', wifeResidence: 'Nơi cư trú (bên vợ)', wifeIdNumber: 'Số giấy tờ tùy thân (bên vợ)',
  parentName: 'Họ tên người nhận (cha/mẹ)', parentBirthDate: 'Ngày sinh người nhận', parentEthnicity: 'Dân tộc người nhận', parentNationality: 'Quốc tịch người nhận',
  parentResidence: 'Nơi cư trú của người nhận', parentIdNumber: 'Giấy tờ tùy thân người nhận', parentRelation: 'Nhận là (cha/mẹ)',
  childName: 'Họ tên người được nhận là con', childBirthDate: 'Ngày sinh người được nhận', childEthnicity: 'Dân tộc người được nhận', childNationality: 'Quốc tịch người được nhận',
  childResidence: 'Nơi cư trú của người được nhận', childIdNumber: 'Giấy tờ tùy thân người được nhận',
  guardianName: 'Họ tên người giám hộ', guardianBirthDate: 'Ngày sinh người giám hộ', guardianEthnicity: 'Dân tộc người giám hộ', guardianNationality: 'Quốc tịch người giám hộ',
  guardianResidence: 'Nơi cư trú của người giám hộ', guardianIdNumber: 'Giấy tờ tùy thân người giám hộ', guardianRelation: 'Quan hệ với người được giám hộ',
  wardName: 'Họ tên người được giám hộ', wardBirthDate: 'Ngày sinh người được giám hộ', wardEthnicity: 'Dân tộc người được giám hộ', wardNationality: 'Quốc tịch người được giám hộ',
  wardResidence: 'Nơi cư trú của người được giám hộ', wardIdNumber: 'Giấy tờ tùy thân người được giám hộ',
  personName: 'Họ tên người được thay đổi, cải chính', personBirthDate: 'Ngày sinh người được thay đổi, cải chính',
  refType: 'Việc hộ tịch đã đăng ký (khai sinh, kết hôn, khai tử)', refEntryNo: 'Số đăng ký của việc đã đăng ký', refBookNo: 'Quyển số của việc đã đăng ký',
  refDate: 'Ngày đăng ký của việc đã đăng ký', refOffice: 'Nơi đăng ký của việc đã đăng ký', changeContent: 'Nội dung thay đổi, cải chính',
  oldValue: 'Trước khi thay đổi, cải chính', newValue: 'Sau khi thay đổi, cải chính', basis: 'Căn cứ',
};

const clean = (text) => String(text).normalize('NFC').replace(/\s+/gu, ' ').trim();
const pad = (n) => String(n).padStart(2, '0');

/** A two-digit year in the century that puts it at or before the pivot (the entry's year): 62 in 1962 is 1962. */
function fullYear(digits, pivot) {
  if (digits.length === 4) return Number(digits);
  const yy = Number(digits);
  let year = Math.floor(pivot / 100) * 100 + yy;
  if (year > pivot) year -= 100;
  return year;
}

function realDay(year, month, day) {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const ok = (value, display, precision = null) => ({ ok: true, value, display, precision, message: null });
const bad = (message) => ({ ok: false, value: null, display: '', precision: null, message });

function checkDate(text, pivot) {
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  const typed = /^(?:(\d{1,2})[/.\- ])?(\d{1,2})[/.\- ](\d{2}|\d{4})$/.exec(text);
  let year, month = null, day = null;
  if (iso) [year, month, day] = [Number(iso[1]), iso[2] ? Number(iso[2]) : null, iso[3] ? Number(iso[3]) : null];
  else if (typed) [day, month, year] = [typed[1] ? Number(typed[1]) : null, Number(typed[2]), fullYear(typed[3], pivot)];
  else if (/^\d{2}$/.test(text)) year = fullYear(text, pivot);
  else return bad('Ngày không đúng dạng: gõ ngày/tháng/năm, ví dụ 15/3/62, hoặc tháng/năm, hoặc năm.');
  if (year < 1850 || year > pivot) return bad(`Năm ${year} không hợp lệ (phải trước hoặc bằng ${pivot}).`);
  if (month !== null && (month < 1 || month > 12)) return bad(`Tháng ${month} không có.`);
  if (day !== null && !realDay(year, month, day)) return bad(`Ngày ${day}/${month}/${year} không có trong lịch.`);
  if (day !== null) return ok(`${year}-${pad(month)}-${pad(day)}`, `${pad(day)}/${pad(month)}/${year}`, 'day');
  if (month !== null) return ok(`${year}-${pad(month)}`, `${pad(month)}/${year}`, 'month');
  return ok(String(year), String(year), 'year');
}

function capitalise(word) {
  return word.charAt(0).toLocaleUpperCase('vi') + word.slice(1).toLocaleLowerCase('vi');
}

/**
 * Checks what a verifier typed against the field's rules and turns it into the stored normal form
 * (EVALUATION.md): dates ISO with precision, times HH:MM, sex male/female, ID digits, names NFC with
 * each word capitalised. `pivot` is the entry's year (two-digit years are read at or before it).
 *
 * @example checkValue('birthDate', '15/3/62', { pivot: 1962 }) // { ok: true, value: '1962-03-15', display: '15/03/1962', … }
 */
export function checkValue(field, input, options = {}) {
  const pivot = options.pivot ?? new Date().getFullYear();
  const text = clean(input ?? '');
  if (text === '') return bad('Chưa nhập giá trị. Nếu không đọc được, bấm F2.');
  switch (fieldKind(field)) {
    case 'date':
      return checkDate(text, pivot);
    case 'year': {
      // four figures, never two: in books that asked a parent's age, "27" is the age the page shows, not 1927
      if (!/^\d{4}$/.test(text)) return bad('Năm sinh gõ đủ 4 chữ số, ví dụ 1935 (sổ ghi tuổi: lấy năm sinh của con trừ đi tuổi).');
      const year = Number(text);
      return year < 1850 || year > pivot ? bad(`Năm ${year} không hợp lệ.`) : ok(String(year), String(year), 'year');
    }
    case 'age': {
      const m = /^(\d{1,2})(?:\s*tuổi)?$/u.exec(text);
      if (!m || Number(m[1]) < 10) return bad('Tuổi gõ như sổ ghi, ví dụ 34 hoặc 34 tuổi.');
      return ok(m[1], `${m[1]} tuổi`);
    }
    case 'time': {
      const m = /^(\d{1,2})\s*(?:[:hg]|giờ)\s*(\d{1,2})?\s*(?:phút|p)?$/iu.exec(text);
      if (!m || Number(m[1]) > 23 || Number(m[2] ?? 0) > 59) return bad('Giờ gõ dạng 7:30 hoặc 7g30.');
      const value = `${pad(Number(m[1]))}:${pad(Number(m[2] ?? 0))}`;
      return ok(value, value);
    }
    case 'sex': {
      const t = text.toLocaleLowerCase('vi');
      if (['nam', 'm', 'male', 'trai'].includes(t)) return ok('male', 'Nam');
      if (['nữ', 'nu', 'f', 'female', 'gái', 'gai'].includes(t)) return ok('female', 'Nữ');
      return bad('Giới tính gõ "nam" hoặc "nữ".');
    }
    case 'id': {
      const digits = text.replace(/[\s.]/g, '');
      if (!/^\d+$/.test(digits)) return bad('Số giấy tờ chỉ gồm chữ số.');
      if (![9, 12].includes(digits.length)) return bad(`Số giấy tờ có 9 hoặc 12 chữ số (đang có ${digits.length}).`);
      return ok(digits, digits);
    }
    case 'name': {
      if (/\d/.test(text)) return bad('Họ tên không chứa chữ số.');
      if (!/^[\p{L}\p{M}' .-]+$/u.test(text)) return bad('Họ tên chỉ gồm chữ cái.');
      const value = text.split(' ').map(capitalise).join(' ');
      return ok(value, value);
    }
    default:
      return ok(text, text);
  }
}

/** How a stored normal form is shown (and pre-filled) on the review screen: dates as dd/mm/yyyy, sex as Nam/Nữ. */
export function displayValue(field, value) {
  if (value === null || value === undefined) return '';
  const kind = fieldKind(field);
  if (kind === 'date') {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
    if (m) return m[3] ? `${m[3]}/${m[2]}/${m[1]}` : m[2] ? `${m[2]}/${m[1]}` : m[1];
  }
  if (kind === 'sex') return value === 'male' ? 'Nam' : value === 'female' ? 'Nữ' : value;
  return value;
}
