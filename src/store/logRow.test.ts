import { describe, expect, it } from 'vitest';

import { fitLogRow, truncateUtf8 } from './logRow.js';

describe('truncateUtf8', () => {
  it('keeps short text and cuts long text on a character boundary with a marker', () => {
    expect(truncateUtf8('hello', 100)).toBe('hello');
    const cut = truncateUtf8('é'.repeat(100), 51);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(51);
    expect(cut.endsWith('… [truncated]')).toBe(true);
    expect(cut).not.toContain('\ufffd');
  });
});

describe('fitLogRow', () => {
  const limits = { responseDataBytes: 64, serializedDataBytes: 16 };
  const row = {
    uuid: 'u',
    subscriptionId: 1,
    success: true,
    responseData: 'ok',
    serializedData: Buffer.from('{}'),
  };

  it('leaves a row that fits alone', () => {
    expect(fitLogRow(row, limits)).toEqual(row);
  });

  it('drops a body larger than the column and says so in response_data', () => {
    const fitted = fitLogRow({ ...row, serializedData: Buffer.alloc(17, 0x61) }, limits);
    expect(fitted.serializedData).toBeNull();
    expect(fitted.responseData).toMatch(/^\[body of 17 bytes not stored: serialized_data holds 16\]/);
    expect(Buffer.byteLength(fitted.responseData)).toBeLessThanOrEqual(64);
  });
});
