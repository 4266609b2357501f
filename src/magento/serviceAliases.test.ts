import { describe, expect, it } from 'vitest';

import { SidecarError } from '../shared/index.js';
import {
  BUILT_IN_SERVICE_ALIASES,
  makeServiceAliasTable,
  parseServiceAliases,
  resolveServiceAlias,
  serviceKey,
} from './serviceAliases.js';

const CUSTOMER_WRAPPER = {
  serviceClass: 'MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerManagement',
  serviceMethod: 'getById',
};

describe('serviceKey', () => {
  it('ignores case and a leading backslash, as PHP does', () => {
    expect(
      serviceKey({ serviceClass: '\\Magento\\Sales\\Api\\OrderRepositoryInterface', serviceMethod: 'GET' }),
    ).toBe(
      serviceKey({ serviceClass: 'magento\\sales\\api\\orderrepositoryinterface', serviceMethod: 'get' }),
    );
  });
});

describe('parseServiceAliases', () => {
  it('parses entries separated by commas or newlines, ignoring blanks and spaces', () => {
    const text = ' A\\B::get = C\\D::get ,\n\\E\\F::load=G::fetch,\r\n,';
    expect(parseServiceAliases(text)).toEqual([
      {
        from: { serviceClass: 'A\\B', serviceMethod: 'get' },
        to: { serviceClass: 'C\\D', serviceMethod: 'get' },
      },
      {
        from: { serviceClass: 'E\\F', serviceMethod: 'load' },
        to: { serviceClass: 'G', serviceMethod: 'fetch' },
      },
    ]);
    expect(parseServiceAliases('')).toEqual([]);
  });

  it('reports every bad entry at once with SC_ERR_CONFIG', () => {
    let error: unknown;
    try {
      parseServiceAliases('A::b, A::b=C, A::b=C::d=E::f, 1A::b=C::d, A::b=C::d, a::B=X::y, X::y=\\x::Y');
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(SidecarError);
    const { code, message } = error as SidecarError;
    expect(code).toBe('SC_ERR_CONFIG');
    expect(message).toContain('"A::b": expected Vendor\\Module\\Class::method=Vendor\\Module\\Other::method');
    expect(message).toContain('"A::b=C": expected');
    expect(message).toContain('"A::b=C::d=E::f": expected');
    expect(message).toContain('"1A::b=C::d": expected');
    expect(message).toContain('"a::B=X::y": a::B is aliased more than once');
    expect(message).toContain('"X::y=\\x::Y": a method cannot be an alias of itself');
    expect(message).not.toContain('"A::b=C::d":');
  });
});

describe('resolveServiceAlias', () => {
  it('maps the mageos-common-async-events customer wrappers to the customer repositories', () => {
    const table = makeServiceAliasTable();
    expect(BUILT_IN_SERVICE_ALIASES).toHaveLength(2);
    expect(resolveServiceAlias(table, CUSTOMER_WRAPPER)).toEqual({
      serviceClass: 'Magento\\Customer\\Api\\CustomerRepositoryInterface',
      serviceMethod: 'getById',
      viaAlias: true,
    });
    expect(
      resolveServiceAlias(table, {
        serviceClass: '\\MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerAddressManagement',
        serviceMethod: 'getbyid',
      }),
    ).toEqual({
      serviceClass: 'Magento\\Customer\\Api\\AddressRepositoryInterface',
      serviceMethod: 'getById',
      viaAlias: true,
    });
  });

  it('returns other methods unchanged', () => {
    const order = { serviceClass: 'Magento\\Sales\\Api\\OrderRepositoryInterface', serviceMethod: 'get' };
    expect(resolveServiceAlias(makeServiceAliasTable(), order)).toEqual({ ...order, viaAlias: false });
  });

  it('lets operator aliases add to and replace built-ins, without chaining', () => {
    const table = makeServiceAliasTable(
      parseServiceAliases(
        'MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerManagement::getById=Acme\\Customer::load,' +
          'Magento\\Catalog\\Api\\ProductRepositoryInterface::getById=Acme\\Product::getById,' +
          'Acme\\Product::getById=Acme\\Other::get',
      ),
    );
    expect(resolveServiceAlias(table, CUSTOMER_WRAPPER)).toEqual({
      serviceClass: 'Acme\\Customer',
      serviceMethod: 'load',
      viaAlias: true,
    });
    expect(
      resolveServiceAlias(table, {
        serviceClass: 'Magento\\Catalog\\Api\\ProductRepositoryInterface',
        serviceMethod: 'getById',
      }),
    ).toEqual({ serviceClass: 'Acme\\Product', serviceMethod: 'getById', viaAlias: true });
  });
});
