import { h, screenHeading } from '../render.js';

export function mount(main) {
  main.append(screenHeading('Page not found'), h('p', {}, h('a', { href: '#/chat' }, 'Go to chat')));
}
