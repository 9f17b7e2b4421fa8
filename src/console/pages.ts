import type { ApiError } from '../http/errors.js';

const STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1d2433}',
  'h1{font-size:1.4rem}',
  '.box{border:1px solid #e0b4b4;background:#fff6f6;border-radius:6px;padding:1rem}',
  'code{font-size:.9em}',
  'a{color:#2456c9}',
].join('');

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The page a provider sign-in ends on when it does not end with an instance: what went wrong,
 * that nothing was created, and the way back. A full page rather than a console route, so it
 * reads the same whether or not the console's scripts load.
 */
export function signInFailedPage(
  error: Pick<ApiError, 'code' | 'message'>,
  requestId: string,
): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>Sign-in not completed - Junction</title><style>${STYLE}</style></head><body>`,
    '<main><h1>Sign-in not completed</h1>',
    `<div class="box" role="alert"><p id="message">${escapeHtml(error.message)}.</p>`,
    `<p>Code <code id="code">${escapeHtml(error.code)}</code>, request <code>${escapeHtml(requestId)}</code></p></div>`,
    '<p><a href="/console/elements">Back to the catalog</a> · <a href="/console/instances">Instances</a></p>',
    '</main></body></html>',
  ].join('\n');
}
