import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { loadEventCatalog } from './catalog.js';
import { bindRoute } from './routeBinding.js';

const MAGENTO_ROOT = fileURLToPath(new URL('../../fixtures/magento-root', import.meta.url));
const INVALID_EVENTS = fileURLToPath(
  new URL('../../fixtures/xml/invalid/async-events-bad-name.xml', import.meta.url),
);

const COMMON_EVENTS = [
  'customer.created',
  'customer.updated',
  'customer.login',
  'customer.address.created',
  'customer.address.updated',
  'sales.order.created',
  'sales.order.updated',
  'sales.order.paid',
  'sales.order.shipped',
  'sales.order.holded',
  'sales.order.unholded',
  'sales.order.cancelled',
  'sales.shipment.created',
  'sales.invoice.created',
  'sales.invoice.paid',
  'sales.creditmemo.created',
  'catalog.product.created',
  'catalog.product.updated',
  'cms.page.created',
  'cms.page.updated',
  'cms.block.created',
  'cms.block.updated',
];

describe('loadEventCatalog over fixtures/magento-root', () => {
  it('holds the 22 mageos-common-async-events events and the Acme event', async () => {
    const catalog = await loadEventCatalog({ magentoRoot: MAGENTO_ROOT, extraPaths: [] });
    expect([...catalog.events.keys()]).toEqual([...COMMON_EVENTS, 'acme.erp.order.exported']);
    expect(catalog.files.asyncEvents).toHaveLength(2);
    expect(catalog.files.webapi).toHaveLength(4);
  });

  it('lets app/code override a vendor event declared with other casing', async () => {
    const catalog = await loadEventCatalog({ magentoRoot: MAGENTO_ROOT, extraPaths: [] });
    const created = catalog.get('sales.order.created');
    expect(created?.definition).toMatchObject({
      declaredName: 'Sales.Order.Created',
      serviceClass: 'Magento\\Sales\\Api\\OrderRepositoryInterface',
      resources: ['Magento_Sales::actions_view'],
      file: join(MAGENTO_ROOT, 'app/code/Acme/Erp/etc/async_events.xml'),
    });
    expect(created?.overriddenFiles).toEqual([
      join(MAGENTO_ROOT, 'vendor/mage-os/module-common-async-events/etc/async_events.xml'),
    ]);
    expect(catalog.get('acme.erp.order.exported')?.definition.resources).toEqual(['Magento_Sales::sales']);
  });

  it('resolves customer events through the built-in aliases, skipping the /me routes', async () => {
    const catalog = await loadEventCatalog({ magentoRoot: MAGENTO_ROOT, extraPaths: [] });
    for (const name of ['customer.created', 'customer.updated', 'customer.login']) {
      const event = catalog.get(name);
      expect(event?.resolvedService).toEqual({
        serviceClass: 'Magento\\Customer\\Api\\CustomerRepositoryInterface',
        serviceMethod: 'getById',
        viaAlias: true,
      });
      expect(event?.candidates.map((candidate) => candidate.route.url)).toEqual([
        '/V1/customers/:customerId',
      ]);
    }
    const address = catalog.get('customer.address.updated');
    expect(address?.candidates.map((candidate) => candidate.route.url)).toEqual([
      '/V1/customers/addresses/:addressId',
    ]);
    expect(bindRoute(address?.candidates ?? [], { addressId: 12 })).toMatchObject({
      ok: true,
      path: '/V1/customers/addresses/12',
    });
  });

  it('binds routes for the sales and cms events', async () => {
    const catalog = await loadEventCatalog({ magentoRoot: MAGENTO_ROOT, extraPaths: [] });
    const paths = Object.fromEntries(
      ['sales.order.paid', 'sales.shipment.created', 'sales.invoice.paid', 'sales.creditmemo.created'].map(
        (name) => {
          const result = bindRoute(catalog.get(name)?.candidates ?? [], { id: 7 });
          return [name, result.ok ? result.path : result.reason];
        },
      ),
    );
    expect(paths).toEqual({
      'sales.order.paid': '/V1/orders/7',
      'sales.shipment.created': '/V1/shipment/7',
      'sales.invoice.paid': '/V1/invoices/7',
      'sales.creditmemo.created': '/V1/creditmemo/7',
    });
    expect(bindRoute(catalog.get('cms.page.updated')?.candidates ?? [], { page_id: 3 })).toMatchObject({
      ok: true,
      path: '/V1/cmsPage/3',
    });
    expect(bindRoute(catalog.get('cms.block.created')?.candidates ?? [], { blockId: 4 })).toMatchObject({
      ok: true,
      path: '/V1/cmsBlock/4',
    });
  });

  it('reports catalog.product.* as no-route problems, and nothing else', async () => {
    const catalog = await loadEventCatalog({ magentoRoot: MAGENTO_ROOT, extraPaths: [] });
    expect(catalog.problems.map(({ kind, eventName }) => ({ kind, eventName }))).toEqual([
      { kind: 'no-route', eventName: 'catalog.product.created' },
      { kind: 'no-route', eventName: 'catalog.product.updated' },
    ]);
    expect(catalog.problems[0]?.message).toContain(
      'Magento\\Catalog\\Api\\ProductRepositoryInterface::getById',
    );
  });

  it('records an invalid extra file as a problem and keeps the rest', async () => {
    const extra = await mkdtemp(join(tmpdir(), 'catalog-'));
    try {
      await mkdir(join(extra, 'Acme/Broken/etc'), { recursive: true });
      await copyFile(INVALID_EVENTS, join(extra, 'Acme/Broken/etc/async_events.xml'));
      const catalog = await loadEventCatalog({ magentoRoot: MAGENTO_ROOT, extraPaths: [extra] });
      expect(catalog.events.size).toBe(23);
      expect(catalog.files.asyncEvents).toHaveLength(3);
      expect(catalog.problems.filter((problem) => problem.kind === 'invalid-file')).toEqual([
        {
          kind: 'invalid-file',
          file: join(extra, 'Acme/Broken/etc/async_events.xml'),
          message: expect.stringContaining('"sales order created": name must match') as unknown,
        },
      ]);
    } finally {
      await rm(extra, { recursive: true, force: true });
    }
  });

  it('fails when the Magento root does not exist', async () => {
    await expect(
      loadEventCatalog({ magentoRoot: join(MAGENTO_ROOT, 'missing'), extraPaths: [] }),
    ).rejects.toMatchObject({
      code: 'SC_ERR_CONFIG',
    });
  });
});
