/**
 * A browser's share of a conversation with the site, without the browser: it keeps cookies
 * (as Set-Cookie says, removing expired ones), follows nothing on its own, and reads the
 * form token out of pages the way a form would submit it. Works over `app.request` or a real
 * server's `fetch`.
 */
export type Send = (path: string, init: RequestInit) => Promise<Response>;

export class CookieClient {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines last received, by cookie name. */
  readonly setCookieLines = new Map<string, string>();
  constructor(private readonly send: Send) {}

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      this.setCookieLines.set(name, line);
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(
      await this.send(path, { headers: { ...this.cookieHeader(), ...headers }, redirect: 'manual' }),
    );
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.keep(
      await this.send(path, {
        method: 'POST',
        headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: body.toString(),
        redirect: 'manual',
      }),
    );
  }

  async json(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.keep(
      await this.send(path, {
        method,
        headers: {
          ...this.cookieHeader(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
      }),
    );
  }

  /** Where a redirect sends a browser, loaded; any other answer as it is. */
  async follow(res: Response): Promise<Response> {
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return res;
    return this.get(location.replace(/^https?:\/\/[^/]+/, ''));
  }

  /** The CSRF token a page's forms carry (after loading the page, as a browser would). */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`No form token on ${path}`);
    return token;
  }

  /** Fill in and send a page's form the way a person would: load it, then post with its token. */
  async submit(
    pagePath: string,
    action: string,
    fields: Record<string, string | string[]>,
  ): Promise<Response> {
    const csrf = await this.csrfFrom(pagePath);
    return this.post(action, { csrf, ...fields });
  }
}
