import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * KaTeX's stylesheet and fonts from the installed package, to be served under /static/katex/
 * (the content security policy allows fonts and styles from this origin only). Only the woff2
 * fonts: KaTeX's stylesheet lists them first, and every browser that runs the site reads them.
 */
export function katexAssets(): Map<string, { body: Buffer; type: string }> {
  const css = createRequire(import.meta.url).resolve('katex/dist/katex.min.css');
  const assets = new Map<string, { body: Buffer; type: string }>();
  assets.set('katex/katex.min.css', { body: readFileSync(css), type: 'text/css; charset=utf-8' });
  const fonts = join(dirname(css), 'fonts');
  for (const name of readdirSync(fonts)) {
    if (name.endsWith('.woff2')) {
      assets.set(`katex/fonts/${name}`, { body: readFileSync(join(fonts, name)), type: 'font/woff2' });
    }
  }
  return assets;
}
