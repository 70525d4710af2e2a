// The one door to the API: fetch with the bearer token, the one error shape, the
// rate-limit headers, uploads with progress (XMLHttpRequest) and server-sent events over fetch.
// It knows nothing about how tokens are obtained: session.js registers a provider.

/** An API error in the platform's one shape; `status` 0 means the server was not reached. */
export class ApiError extends Error {
  constructor(status, code, message, requestId = '', details = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }
}

let provider = {
  /** @returns {Promise<string|null>} a valid access token, refreshed when it is about to expire */
  token: async () => null,
  /** Called with the token a 401 refused; resolves true when a retry may succeed. */
  unauthorized: async (_refusedToken) => false,
};

/** session.js plugs its token handling in here. */
export function setAuthProvider(next) { provider = next; }

/** The last rate-limit headers seen: `{limit, remaining, reset, seenAt, path}` or null. */
let lastRateLimit = null;
export function rateLimitStatus() { return lastRateLimit; }

function noteRateLimit(headers, path) {
  const limit = headers.get('RateLimit-Limit');
  if (limit === null) return;
  lastRateLimit = {
    limit: Number(limit),
    remaining: Number(headers.get('RateLimit-Remaining')),
    reset: Number(headers.get('RateLimit-Reset')),
    seenAt: Date.now(),
    path,
  };
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Builds an ApiError from a failed answer (whatever its body). */
async function errorFrom(response) {
  const requestId = response.headers.get('X-Request-ID') || '';
  let text = '';
  try { text = await response.text(); } catch { /* body unreadable: fall through */ }
  try {
    const body = JSON.parse(text);
    if (body && body.error && typeof body.error.message === 'string') {
      const e = body.error;
      return new ApiError(response.status, String(e.code || 'ERROR'), e.message, e.request_id || requestId, e.details || null);
    }
  } catch { /* not JSON */ }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText || 'The server answered with an error.', requestId);
}

async function send(method, path, options, token) {
  const headers = new Headers(options.headers || {});
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let body;
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  try {
    return await fetch(withQuery(path, options.query), { method, headers, body, signal: options.signal, credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.');
  }
}

/**
 * Sends a request and answers the raw Response when it is 2xx; throws ApiError otherwise.
 * With `auth` (the default) the bearer token is added, and one 401 leads to one refresh and retry.
 */
export async function requestRaw(method, path, options = {}) {
  const auth = options.auth !== false;
  const token = auth ? await provider.token() : null;
  let response = await send(method, path, options, token);
  if (auth && response.status === 401 && await provider.unauthorized(token)) {
    response = await send(method, path, options, await provider.token());
  }
  noteRateLimit(response.headers, path);
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** Sends a JSON request and answers the decoded JSON body (null for 204). */
export async function request(method, path, options = {}) {
  const response = await requestRaw(method, path, options);
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch {
    throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent an answer this page cannot read.', response.headers.get('X-Request-ID') || '');
  }
}

export const get = (path, query, options = {}) => request('GET', path, { ...options, query });
export const post = (path, body, options = {}) => request('POST', path, { ...options, body });
export const patch = (path, body, options = {}) => request('PATCH', path, { ...options, body });
export const put = (path, body, options = {}) => request('PUT', path, { ...options, body });
export const del = (path, options = {}) => request('DELETE', path, options);

/**
 * Uploads a FormData with progress. fetch cannot report upload progress, so this uses
 * XMLHttpRequest. `onProgress(loaded, total)`; answers the decoded JSON; `signal` aborts.
 */
export async function upload(path, form, { onProgress, signal } = {}) {
  const attempt = (token) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => { if (onProgress && event.lengthComputable) onProgress(event.loaded, event.total); };
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload did not reach the server.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    if (signal) signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
  const token = await provider.token();
  let xhr = await attempt(token);
  if (xhr.status === 401 && await provider.unauthorized(token)) xhr = await attempt(await provider.token());
  const headers = { get: (name) => xhr.getResponseHeader(name) };
  noteRateLimit(headers, path);
  if (xhr.status >= 200 && xhr.status < 300) {
    try { return JSON.parse(xhr.responseText || 'null'); } catch { return null; }
  }
  // Reuse the fetch path's error parsing on a synthetic Response.
  const response = new Response(xhr.responseText || null, { status: xhr.status || 599, statusText: xhr.statusText || '' });
  const error = await errorFrom(response);
  if (!error.requestId) error.requestId = xhr.getResponseHeader('X-Request-ID') || '';
  throw error;
}

/**
 * Reads a text/event-stream body and calls `onEvent(name, data)` for each event, `data` parsed
 * as JSON when it is JSON. EventSource cannot POST or send Authorization, hence this.
 */
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const dispatch = (block) => {
    let name = 'message';
    const data = [];
    for (const line of block.split(/\r\n|\r|\n/)) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* plain text data */ }
    onEvent(name, parsed);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    // Normalise line ends; a trailing \r may be the first half of a \r\n split across chunks.
    const held = buffer.endsWith('\r') ? '\r' : '';
    buffer = (held ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
    buffer += held;
  }
  buffer += decoder.decode();
  if (buffer.trim()) dispatch(buffer);
}

/** Fetches every page of a cursor-paginated list (`next_cursor`), up to `maxPages`. */
export async function getAll(path, key, query = {}, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const body = await get(path, { ...query, limit: 200, cursor });
    items.push(...(body[key] || []));
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return items;
}
