// Light and dark themes: the system's preference unless the toggle chose one (remembered).
const KEY = 'cairn.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function effective() {
  const chosen = localStorage.getItem(KEY);
  return chosen === 'dark' || chosen === 'light' ? chosen : (media.matches ? 'dark' : 'light');
}

function apply(button) {
  const theme = effective();
  document.documentElement.dataset.theme = theme;
  // A toggle button keeps one label; its state is aria-pressed.
  button.setAttribute('aria-pressed', String(theme === 'dark'));
}

export function initTheme(button) {
  apply(button);
  button.addEventListener('click', () => {
    localStorage.setItem(KEY, effective() === 'dark' ? 'light' : 'dark');
    apply(button);
  });
  media.addEventListener('change', () => apply(button));
}
