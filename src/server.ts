import { serve } from '@hono/node-server';
import { createApp } from './http/app.ts';
import { MAX_HEADER_BYTES } from './http/limits.ts';
import type { AppContext } from './http/env.ts';

/** Serves the app on the configured port; resolves with a function that stops it. */
export function startServer(ctx: AppContext): Promise<{ port: number; stop: () => Promise<void> }> {
  const app = createApp(ctx);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: ctx.config.port, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } }, (info) => {
      resolve({
        port: info.port,
        stop: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
