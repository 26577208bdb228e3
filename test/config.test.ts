import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../schemas/config.ts';

describe('configuration', () => {
  it('fills defaults from an empty environment', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.CIVREG_DATA_DIR).toBe('.data');
    expect(config.CIVREG_OCR_WORKERS).toBeGreaterThan(0);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lists every bad key at once', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', CIVREG_OCR_MODEL: 'fast', CIVREG_JOB_HEARTBEAT_SECONDS: '2' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const key of ['PORT', 'CIVREG_OCR_MODEL', 'CIVREG_JOB_HEARTBEAT_SECONDS']) expect(message).toContain(key);
  });

  it('takes the public address as an http(s) origin with an optional path, without its trailing slash', () => {
    expect(parseConfig({}).CIVREG_PUBLIC_URL).toBeUndefined();
    expect(parseConfig({ CIVREG_PUBLIC_URL: 'https://hotich.example.gov.vn/' }).CIVREG_PUBLIC_URL).toBe('https://hotich.example.gov.vn');
    expect(parseConfig({ CIVREG_PUBLIC_URL: 'https://example.gov.vn/civreg/' }).CIVREG_PUBLIC_URL).toBe('https://example.gov.vn/civreg');
    for (const bad of ['hotich.example.gov.vn', 'ftp://example.gov.vn', 'https://u:p@example.gov.vn', 'https://example.gov.vn/?a=1']) {
      expect(() => parseConfig({ CIVREG_PUBLIC_URL: bad }), bad).toThrow(/CIVREG_PUBLIC_URL/);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
