import { createConnection } from 'node:net';

/**
 * Integration tests need this machine's RabbitMQ and MariaDB. When one is down the test fails with a
 * message naming the service and how to start it; it never skips silently.
 */
const SERVICES = {
  RabbitMQ: { host: '127.0.0.1', port: 5672, start: 'rabbitmq-server -detached' },
  MariaDB: {
    host: '127.0.0.1',
    port: 3306,
    start: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
  },
} as const;

export async function requireService(name: keyof typeof SERVICES): Promise<void> {
  const service = SERVICES[name];
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection({ host: service.host, port: service.port });
    const fail = (reason: string): void => {
      socket.destroy();
      reject(
        new Error(
          `${name} is not reachable at ${service.host}:${service.port} (${reason}). This test needs it; start it with: ${service.start}`,
        ),
      );
    };
    socket.setTimeout(2000, () => fail('timeout'));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
