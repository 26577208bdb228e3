import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { eventText, LAYOUT_FIELD_NAMES, NOTE_FIELD_NAMES } from '../../src/certified/content.ts';
import { FIELD_LABELS } from '../../src/review/field-rules.js';

describe('field names', () => {
  it('are one table: each field the certified extract prints is named on every screen as its row and section name it', () => {
    expect(Object.keys(LAYOUT_FIELD_NAMES).length).toBeGreaterThan(30);
    for (const [field, name] of Object.entries(LAYOUT_FIELD_NAMES)) expect(FIELD_LABELS[field], field).toBe(name);
    expect(FIELD_LABELS.fullName).toBe('Họ, chữ đệm, tên');
    expect(FIELD_LABELS.motherName).toBe('Họ, chữ đệm, tên (người mẹ)');
    expect(FIELD_LABELS.registrarName).toBe('Người thực hiện');
  });

  it('words a change in the notes as the first layouts did, so that extracts already sealed stay genuine', () => {
    const change = (field: string) => eventText({ kind: 'correction', field, oldValue: 'A', newValue: 'B', date: '1990-01-02', source: null } as never);
    expect(change('fullName')).toBe('02/01/1990: Cải chính họ, chữ đệm, tên từ A thành B');
    expect(change('motherName')).toBe('02/01/1990: Cải chính họ, chữ đệm, tên (người mẹ) từ A thành B');
    expect(change('registrationDate')).toBe('02/01/1990: Cải chính ngày đăng ký (thông tin đăng ký) từ A thành B');
  });
});

describe('how the notes name a changed field', () => {
  it('stays as the first layouts worded it, every entry (seals hash the notes: a rewording turns issued extracts "changed")', () => {
    const table = JSON.stringify(Object.entries(NOTE_FIELD_NAMES).sort(([a], [b]) => a.localeCompare(b)));
    // the digest of the table as daae3e1 computed it (its FIELD_LABELS), checked equal entry by entry when pinned
    expect(createHash('sha256').update(table).digest('hex')).toBe('1f414408b8599dec6252eca5f14a67a92407b27d80d98c2a891f982f6159587d');
    expect(NOTE_FIELD_NAMES.motherEthnicity).toBe('Dân tộc (người mẹ)');
  });
});
