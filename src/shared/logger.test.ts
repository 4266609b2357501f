import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { makeLogger } from './logger.js';

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, destination };
}

describe('makeLogger', () => {
  it('blanks out secrets logged by mistake', () => {
    const { lines, destination } = capture();
    const logger = makeLogger({ destination });
    logger.info(
      {
        token: 'tok-1',
        subscription: { verificationToken: '0:3:secret-2' },
        headers: { authorization: 'Bearer tok-3' },
      },
      'x',
    );
    logger
      .child({ component: 'c' })
      .info({ config: { magento: { token: 'tok-4', cryptKey: 'key-5' } }, secret: 'sec-6' }, 'y');
    const output = lines.join('');
    for (const secret of ['tok-1', 'secret-2', 'tok-3', 'tok-4', 'key-5', 'sec-6']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[redacted]');
  });

  it('writes JSON lines with the level label and ISO time', () => {
    const { lines, destination } = capture();
    makeLogger({ destination, level: 'debug' }).debug({ eventName: 'a' }, 'hello');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'debug',
      msg: 'hello',
      eventName: 'a',
      service: 'async-events-sidecar',
    });
  });
});
