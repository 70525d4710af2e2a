// Admin (tenant admins): users and roles, invitations, API keys (shown once), assistants and
// the audit log. Tabs are routes: #/admin/users, #/admin/keys, ...
import { h, replace, showError, errorBox, screenHeading, field, confirmAction, copyText, formatDate, announce } from '../render.js';
import { get, post, patch, del } from '../api.js';
import * as session from '../session.js';
import { mountAssistants } from './admin-assistants.js';

const TABS = [
  ['users', 'Users', 'users:read'], ['invitations', 'Invitations', 'users:manage'], ['keys', 'API keys', 'api_keys:read'],
  ['assistants', 'Assistants', 'assistants:write'], ['audit', 'Audit log', 'audit:read'],
];
const ROLES = ['member', 'tenant_admin'];

export async function mount(main, { args }) {
  const tabs = TABS.filter(([, , permission]) => session.can(permission));
  const tab = tabs.find(([id]) => id === args[0]) ? args[0] : tabs[0][0];
  const panel = h('div', { class: 'card' });
  main.append(screenHeading('Admin'),
    h('nav', { 'aria-label': 'Admin sections', class: 'tabs' }, h('ul', {}, tabs.map(([id, text]) =>
      h('li', {}, h('a', { href: `#/admin/${id}`, 'aria-current': id === tab ? 'page' : null }, text))))),
    panel);
  const screens = { users, invitations, keys, assistants: mountAssistants, audit };
  await screens[tab](panel);
}

async function users(panel) {
  const errors = h('div');
  const tbody = h('tbody');
  replace(panel, h('h2', {}, 'Users'), errors, h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Email', 'Name', 'Role', 'Status', 'MFA', 'Since', ''].map((t) => h('th', { scope: 'col' }, t)))), tbody)));
  const myId = session.identity()?.user?.id;
  const load = async () => {
    try {
      const { users: list } = await get('/v1/users');
      replace(tbody, list.map((u) => {
        const role = h('select', { 'aria-label': `Role of ${u.email}`, disabled: u.id === myId || u.role === 'system_admin' },
          [...new Set([...ROLES, u.role])].map((r) => h('option', { value: r, selected: r === u.role }, r)));
        role.addEventListener('change', async () => {
          try { await patch(`/v1/users/${encodeURIComponent(u.id)}`, { role: role.value }); announce(`${u.email} is now ${role.value}`); } catch (error) { showError(errors, error); load(); }
        });
        const actions = [];
        if (u.id !== myId) {
          const toggle = h('button', { type: 'button', class: 'btn-quiet' }, u.status === 'disabled' ? 'Enable' : 'Disable');
          toggle.addEventListener('click', async () => {
            try { await patch(`/v1/users/${encodeURIComponent(u.id)}`, { status: u.status === 'disabled' ? 'active' : 'disabled' }); load(); } catch (error) { showError(errors, error); }
          });
          actions.push(toggle);
        }
        if (u.status === 'locked') {
          const unlock = h('button', { type: 'button', class: 'btn-quiet' }, 'Unlock');
          unlock.addEventListener('click', async () => { try { await post(`/v1/users/${encodeURIComponent(u.id)}/unlock`); load(); } catch (error) { showError(errors, error); } });
          actions.push(unlock);
        }
        return h('tr', {}, h('td', {}, u.email), h('td', {}, u.display_name || '—'), h('td', {}, role),
          h('td', {}, u.status + (u.locked_until ? ` until ${formatDate(u.locked_until)}` : '')), h('td', {}, u.mfa_enabled ? 'on' : 'off'),
          h('td', {}, formatDate(u.created_at)), h('td', {}, actions));
      }));
    } catch (error) { showError(errors, error); }
  };
  await load();
}

function invitations(panel) {
  const errors = h('div');
  const result = h('div', { 'aria-live': 'polite' });
  const email = h('input', { type: 'email', required: true });
  const role = h('select', {}, ROLES.map((r) => h('option', { value: r }, r)));
  const form = h('form', { class: 'form narrow' }, field('Email', email), field('Role', role), h('button', { type: 'submit', class: 'btn-primary' }, 'Create invitation'));
  replace(panel, h('h2', {}, 'Invitations'),
    h('p', {}, 'Cairn sends no email: give the invitation token to the person yourself. They join by signing up with it (valid 7 days).'),
    errors, form, result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(errors, null);
    try {
      const inv = await post('/v1/users/invitations', { email: email.value.trim(), role: role.value });
      replace(result, secretBox(`Invitation for ${inv.email} (${inv.role}), expires ${formatDate(inv.expires_at)}`, inv.invitation_token));
      email.value = '';
    } catch (error) { showError(errors, error); }
  });
}

/** A secret shown exactly once, with a copy button. */
function secretBox(title, secret) {
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', () => copyText(secret, copy));
  const box = h('div', { class: 'secret', role: 'status' }, h('p', {}, h('strong', {}, title)),
    h('p', {}, 'Shown this once: copy it now. It cannot be shown again.'), h('code', { class: 'secret-value' }, secret), ' ', copy);
  return box;
}

async function keys(panel) {
  const errors = h('div');
  const result = h('div');
  const tbody = h('tbody');
  const name = h('input', { required: true, maxlength: '100' });
  const days = h('input', { type: 'number', min: '1', max: '3650' });
  const scopes = h('input', { placeholder: 'documents:read, documents:write' });
  const form = h('form', { class: 'form' }, h('h3', {}, 'New API key'), field('Name', name), field('Expires after (days, optional)', days),
    field('Scopes (optional)', scopes, 'Comma-separated permissions; default: a member’s.'), h('button', { type: 'submit', class: 'btn-primary' }, 'Create key'));
  const canManage = session.can('api_keys:manage');
  replace(panel, h('h2', {}, 'API keys'), errors, result,
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Prefix', 'Scopes', 'Created', 'Expires', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))), tbody)),
    canManage ? form : null);
  const load = async () => {
    try {
      const { api_keys: list } = await get('/v1/api-keys');
      replace(tbody, list.length ? list.map((k) => {
        const revoke = canManage ? h('button', { type: 'button', class: 'btn-quiet' }, 'Revoke') : null;
        revoke?.addEventListener('click', async () => {
          if (!await confirmAction(`Revoke the key “${k.name}”? Programs using it stop working within 30 s.`, 'Revoke')) return;
          try { await del(`/v1/api-keys/${encodeURIComponent(k.id)}`); load(); } catch (error) { showError(errors, error); }
        });
        return h('tr', {}, h('td', {}, k.name), h('td', {}, h('code', {}, `cairn_${k.prefix}_…`)), h('td', {}, (k.scopes || []).join(', ')),
          h('td', {}, formatDate(k.created_at)), h('td', {}, k.expires_at ? formatDate(k.expires_at) : 'never'),
          h('td', {}, k.last_used_at ? formatDate(k.last_used_at) : 'never'), h('td', {}, revoke));
      }) : h('tr', {}, h('td', { colspan: '7', class: 'meta' }, 'No API keys.')));
    } catch (error) { showError(errors, error); }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(errors, null);
    const body = { name: name.value.trim() };
    if (days.value) body.expires_in_days = Number(days.value);
    const list = scopes.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length) body.scopes = list;
    try {
      const created = await post('/v1/api-keys', body);
      replace(result, secretBox(`API key “${created.api_key.name}”`, created.key));
      name.value = ''; days.value = ''; scopes.value = '';
      load();
    } catch (error) { showError(errors, error); }
  });
  await load();
}

async function audit(panel) {
  const errors = h('div');
  const tbody = h('tbody');
  const action = h('input', { placeholder: 'auth.login' });
  const outcome = h('select', {}, ['', 'success', 'failure', 'denied'].map((o) => h('option', { value: o }, o || 'any')));
  const more = h('button', { type: 'button', hidden: true }, 'Older events');
  const form = h('form', { class: 'form inline' }, field('Action', action), field('Outcome', outcome), h('button', { type: 'submit' }, 'Filter'));
  replace(panel, h('h2', {}, 'Audit log'), form, errors, h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['When', 'Action', 'Outcome', 'Actor', 'Target', 'Address', 'Details'].map((t) => h('th', { scope: 'col' }, t)))), tbody)), more);
  let cursor = null;
  const load = async (append) => {
    try {
      const page = await get('/v1/audit', { action: action.value.trim(), outcome: outcome.value, limit: 50, cursor: append ? cursor : null });
      if (!append) tbody.replaceChildren();
      for (const e of page.events) {
        tbody.append(h('tr', {}, h('td', {}, formatDate(e.occurred_at)), h('td', {}, e.action), h('td', {}, e.outcome),
          h('td', {}, `${e.actor_type} ${e.actor_id}`), h('td', {}, `${e.target_type} ${e.target_id}`), h('td', {}, e.ip),
          h('td', {}, Object.entries(e.details || {}).map(([k, v]) => `${k}=${v}`).join(', '))));
      }
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
    } catch (error) { replace(errors, errorBox(error)); }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); showError(errors, null); load(false); });
  more.addEventListener('click', () => load(true));
  await load(false);
}
