/**
 * Walking the single sign-on flow without a browser: Hallway (through `send`, app.request or fetch)
 * and the test provider (fetch), each with its own cookies, redirects followed by hand so each
 * step can be looked at or altered.
 */

/** Cookies by origin (paths and expiry are not modelled: what is sent is a superset of a browser's). */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  header(url: string): string {
    const jar = this.byOrigin.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  take(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    this.byOrigin.set(origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
  }

  get(url: string, name: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.byOrigin.set(origin, jar);
  }
}

export interface Walker {
  jar: CookieJar;
  /** a GET to Hallway (absolute URL on Hallway's public origin), cookies in and out */
  hallway(url: string): Promise<Response>;
  /** Hallway's start: the provider's authorization URL it redirects to */
  start(next?: string): Promise<string>;
  /** signs in at the provider as `login` from an authorization URL; returns where it sends the browser back to */
  providerLogin(authorizationUrl: string, login: string): Promise<string>;
}

/**
 * `origin`: Hallway's public origin (its redirect URI's); `send`: how a request reaches Hallway
 * (fetch to a server, or the app's request method).
 */
export function walker(origin: string, send: (url: string, init: RequestInit) => Promise<Response>): Walker {
  const jar = new CookieJar();
  const hallway = async (url: string): Promise<Response> => {
    const res = await send(url, { headers: { Cookie: jar.header(url) }, redirect: 'manual' });
    jar.take(url, res);
    return res;
  };
  const provider = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: jar.header(url) }, redirect: 'manual' });
    jar.take(url, res);
    return res;
  };
  return {
    jar,
    hallway,
    async start(next) {
      const res = await hallway(`${origin}/sign-in/sso${next ? `?next=${encodeURIComponent(next)}` : ''}`);
      if (res.status !== 303) throw new Error(`starting single sign-on answered ${res.status}: ${await res.text()}`);
      return res.headers.get('location')!;
    },
    async providerLogin(authorizationUrl, login) {
      let url = authorizationUrl;
      for (let hops = 0; hops < 10; hops++) {
        if (url.startsWith(origin)) return url;
        const res = await provider(url);
        if (res.status === 200 && /\/interaction\/[^/]+$/.test(new URL(url).pathname)) {
          await res.text();
          const post = await provider(`${url}/login`, { method: 'POST', body: new URLSearchParams({ login }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
          if (post.status !== 303) throw new Error(`the provider's login answered ${post.status}`);
          url = new URL(post.headers.get('location')!, url).href;
          continue;
        }
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status} at ${new URL(url).pathname}: ${(await res.text()).slice(0, 300)}`);
        url = new URL(location, url).href;
      }
      throw new Error('the provider kept redirecting');
    },
  };
}
