import { describe, expect, it } from 'vitest';

import { isMagentoErrorBody, magentoErrorLines, renderMagentoMessage } from './magentoMessage.js';

describe('renderMagentoMessage', () => {
  it('substitutes named placeholders from an object', () => {
    expect(
      renderMagentoMessage('Unknown async event "%eventName"; did you mean %suggestions?', {
        eventName: 'sales.ordr.created',
        suggestions: 'sales.order.created',
      }),
    ).toBe('Unknown async event "sales.ordr.created"; did you mean sales.order.created?');
  });

  it('substitutes %1, %2 from a list, 1-based', () => {
    expect(renderMagentoMessage('Delivery log %1 cannot be replayed: %2', [12, 'no stored body'])).toBe(
      'Delivery log 12 cannot be replayed: no stored body',
    );
  });

  it('prefers the longest placeholder at a position, as PHP strtr does', () => {
    expect(
      renderMagentoMessage('at most %max characters (%maxBytes bytes)', { max: 158, maxBytes: 96 }),
    ).toBe('at most 158 characters (96 bytes)');
    expect(renderMagentoMessage('%names', { name: 'x' })).toBe('xs');
  });

  it('leaves unknown placeholders and plain percent signs alone, and does not re-scan values', () => {
    expect(renderMagentoMessage('100% of %what, %other', { what: '%other' })).toBe('100% of %other, %other');
  });

  it('renders lists, numbers, booleans and null values as text', () => {
    expect(renderMagentoMessage('%a|%b|%c|%d', { a: ['x', 'y'], b: 3, c: false, d: null })).toBe(
      'x, y|3|false|',
    );
  });

  it('returns the message as is without parameters', () => {
    expect(renderMagentoMessage('Request does not match any route.', [])).toBe(
      'Request does not match any route.',
    );
    expect(renderMagentoMessage('%1 stays')).toBe('%1 stays');
  });
});

describe('magentoErrorLines', () => {
  it('lists every problem when the body carries several', () => {
    expect(
      magentoErrorLines({
        message: '"%fieldName" is required.',
        parameters: { fieldName: 'a' },
        errors: [
          { message: '"%fieldName" is required.', parameters: { fieldName: 'a' } },
          { message: 'Unknown metadata "%metadata".', parameters: { metadata: 'ftp' } },
        ],
      }),
    ).toEqual(['"a" is required.', 'Unknown metadata "ftp".']);
  });

  it('renders the single message otherwise', () => {
    expect(
      magentoErrorLines({ message: 'No delivery with uuid %1 was logged', parameters: ['u-1'] }),
    ).toEqual(['No delivery with uuid u-1 was logged']);
  });
});

describe('isMagentoErrorBody', () => {
  it('recognises the error shape', () => {
    expect(isMagentoErrorBody({ message: 'x', parameters: [] })).toBe(true);
    expect(isMagentoErrorBody({ items: [] })).toBe(false);
    expect(isMagentoErrorBody('Internal Error')).toBe(false);
    expect(isMagentoErrorBody(null)).toBe(false);
  });
});
