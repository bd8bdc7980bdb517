import type { Context } from 'hono';

interface ProblemProps {
  title: string;
  message: string;
}

/** A refusal or failure the person can act on; htmx swaps it into place, a browser gets a page. */
export function Problem({ title, message }: ProblemProps) {
  return (
    <section class="problem notice" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      <p>
        <a href="">Reload this page</a>
      </p>
    </section>
  );
}

export function problemResponse(c: Context, status: 400 | 409 | 413 | 414 | 500 | 503, title: string, message: string): Response | Promise<Response> {
  if (c.req.header('hx-request')) return c.html(<Problem title={title} message={message} />, status);
  c.status(status);
  return c.render(<Problem title={title} message={message} />, { title });
}
