// The signed-in session. Both tokens live only in this module's memory (never in storage),
// so a reload means signing in again; see web/README.md ("Tokens").
import { ApiError, request, setAuthProvider } from './api.js';

let access = null;        // the access token (JWT)
let accessExpiresAt = 0;  // ms since epoch
let refreshToken = null;  // single-use, rotated on every refresh
let refreshing = null;    // the one refresh in flight (a second concurrent use would revoke the family)
let timer = null;
let me = null;            // GET /v1/auth/me
const listeners = new Set();

export const onChange = (fn) => { listeners.add(fn); return () => listeners.delete(fn); };
const emit = (reason) => listeners.forEach((fn) => fn(reason));

export const isSignedIn = () => access !== null;
export const identity = () => me;
export const can = (permission) => Boolean(me && me.permissions && me.permissions.some((p) => {
  const [res, act] = p.split(':');
  const [wantRes, wantAct] = permission.split(':');
  return (res === '*' || res === wantRes) && (act === '*' || act === wantAct);
}));

function adopt(tokens) {
  access = tokens.access_token;
  refreshToken = tokens.refresh_token;
  accessExpiresAt = Date.now() + tokens.expires_in * 1000;
  clearTimeout(timer);
  // Refresh ahead of expiry (at 80% of the lifetime) so requests rarely meet a 401.
  timer = setTimeout(() => { refresh().catch(() => {}); }, Math.max(5, tokens.expires_in * 0.8) * 1000);
}

function drop(reason) {
  access = null; refreshToken = null; accessExpiresAt = 0; me = null;
  clearTimeout(timer);
  emit(reason);
}

/** Rotates the refresh token; one at a time. Ends the session when auth refuses. */
export function refresh() {
  if (!refreshToken) return Promise.reject(new ApiError(401, 'UNAUTHENTICATED', 'Please sign in.'));
  if (!refreshing) {
    const presented = refreshToken;
    refreshing = request('POST', '/v1/auth/refresh', { auth: false, body: { refresh_token: presented } })
      .then((tokens) => { adopt(tokens); })
      .catch((error) => {
        if (error.status === 401 || error.status === 400) drop('expired');
        throw error;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

setAuthProvider({
  token: async () => {
    if (!access) return null;
    if (Date.now() > accessExpiresAt - 30_000 && refreshToken) {
      try { await refresh(); } catch { /* the request will answer 401 and say so */ }
    }
    return access;
  },
  unauthorized: async (refusedToken) => {
    // Another request already refreshed since this one was sent: just retry with the new token.
    if (access && refusedToken && refusedToken !== access) return true;
    if (!refreshToken) return false;
    try { await refresh(); return true; } catch { return false; }
  },
});

async function start(tokens) {
  adopt(tokens);
  me = await request('GET', '/v1/auth/me');
  emit('signed-in');
  return me;
}

/** `{organisation, email, password, display_name?}` → the registration (tenant has the slug). */
export async function register(fields) {
  const body = await request('POST', '/v1/auth/register', { auth: false, body: fields });
  await start(body.tokens);
  return body;
}

/** Answers `{mfa: true, mfaToken}` when a second factor is needed, else `{mfa: false}`. */
export async function login(tenant, email, password) {
  const body = await request('POST', '/v1/auth/login', { auth: false, body: { tenant, email, password } });
  if (body.mfa_required) return { mfa: true, mfaToken: body.mfa_token, expiresIn: body.expires_in };
  await start(body.tokens);
  return { mfa: false };
}

/** Completes an MFA login with a TOTP `code` or a `recoveryCode`. */
export async function loginMFA(mfaToken, { code, recoveryCode }) {
  const body = code ? { mfa_token: mfaToken, code } : { mfa_token: mfaToken, recovery_code: recoveryCode };
  const answer = await request('POST', '/v1/auth/login/mfa', { auth: false, body });
  await start(answer.tokens);
}

/** Ends the session at auth (its token family) and forgets both tokens. */
export async function signOut() {
  const presented = refreshToken;
  drop('signed-out');
  if (presented) {
    try { await request('POST', '/v1/auth/logout', { auth: false, body: { refresh_token: presented } }); } catch { /* gone either way */ }
  }
}
