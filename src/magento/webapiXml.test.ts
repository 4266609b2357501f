import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { SidecarError } from '../shared/index.js';
import { parseWebapiXml, phpBool } from './webapiXml.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

function parseFixture(name: string): ReturnType<typeof parseWebapiXml> {
  const file = fixture(name);
  return parseWebapiXml(readFileSync(file, 'utf8'), file);
}

describe('parseWebapiXml', () => {
  it('reads routes with their service, resources and forced parameters', () => {
    const file = fixture('magento-root/vendor/magento/module-customer/etc/webapi.xml');
    const routes = parseFixture('magento-root/vendor/magento/module-customer/etc/webapi.xml');
    expect(routes).toHaveLength(5);
    expect(routes[0]).toEqual({
      url: '/V1/customers/me',
      httpMethod: 'GET',
      serviceClass: 'Magento\\Customer\\Api\\CustomerRepositoryInterface',
      serviceMethod: 'getById',
      resources: ['self'],
      parameters: [{ name: 'customerId', value: '%customer_id%', force: true }],
      secure: false,
      file,
    });
    expect(routes[1]).toMatchObject({
      url: '/V1/customers/:customerId',
      parameters: [],
      resources: ['Magento_Customer::customer'],
    });
    expect(routes.map((route) => route.httpMethod)).toEqual(['GET', 'GET', 'GET', 'GET', 'POST']);
  });

  it('trims the url, strips the leading backslash and casts secure, force and "null" as Magento does', () => {
    const [cart, options, remove] = parseFixture('xml/valid/webapi-data-parameters.xml');
    expect(cart).toMatchObject({
      url: '/V1/carts/mine',
      serviceClass: 'Magento\\Quote\\Api\\CartManagementInterface',
      secure: true,
    });
    expect(options).toMatchObject({
      secure: true, // PHP: (bool)"false" === true
      resources: ['Magento_Catalog::products, Magento_Catalog::catalog', 'Magento_Backend::admin'],
      parameters: [
        { name: 'storeId', value: null, force: false },
        { name: 'flag', value: 'x', force: true },
        { name: 'zero', value: 'y', force: false },
      ],
    });
    expect(remove).toMatchObject({ httpMethod: 'DELETE', parameters: [] });
  });

  it('reports every problem of an invalid file in one error', () => {
    const file = fixture('xml/invalid/webapi-invalid.xml');
    let error: unknown;
    try {
      parseFixture('xml/invalid/webapi-invalid.xml');
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(SidecarError);
    const { code, message } = error as SidecarError;
    expect(code).toBe('SC_ERR_XML_INVALID');
    expect(message).toContain(`${file}: 5 problems`);
    expect(message).toContain(
      '<route> #2 get /V1/invoices/:id: attribute method must be one of GET, PUT, POST, DELETE (found "get")',
    );
    expect(message).toContain('<route> #3: attribute url is required');
    expect(message).toContain('<route> #3: <resource> attribute ref is required');
    expect(message).toContain(
      '<route> #4 GET /V1/creditmemo/:id: exactly one <service> is required, found 0',
    );
    expect(message).toContain('<route> #5 GET /V1/customers/me: <parameter> attribute name is required');
    expect(message).not.toContain('#1');
  });

  it('rejects a root other than <routes> and unexpected elements', () => {
    expect(() => parseWebapiXml('<config/>', 'x.xml')).toThrow('root element is <config>, expected <routes>');
    const xml = `<routes><route url="/V1/a" method="GET" cache="1">
      <service class="A" method="b"/><resources/><data><param name="x"/></data><data/><acl/>
    </route><router/></routes>`;
    expect(() => parseWebapiXml(xml, 'x.xml')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /unexpected attribute cache[\s\S]*unexpected element <acl>[\s\S]*at most one <data>[\s\S]*needs at least one <resource[\s\S]*unexpected element <param> in <data>[\s\S]*unexpected element <router> in <routes>/,
        ) as unknown,
      }),
    );
  });

  it('rejects secure and force values that are not XSD booleans', () => {
    const xml = `<routes><route url="/V1/a" method="GET" secure="yes">
      <service class="A" method="b"/><resources><resource ref="A::b"/></resources>
      <data><parameter name="x" force="always">1</parameter></data>
    </route></routes>`;
    expect(() => parseWebapiXml(xml, 'x.xml')).toThrow(
      /secure must be true, false, 1 or 0[\s\S]*force must be true/,
    );
  });

  it('reports well-formedness errors with their position', () => {
    expect(() => parseWebapiXml('<routes>\n  <route>\n</routes>', 'broken.xml')).toThrow(
      /^broken\.xml: not well-formed XML at line 3, column \d+/,
    );
  });
});

describe('phpBool', () => {
  it('casts like PHP (bool) on a string', () => {
    expect([undefined, '', '0', '1', 'true', 'false'].map(phpBool)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
