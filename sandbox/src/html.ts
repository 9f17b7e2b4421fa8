/**
 * Plain HTML pages: the browser-facing OAuth screens share `layout`, and the two gateway pages
 * imitate what Keap's front ends return (keap.md §6), so clients that sniff `<title>` work.
 */

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}',
  'label{display:block;margin-top:1rem}',
  'input{width:100%;padding:.4rem;box-sizing:border-box}',
  'button{margin-top:1rem;margin-right:.5rem;padding:.5rem 1rem}',
  '.btn-primary{background:#2f7d32;color:#fff;border:0}',
  '.error{color:#b00020}',
].join('');

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Wraps already-escaped body markup in a complete, asset-free page. */
export function layout(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}

/** Keap's page for a URL it does not know (the gateway answers it, not the REST API). */
export function notFoundPage(): string {
  return layout(
    'Keap - Page Not Found',
    '<h1>Page Not Found</h1><p>The page you are looking for does not exist.</p>',
  );
}

/**
 * Google's front end rejects a GET that carries a body before Keap sees it; its page is a
 * bare HTML document, reproduced in spirit here.
 */
export function badRequestPage(): string {
  return [
    '<html>',
    '<head><meta http-equiv="content-type" content="text/html;charset=utf-8">',
    '<title>400 Bad Request</title></head>',
    '<body><h1>Error: Bad Request</h1>',
    '<h2>Your client has issued a malformed or illegal request.</h2></body>',
    '</html>',
  ].join('\n');
}
