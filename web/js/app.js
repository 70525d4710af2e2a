// Boot: theme, navigation state, routes and the sign-in guard.
import * as router from './router.js';
import * as session from './session.js';
import { initTheme } from './theme.js';

const PUBLIC = new Set(['signin', 'signup']);
const ADMIN_PERMISSIONS = ['users:read', 'api_keys:read', 'audit:read', 'assistants:write'];
export const isAdmin = () => ADMIN_PERMISSIONS.some((p) => session.can(p));

router.route('signin', () => import('./screens/auth.js').then((m) => ({ mount: m.mountSignIn })));
router.route('signup', () => import('./screens/auth.js').then((m) => ({ mount: m.mountSignUp })));
router.route('chat', () => import('./screens/chat.js'));
router.route('documents', () => import('./screens/documents.js'));
router.route('usage', () => import('./screens/usage.js'));
router.route('admin', () => import('./screens/admin.js'));
router.route('notfound', () => import('./screens/notfound.js'));

router.setGuard((name) => {
  if (!session.isSignedIn()) return PUBLIC.has(name) ? null : 'signin';
  if (PUBLIC.has(name)) return 'chat';
  if (name === 'admin' && !isAdmin()) return 'chat';
  return null;
});

function updateChrome() {
  const signedIn = session.isSignedIn();
  document.getElementById('mainnav').hidden = !signedIn;
  document.getElementById('signout').hidden = !signedIn;
  document.getElementById('nav-admin').hidden = !(signedIn && isAdmin());
  const me = session.identity();
  const who = me && me.user ? `${me.user.display_name || me.user.email}${me.tenant ? ` · ${me.tenant.name}` : ''}` : '';
  document.getElementById('whoami').textContent = who;
}

session.onChange((reason) => {
  updateChrome();
  if (reason === 'expired') sessionStorage.setItem('cairn.notice', 'Your session ended. Please sign in again.');
  if (reason !== 'signed-in') router.go('#/signin');
});

initTheme(document.getElementById('theme-toggle'));
document.getElementById('signout').addEventListener('click', () => { session.signOut(); });
updateChrome();
router.start();
