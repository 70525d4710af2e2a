// Hash routes (`#/chat/<id>`), so deep links work with a plain static file server.
// Each screen module exports `mount(container, params)`, which may return a cleanup function.

const routes = new Map();
let current = null;
let guard = () => null;

export function route(name, loader) { routes.set(name, loader); }
/** `fn(name)` answers a route to go to instead (e.g. sign-in), or null. */
export function setGuard(fn) { guard = fn; }

export function parse() {
  const [path, search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [name = '', ...rest] = path.split('/').map(decodeURIComponent);
  return { name: name || 'chat', args: rest, query: new URLSearchParams(search) };
}

export function go(hash) {
  if (window.location.hash === hash) render(); else window.location.hash = hash;
}

export async function render() {
  const main = document.getElementById('main');
  const target = parse();
  const redirect = guard(target.name);
  if (redirect && redirect !== target.name) { window.location.hash = `#/${redirect}`; return; }
  if (current) { try { current(); } catch { /* cleanup is best-effort */ } current = null; }
  const loader = routes.get(target.name) || routes.get('notfound');
  const screen = await loader();
  main.replaceChildren();
  const cleanup = await screen.mount(main, target);
  current = typeof cleanup === 'function' ? cleanup : null;
  document.querySelectorAll('[data-route]').forEach((a) => {
    if (a.dataset.route === target.name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  const heading = main.querySelector('h1');
  if (heading && !main.contains(document.activeElement)) heading.focus();
  document.title = heading ? `${heading.textContent} · Cairn` : 'Cairn';
}

export function start() {
  window.addEventListener('hashchange', render);
  render();
}
