/**
 * What each function key does, the same on every screen that uses it (review, keying, match review, arbitration):
 * a verifier moving between screens never gets another action from a key their hands know. A screen without the
 * action leaves the key unbound (F3 offers nothing on the keying screen). F6, the book's empty line, is stored alike
 * on the keying, review and arbitration screens (a verified field without a value). The legends on every screen come from here; each screen's script binds the
 * keys itself (review.js, keying.js); test/http/keying.test.ts checks each key's legend means one thing on every
 * screen, and the browser test (workbench) what F3 and F6 do on the keying screen.
 */
export const FUNCTION_KEYS = {
  F2: 'không đọc được',
  F3: 'lấy giá trị đề xuất',
  F4: 'bỏ qua',
  F6: 'sổ để trống',
  F7: 'cả mục',
  F8: 'ảnh gốc',
  F9: 'phóng to',
} as const;

/**
 * A key's legend as the screens print it, with an optional detail in brackets.
 *
 * @example keyHint('F3', 'hồ sơ điện tử hoặc lần đọc lại') // '<kbd>F3</kbd> lấy giá trị đề xuất (hồ sơ điện tử hoặc lần đọc lại)'
 */
export const keyHint = (key: keyof typeof FUNCTION_KEYS, detail?: string): string =>
  `<kbd>${key}</kbd> ${FUNCTION_KEYS[key]}${detail ? ` (${detail})` : ''}`;
