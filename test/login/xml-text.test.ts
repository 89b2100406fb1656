import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { decodeXmlName, encodeXmlName } from '../../src/login/xml-name.js';
import { childrenNamed, parseXml, textOf } from '../../src/login/xml-text.js';

describe('parseXml', () => {
  it('records where elements start and end, past comments, CDATA, declarations and quoted ">"', () => {
    const text = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE settings [ <!ENTITY x "a>b"> ]>',
      '<!-- <fake> -->',
      '<settings a="1>2" b=\'q\'>',
      '  <id><![CDATA[<raw> & more]]></id>',
      '  <empty/>',
      '  <name>A &amp; B</name>',
      '</settings>',
    ].join('\n');
    const root = parseXml(text);
    expect(root.name).toBe('settings');
    expect([...root.attributes]).toEqual([
      ['a', '1>2'],
      ['b', 'q'],
    ]);
    expect(root.children.map((child) => child.name)).toEqual(['id', 'empty', 'name']);
    expect(textOf(text, childrenNamed(root, 'id')[0])).toBe('<raw> & more');
    expect(textOf(text, childrenNamed(root, 'name')[0])).toBe('A & B');
    const empty = childrenNamed(root, 'empty')[0];
    expect(empty.isSelfClosing).toBe(true);
    expect(text.slice(empty.start, empty.end)).toBe('<empty/>');
    expect(text.slice(root.start, root.end).endsWith('</settings>')).toBe(true);
  });

  it.each([
    ['<a><b></a>', /does not match <b>/],
    ['<a>', /never closes <a>/],
    ['<a x=1></a>', /unreadable attribute/],
    ['<a></a><b></b>', /second top-level element/],
    ['just text', /no XML element/],
    ['<a><!-- open</a>', /never closes a comment/],
  ])('refuses %j with a ValidationError', (text, message) => {
    expect(() => parseXml(text)).toThrow(ValidationError);
    expect(() => parseXml(text)).toThrow(message);
  });
});

describe('XML name encoding (as NuGet names credential elements)', () => {
  it('encodes characters a name cannot hold, and underscores that would read as an escape', () => {
    expect(encodeXmlName('acme/main')).toBe('acme_x002F_main');
    expect(encodeXmlName('Test Source')).toBe('Test_x0020_Source');
    expect(encodeXmlName('1abc')).toBe('_x0031_abc');
    expect(encodeXmlName('a:b')).toBe('a_x003A_b');
    expect(encodeXmlName('my_x0020_repo')).toBe('my_x005F_x0020_repo');
    expect(encodeXmlName('plain-name_1.2')).toBe('plain-name_1.2');
  });

  it('decodes in either hex case', () => {
    expect(decodeXmlName('acme_x002f_main')).toBe('acme/main');
    expect(decodeXmlName(encodeXmlName('my_x0020_repo/x'))).toBe('my_x0020_repo/x');
  });
});
