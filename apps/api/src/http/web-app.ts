import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Where `npm start` (vite build) puts the web app; JEJAK_WEB_DIR overrides it. */
export const webDir = (): string => resolve(process.env.JEJAK_WEB_DIR ?? join(process.cwd(), 'dist', 'web'));

/**
 * The officers' web app, served by the API itself under /app/ (same origin: no CORS). Hashed assets are
 * cached for a year; the page itself never (it names the current assets). Every path under /app/ that is
 * not a file is the app's own route: the page is served and the app routes in the browser. A browser
 * asking for / is sent to /app/. The page names the deployment's time zone (JEJAK_TIMEZONE) in a meta
 * tag, so that the app shows dates and computes "today" where the office is, as the API does.
 */
export function mountWebApp(app: NestExpressApplication, timeZone: string): void {
  const dir = webDir();
  const index = join(dir, 'index.html');
  let page: { mtime: number; html: string } | undefined;
  const html = (): string => {
    const mtime = statSync(index).mtimeMs;
    if (page?.mtime !== mtime) {
      const source = readFileSync(index, 'utf8');
      // The zone is an IANA name the configuration checked (letters, digits, / _ + -): safe in an attribute.
      page = {
        mtime,
        html: source.replace(/<meta name="jejak-timezone" content="[^"]*"/, `<meta name="jejak-timezone" content="${timeZone}"`),
      };
    }
    return page.html;
  };
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method === 'GET' && request.path === '/' && request.accepts(['json', 'html']) === 'html')
      return response.redirect(302, '/app/');
    return next();
  });
  app.use(
    '/app/assets',
    express.static(join(dir, 'assets'), {
      fallthrough: false,
      index: false,
      // Replaces the API's no-store: an asset's name changes whenever its content does.
      setHeaders: (response) => response.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  // The installable app: its manifest, icon and service worker (checked on every visit: never cached long).
  for (const [file, type] of [
    ['sw.js', 'text/javascript'],
    ['manifest.webmanifest', 'application/manifest+json'],
    ['icon.svg', 'image/svg+xml'],
  ] as const) {
    app.use(`/app/${file}`, (request: Request, response: Response, next: NextFunction) => {
      const path = join(dir, file);
      if ((request.method !== 'GET' && request.method !== 'HEAD') || request.path !== '/' || !existsSync(path)) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.type(type).send(readFileSync(path));
    });
  }
  app.use('/app', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!existsSync(index)) {
      response.status(503).type('text/plain').send('The web app is not built: run `npm start` (or `npm run build:web`).');
      return;
    }
    response.setHeader('Cache-Control', 'no-store');
    response.type('html').send(html());
  });
}
