import { describe, expect, it } from 'vitest';

import { SidecarError } from '../shared/index.js';
import { parseXmlTree, unexpectedAttributes, xmlProblemsError } from './xmlTree.js';

describe('parseXmlTree', () => {
  it('returns the root with ordered children, string attributes and decoded, trimmed text', () => {
    const root = parseXmlTree(
      `<?xml version="1.0"?><!-- comment --><a xmlns:xsi="x" n="01"><b>1.0</b><c/><b> x &amp; y </b></a>`,
      'a.xml',
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ 'xmlns:xsi': 'x', n: '01' });
    expect(root.children.map((child) => [child.name, child.text])).toEqual([
      ['b', '1.0'],
      ['c', ''],
      ['b', 'x & y'],
    ]);
  });

  it('throws SC_ERR_XML_INVALID for empty or malformed documents', () => {
    expect(() => parseXmlTree('', 'empty.xml')).toThrow(SidecarError);
    expect(() => parseXmlTree('<a x="1" x="2"/>', 'dup.xml')).toThrow(
      "dup.xml: not well-formed XML at line 1, column 10: Attribute 'x' is repeated.",
    );
  });
});

describe('unexpectedAttributes', () => {
  it('ignores namespace attributes', () => {
    const root = parseXmlTree('<a xmlns="u" xsi:schemaLocation="s" name="n" other="o"/>', 'a.xml');
    expect(unexpectedAttributes(root, ['name'])).toEqual(['other']);
  });
});

describe('xmlProblemsError', () => {
  it('lists each problem on its own line after the file', () => {
    const error = xmlProblemsError('f.xml', ['one', 'two']);
    expect(error.code).toBe('SC_ERR_XML_INVALID');
    expect(error.message).toBe('f.xml: 2 problems:\n  - one\n  - two');
    expect(xmlProblemsError('f.xml', ['one']).message).toBe('f.xml: 1 problem:\n  - one');
  });
});
