// A small, safe Markdown renderer for answers and excerpts. It builds DOM nodes and sets only
// textContent and vetted attributes, so model or document text can never become markup.
// Supported: paragraphs, headings, fenced code, lists (-, *, 1.), block quotes, rules,
// **bold**, *italic*/_italic_, `code`, and [links](https://...) with http(s)/mailto only.

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function safeHref(href) {
  try {
    const url = new URL(href, window.location.origin);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch { return null; }
}

// Inline tokens, earliest match wins: code, link, bold, italic. Underscores count only at word
// edges (as in CommonMark), so `window.__name` or snake_case text stays as written.
const INLINE = /`([^`\n]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+?)\*\*|(?<![A-Za-z0-9_])__([^_\n]+?)__(?![A-Za-z0-9_])|\*([^*\n]+?)\*|(?<![A-Za-z0-9_])_([^_\n]+?)_(?![A-Za-z0-9_])/;

/** Appends `text` to `parent` as inline Markdown nodes. */
export function renderInline(parent, text) {
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) { parent.append(document.createTextNode(rest)); break; }
    if (m.index > 0) parent.append(document.createTextNode(rest.slice(0, m.index)));
    let node;
    if (m[1] !== undefined) { node = document.createElement('code'); node.textContent = m[1]; }
    else if (m[2] !== undefined) {
      const href = safeHref(m[3]);
      if (href) {
        node = document.createElement('a');
        node.href = href;
        node.rel = 'noopener noreferrer nofollow';
        node.target = '_blank';
        renderInline(node, m[2]);
      } else {
        node = document.createTextNode(m[0]);
      }
    } else if (m[4] !== undefined || m[5] !== undefined) { node = document.createElement('strong'); renderInline(node, m[4] ?? m[5]); }
    else { node = document.createElement('em'); renderInline(node, m[6] ?? m[7]); }
    parent.append(node);
    rest = rest.slice(m.index + m[0].length);
  }
  return parent;
}

/** Renders Markdown `source` into a new <div class="md">. */
export function renderMarkdown(source) {
  const root = document.createElement('div');
  root.className = 'md';
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) {
      const p = document.createElement('p');
      paragraph.forEach((line, n) => { if (n) p.append(document.createElement('br')); renderInline(p, line); });
      root.append(p);
      paragraph = [];
    }
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const code = [];
      i += 1;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) { code.push(lines[i]); i += 1; }
      i += 1; // closing fence (or end of a still-streaming block)
      const pre = document.createElement('pre');
      const el = document.createElement('code');
      el.textContent = code.join('\n');
      if (fence[2]) el.dataset.lang = fence[2];
      pre.append(el);
      root.append(pre);
      continue;
    }
    if (!line.trim()) { flush(); i += 1; continue; }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      // Answers sit under the page's own headings: start at h3.
      const el = document.createElement(`h${Math.min(6, heading[1].length + 2)}`);
      renderInline(el, heading[2]);
      root.append(el);
      i += 1; continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) { flush(); root.append(document.createElement('hr')); i += 1; continue; }
    if (/^\s*>/.test(line)) {
      flush();
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) { quoted.push(lines[i].replace(/^\s*>\s?/, '')); i += 1; }
      const bq = document.createElement('blockquote');
      bq.append(...renderMarkdown(quoted.join('\n')).childNodes);
      root.append(bq);
      continue;
    }
    const item = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      const list = document.createElement(ordered ? 'ol' : 'ul');
      if (ordered) { const start = parseInt(item[1], 10); if (start !== 1) list.start = start; }
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(lines[i]);
        if (!m || /\d/.test(m[1]) !== ordered) break;
        const li = document.createElement('li');
        renderInline(li, m[2]);
        list.append(li);
        i += 1;
      }
      root.append(list);
      continue;
    }
    paragraph.push(line);
    i += 1;
  }
  flush();
  return root;
}
