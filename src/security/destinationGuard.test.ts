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
    ['100.127.255.255', /carrier-grade NAT/],
    ['169.254.170.2', /link-local/], // the ECS task metadata endpoint
    ['255.255.255.255', /reserved/],
    ['192.88.99.1', /6to4 relay/],
    ['fd00:ec2::254', /AWS metadata/],
    ['::7f00:1', /IPv4-compatible/],
    ['::127.0.0.1', /IPv4-compatible/],
    ['::a9fe:a9fe', /IPv4-compatible/],
    ['::ffff:0:7f00:1', /IPv4-translated/],
    ['::ffff:a9fe:a9fe', /169\.254\.0\.0\/16/],
    ['::ffff:100.64.0.1', /carrier-grade NAT/],
    ['64:ff9b::a9fe:a9fe', /NAT64/],
    ['64:ff9b::127.0.0.1', /NAT64/],
    ['64:ff9b:1::a00:1', /local-use NAT64/],
    ['2002:7f00:1::', /6to4/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['fe80::1%eth0', /link-local/],
    ['::1%lo', /loopback/],
    ['0:0:0:0:0:0:0:1', /loopback/],
    ['0000::0001', /loopback/],
    ['ff02::1', /multicast/],
  ])('blocks %s', (address, reason) => {
    expect(guard.blockedBy(address)).toMatch(reason);
  });

  it('judges a URL host only when it is an IP literal, brackets and all', () => {
    expect(guard.literalBlockedBy('127.0.0.1')).toMatch(/loopback/);
    expect(guard.literalBlockedBy('[::1]')).toMatch(/loopback/);
    expect(guard.literalBlockedBy('[fd00::1]')).toMatch(/unique local/);
    expect(guard.literalBlockedBy('8.8.8.8')).toBeUndefined();
    expect(guard.literalBlockedBy('localhost')).toBeUndefined(); // a name: the connection's lookup decides
  });

  it('lets public addresses through', () => {
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '100.63.255.255',
      '100.128.0.0',
      '172.32.0.1',
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
    ]) {
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
    'http://LOCALHOST:8080/hook',
    'http://0x7f000001/hook',
    'http://017700000001/hook',
    'http://127.0.0.1./hook',
    'http://%31%32%37.0.0.1/hook',
    'http://0/hook',
    'http://0.0.0.0:8080/hook',
    'http://[::]/hook',
    'http://[0:0:0:0:0:0:0:1]/hook',
    'http://[::127.0.0.1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://[::ffff:0:127.0.0.1]/hook',
    'http://[64:ff9b::169.254.169.254]/hook',
    'http://[2002:a9fe:a9fe::]/hook',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://169.254.170.2/v2/credentials',
    'http://100.100.100.200/latest/meta-data/',
    'http://user@127.0.0.1/hook',
    'http://①②⑦.0.0.1/hook',
  ])('refuses %s, whatever the spelling', async (url) => {
    expect(await guard.checkUrl(url)).toMatchObject({ ok: false });
  });

  it('refuses a name that resolves to a blocked address, saying which', async () => {
    expect(await guard.checkUrl('http://localhost:9000/hook')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1) is in/) as unknown,
    });
  });

  it('refuses a zone id, which the URL parser does not accept', async () => {
    await expect(guard.checkUrl('http://[fe80::1%25eth0]/hook')).rejects.toThrow(/Invalid URL/);
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
