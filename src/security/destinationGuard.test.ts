import { describe, expect, it } from 'vitest';

import { makeDestinationGuard, parseCidrs } from './destinationGuard.js';

const guard = makeDestinationGuard({ allowCidrs: [] });

describe('destination guard', () => {
  it.each([
    ['127.0.0.1', /127\.0\.0\.0\/8 \(loopback\)/],
    ['10.1.2.3', /10\.0\.0\.0\/8 \(private\)/],
    ['172.20.0.1', /172\.16\.0\.0\/12/],
    ['192.168.1.1', /192\.168\.0\.0\/16/],
    ['169.254.169.254', /link-local \(cloud metadata\)/],
    ['100.100.100.200', /carrier-grade NAT/],
    ['0.0.0.0', /"this network"/],
    ['::1', /::1\/128 \(loopback\)/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fd00:ec2::254', /unique local/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:10.0.0.1', /private/],
    ['224.0.0.1', /multicast/],
  ])('blocks %s', (address, reason) => {
    expect(guard.blockedBy(address)).toMatch(reason);
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) {
      expect(guard.blockedBy(address)).toBeUndefined();
    }
  });

  it.each([
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
    'http://0x7f.1/hook',
    'http://127.1/hook',
    'http://[::1]:8080/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost/hook',
  ])('refuses %s, whatever the spelling', async (url) => {
    expect(await guard.checkUrl(url)).toMatchObject({ ok: false });
  });

  it('honours DESTINATION_ALLOW_CIDRS', async () => {
    const permissive = makeDestinationGuard({ allowCidrs: ['127.0.0.0/8', '::1/128'] });
    expect(await permissive.checkUrl('http://127.0.0.1:9000/hook')).toEqual({ ok: true });
    expect(await permissive.checkUrl('http://[::1]/hook')).toEqual({ ok: true });
    expect(permissive.blockedBy('10.0.0.1')).toMatch(/private/);
  });

  it('fails the connection lookup for a blocked name', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      guard.lookup('localhost', { family: 0 }, (failure) => resolve(failure));
    });
    expect(error?.code).toBe('SC_ERR_DESTINATION_BLOCKED');
    expect(error?.message).toMatch(/Destination localhost blocked: (127\.0\.0\.1|::1) is in/);
  });

  it('rejects malformed CIDRs with the entry named', () => {
    expect(() => parseCidrs('10.0.0.0/8, nope')).toThrow(/"nope" is not a CIDR range/);
    expect(() => parseCidrs('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
  });
});
