import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { SidecarError } from '../shared/index.js';
import { parseAsyncEventsXml } from './asyncEventsXml.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const COMMON_EVENTS = fixture('magento-root/vendor/mage-os/module-common-async-events/etc/async_events.xml');

function parseFixture(name: string): ReturnType<typeof parseAsyncEventsXml> {
  const file = fixture(name);
  return parseAsyncEventsXml(readFileSync(file, 'utf8'), file);
}

/** The SidecarError thrown by parsing `name`, so tests can assert on its message. */
function parseError(name: string): SidecarError {
  try {
    parseFixture(name);
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(SidecarError);
    const error = e as SidecarError;
    expect(error.code).toBe('SC_ERR_XML_INVALID');
    expect(error.message).toContain(fixture(name));
    return error;
  }
  throw new Error(`expected ${name} to be invalid`);
}

describe('parseAsyncEventsXml', () => {
  it('reads the 22 events of mageos-common-async-events in file order', () => {
    const events = parseAsyncEventsXml(readFileSync(COMMON_EVENTS, 'utf8'), COMMON_EVENTS);
    expect(events).toHaveLength(22);
    expect(events[0]).toEqual({
      name: 'customer.created',
      declaredName: 'customer.created',
      serviceClass: 'MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerManagement',
      serviceMethod: 'getById',
      resources: [],
      file: COMMON_EVENTS,
    });
    expect(events.map((event) => event.name)).toContain('catalog.product.updated');
  });

  it('lower-cases the name, keeps the declared one, strips the leading backslash and reads resources', () => {
    const [stock, empty] = parseFixture('xml/valid/async-events-resources.xml');
    expect(stock).toMatchObject({
      name: 'acme.stock-item_updated',
      declaredName: 'Acme.Stock-Item_Updated',
      serviceClass: 'Magento\\CatalogInventory\\Api\\StockRegistryInterface',
      serviceMethod: 'getStockItemBySku',
      resources: ['Magento_CatalogInventory::cataloginventory', 'Acme_Stock::view & export'],
    });
    expect(empty).toMatchObject({ name: 'acme.empty', resources: [] });
  });

  it('accepts an empty <config>', () => {
    expect(parseAsyncEventsXml('<config/>', 'empty.xml')).toEqual([]);
  });

  it('rejects names outside [a-zA-Z0-9._-], naming each', () => {
    const { message } = parseError('xml/invalid/async-events-bad-name.xml');
    expect(message).toContain('"sales order created": name must match [a-zA-Z0-9._-]+');
    expect(message).toContain('"sales/order/updated": name must match');
    expect(message).not.toContain('sales.order.paid');
  });

  it('rejects a name declared twice in one file', () => {
    const { message } = parseError('xml/invalid/async-events-duplicate-name.xml');
    expect(message).toContain(
      '<async_event> #3: duplicate name "sales.order.created" (first declared by #1)',
    );
  });

  it('treats names differing only in case as distinct, as the XSD does', () => {
    const xml = `<config>
      <async_event name="a.b"><service class="A" method="m"/></async_event>
      <async_event name="A.B"><service class="A" method="n"/></async_event>
    </config>`;
    expect(parseAsyncEventsXml(xml, 'case.xml').map((event) => event.name)).toEqual(['a.b', 'a.b']);
  });

  it('rejects an event without <service>', () => {
    const { message } = parseError('xml/invalid/async-events-missing-service.xml');
    expect(message).toContain('"cms.page.deleted": exactly one <service> is required, found 0');
  });

  it('rejects a <service> without method', () => {
    const { message } = parseError('xml/invalid/async-events-missing-method.xml');
    expect(message).toContain('"cms.block.deleted": <service> attribute method is required');
  });

  it('reports the line and column of a well-formedness error', () => {
    const { message } = parseError('xml/invalid/async-events-not-well-formed.xml');
    expect(message).toMatch(/not well-formed XML at line 6, column 5: Expected closing tag 'service'/);
  });

  it('rejects a root other than <config>', () => {
    const { message } = parseError('xml/invalid/async-events-wrong-root.xml');
    expect(message).toContain('root element is <routes>, expected <config>');
  });

  it('collects every problem of a file into one error', () => {
    const { message } = parseError('xml/invalid/async-events-many-problems.xml');
    expect(message).toContain('5 problems');
    expect(message).toContain('"bad name": name must match');
    expect(message).toContain('"no.class": <service> attribute class is required');
    expect(message).toContain('"empty.resources": <resources> needs at least one <resource>');
    expect(message).toContain('"two.services": exactly one <service> is required, found 2');
    expect(message).toContain('unexpected element <observer> in <config>');
    expect(message).not.toContain('ok.event');
  });

  it('enforces the XSD sequence and the absence of unknown attributes and elements', () => {
    const xml = `<config>
      <async_event name="x" priority="1">
        <resources><resource>A::b</resource><acl/><resource></resource></resources>
        <service class="A" method="m" shared="true"/>
        <observer/>
      </async_event>
      <async_event><service class="A" method="m"/></async_event>
    </config>`;
    expect(() => parseAsyncEventsXml(xml, 'order.xml')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /unexpected attribute priority[\s\S]*unexpected element <observer>[\s\S]*<service> must come before <resources>[\s\S]*<service> has unexpected attribute shared[\s\S]*unexpected element <acl> in <resources>[\s\S]*<resource> #3 is empty[\s\S]*#2: attribute name is required/,
        ) as unknown,
      }),
    );
  });

  it('rejects a document with several root elements', () => {
    expect(() => parseAsyncEventsXml('<config/><config/>', 'two.xml')).toThrow(
      'two.xml: expected exactly one root element, found 2 (<config>, <config>)',
    );
  });
});
