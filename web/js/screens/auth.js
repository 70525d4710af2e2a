// Sign in (with the MFA step) and sign up. Sign out is the header button (app.js).
import { h, field, showError, screenHeading, replace } from '../render.js';
import * as session from '../session.js';
import { go } from '../router.js';

const TENANT_KEY = 'cairn.tenant'; // the organisation's slug only: not a secret

function notice() {
  const text = sessionStorage.getItem('cairn.notice');
  sessionStorage.removeItem('cairn.notice');
  return text ? h('p', { class: 'notice', role: 'status' }, text) : null;
}

function busy(form, on) {
  form.querySelectorAll('button, input').forEach((el) => { el.disabled = on; });
  form.setAttribute('aria-busy', String(on));
}

export function mountSignIn(main) {
  const errors = h('div');
  const tenant = h('input', { name: 'tenant', required: true, autocomplete: 'organization', value: localStorage.getItem(TENANT_KEY) || '', maxlength: '64' });
  const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const form = h('form', { class: 'card form narrow', novalidate: false },
    field('Organisation', tenant, 'Its sign-in name, as shown when it was registered (for example acme-corp).'),
    field('Email', email), field('Password', password),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn-primary' }, 'Sign in')),
    h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Register an organisation')));
  const panel = h('div', {}, notice(), errors, form);
  main.append(h('section', { class: 'auth' }, screenHeading('Sign in'), panel));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(errors, null);
    busy(form, true);
    try {
      const slug = tenant.value.trim().toLowerCase();
      const result = await session.login(slug, email.value.trim(), password.value);
      localStorage.setItem(TENANT_KEY, slug);
      if (result.mfa) { mfaStep(panel, result.mfaToken); return; }
      go('#/chat');
    } catch (error) {
      showError(errors, error);
      busy(form, false);
      password.focus();
    }
  });
}

function mfaStep(panel, mfaToken) {
  const errors = h('div');
  const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' });
  const recovery = h('input', { autocomplete: 'off' });
  const form = h('form', { class: 'card form narrow' },
    h('h2', {}, 'Two-step verification'),
    h('p', {}, 'Enter the 6-digit code from your authenticator app, or one of your recovery codes. The challenge lasts 5 minutes.'),
    field('Code', code), field('Or a recovery code', recovery),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn-primary' }, 'Verify')));
  replace(panel, errors, form);
  code.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(errors, null);
    busy(form, true);
    try {
      await session.loginMFA(mfaToken, { code: code.value.trim(), recoveryCode: recovery.value.trim() });
      go('#/chat');
    } catch (error) {
      showError(errors, error);
      busy(form, false);
      code.focus();
    }
  });
}

export function mountSignUp(main) {
  const errors = h('div');
  const organisation = h('input', { required: true, maxlength: '100', autocomplete: 'organization' });
  const name = h('input', { maxlength: '100', autocomplete: 'name' });
  const email = h('input', { type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', { type: 'password', required: true, minlength: '10', maxlength: '72', autocomplete: 'new-password' });
  // Joining by invitation: the token names the organisation, the email and the role.
  const invitation = h('input', { maxlength: '200', autocomplete: 'off', spellcheck: 'false' });
  invitation.addEventListener('input', () => {
    const joining = invitation.value.trim() !== '';
    organisation.required = !joining;
    email.required = !joining;
    organisation.disabled = joining;
    email.disabled = joining;
  });
  const form = h('form', { class: 'card form narrow' },
    field('Invitation token (when invited)', invitation,
      'Only when an admin invited you: the token sets your organisation, email and role.'),
    field('Organisation', organisation), field('Your name (optional)', name), field('Email', email),
    field('Password', password, '10 to 72 characters; not a common password and not containing your email name.'),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn-primary' }, 'Create organisation')),
    h('p', {}, 'Already registered? ', h('a', { href: '#/signin' }, 'Sign in')));
  const panel = h('div', {}, errors, form);
  main.append(h('section', { class: 'auth' }, screenHeading('Sign up'), panel));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(errors, null);
    busy(form, true);
    try {
      const token = invitation.value.trim();
      const fields = token ? { invitation_token: token, password: password.value }
        : { organisation: organisation.value.trim(), email: email.value.trim(), password: password.value };
      if (name.value.trim()) fields.display_name = name.value.trim();
      const registration = await session.register(fields);
      const slug = registration.tenant ? registration.tenant.slug : (localStorage.getItem(TENANT_KEY) || '');
      if (slug) localStorage.setItem(TENANT_KEY, slug);
      // The slug is what people sign in with: say it once, clearly.
      replace(panel, h('div', { class: 'card narrow', role: 'status' },
        h('h2', {}, 'Welcome to Cairn'),
        h('p', {}, 'Your organisation signs in as ', h('strong', {}, slug), '. Note it down and share it with the people you invite.'),
        h('p', {}, h('a', { class: 'btn btn-primary', href: '#/documents' }, 'Add documents'), ' ', h('a', { href: '#/chat' }, 'Go to chat'))));
      panel.querySelector('h2').setAttribute('tabindex', '-1');
      panel.querySelector('h2').focus();
    } catch (error) {
      showError(errors, error);
      busy(form, false);
    }
  });
}
