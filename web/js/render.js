// DOM helpers. Content only ever reaches the page as text nodes or attribute values set
// through the DOM: nothing here (or anywhere in the app) assigns innerHTML.

/**
 * `h('button', {class: 'x', onclick: fn, type: 'button'}, 'text', child)`.
 * Strings become text nodes; `on*` keys become listeners; `null`/`false` children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** An API (or any) error, shown plainly: message, code and request id. */
export function errorBox(error) {
  const box = h('div', { class: 'error', role: 'alert' });
  if (error && error.name === 'ApiError') {
    append(box, [h('strong', {}, error.message),
      h('span', { class: 'meta' }, ` ${error.code}${error.status ? ` (${error.status})` : ''}`),
      error.requestId ? h('span', { class: 'meta' }, ` · request ${error.requestId}`) : null]);
    if (error.code === 'RATE_LIMITED' && error.details && error.details.retry_after_seconds) {
      append(box, [h('div', {}, `Try again in ${error.details.retry_after_seconds} s.`)]);
    }
  } else {
    box.textContent = (error && error.message) || 'Something went wrong.';
  }
  return box;
}

/** Shows `error` in `slot` (or clears it with null). */
export function showError(slot, error) {
  replace(slot, error ? errorBox(error) : null);
}

/** Tells screen-reader users something happened. */
export function announce(text) {
  const el = document.getElementById('announcer');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 30);
}

/** A labelled form field: `field('Email', h('input', {...}))`; gives the input an id. */
let seq = 0;
export function field(label, control, hint) {
  seq += 1;
  control.id = control.id || `f${seq}`;
  const hintEl = hint ? h('small', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** A modal dialog (native <dialog>, focus trapped by the browser); answers the element. */
export function dialog(title, ...body) {
  const heading = h('h2', { class: 'dialog-title' }, title);
  const close = h('button', { type: 'button', class: 'btn-quiet dialog-close', 'aria-label': 'Close' }, '×');
  const el = h('dialog', { class: 'dialog' }, h('div', { class: 'dialog-head' }, heading, close), ...body);
  close.addEventListener('click', () => el.close());
  el.addEventListener('close', () => el.remove());
  document.body.append(el);
  el.showModal();
  return el;
}

/** Asks a yes/no question in a dialog; resolves true on confirm. */
export function confirmAction(question, confirmLabel = 'Delete') {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h('button', { type: 'button', class: 'btn-danger' }, confirmLabel);
    const no = h('button', { type: 'button' }, 'Cancel');
    const d = dialog('Please confirm', h('p', {}, question), h('div', { class: 'row' }, yes, no));
    yes.addEventListener('click', () => { answer = true; d.close(); });
    no.addEventListener('click', () => d.close());
    d.addEventListener('close', () => resolve(answer));
    no.focus();
  });
}

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    if (button) { const old = button.textContent; button.textContent = 'Copied'; setTimeout(() => { button.textContent = old; }, 1500); }
    announce('Copied to the clipboard');
  } catch {
    announce('Copying is not allowed here');
  }
}

export const formatDate = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
export function formatBytes(n) {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(n); let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i += 1; }
  return `${value.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A screen's heading, focusable so route changes move focus to it. */
export const screenHeading = (text) => h('h1', { tabindex: '-1', class: 'screen-title' }, text);
