// Documents: collections (list, create, delete), drag-and-drop upload with progress,
// document status polled until indexed or failed, delete, and hybrid search with scores.
import { h, replace, showError, errorBox, screenHeading, field, confirmAction, formatBytes, formatDate, announce } from '../render.js';
import { renderInline } from '../markdown.js';
import { get, post, del, upload, getAll } from '../api.js';

const SETTLED = new Set(['indexed', 'failed', 'deleted']);
const POLL_MS = 2000;
const ACCEPT = '.txt,.md,.markdown,.html,.htm,.json,.pdf,.docx,text/plain,text/markdown,text/html,application/json,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export async function mount(main, { query }) {
  let selected = query.get('collection') || null;
  let collections = [];
  const timers = new Set();
  let alive = true;

  const errors = h('div');
  const collectionList = h('ul', { class: 'collection-list' });
  const name = h('input', { required: true, maxlength: '200' });
  const description = h('input', { maxlength: '2000' });
  const createForm = h('form', { class: 'form' }, h('h3', {}, 'New collection'), field('Name', name), field('Description (optional)', description),
    h('button', { type: 'submit', class: 'btn-primary' }, 'Create'));
  const detail = h('div', { class: 'collection-detail' });
  const search = searchPanel(() => selected);

  main.append(screenHeading('Documents'), errors,
    h('div', { class: 'docs-layout' },
      h('aside', { class: 'card', 'aria-label': 'Collections' }, h('h2', {}, 'Collections'), collectionList, createForm),
      h('div', {}, detail, search)));

  async function loadCollections() {
    try {
      collections = await getAll('/v1/collections', 'collections');
      if (!selected && collections.length) selected = collections[0].id;
      replace(collectionList, collections.length ? collections.map((c) => {
        const open = h('button', { type: 'button', class: 'btn-quiet', 'aria-current': c.id === selected ? 'true' : null }, c.name);
        open.addEventListener('click', () => { selected = c.id; loadCollections(); });
        return h('li', {}, open);
      }) : h('li', { class: 'meta' }, 'No collections yet: create one below.'));
      renderDetail();
    } catch (error) { showError(errors, error); }
  }

  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(errors, null);
    try {
      const body = { name: name.value.trim() };
      if (description.value.trim()) body.description = description.value.trim();
      const created = await post('/v1/collections', body);
      selected = created.id;
      name.value = ''; description.value = '';
      announce(`Collection ${created.name} created`);
      loadCollections();
    } catch (error) { showError(errors, error); }
  });

  function renderDetail() {
    const collection = collections.find((c) => c.id === selected);
    if (!collection) { replace(detail); return; }
    const remove = h('button', { type: 'button', class: 'btn-danger' }, 'Delete collection');
    remove.addEventListener('click', async () => {
      if (!await confirmAction(`Delete “${collection.name}” and every document in it?`)) return;
      try { await del(`/v1/collections/${encodeURIComponent(collection.id)}`); selected = null; loadCollections(); } catch (error) { showError(errors, error); }
    });
    timers.forEach(clearTimeout);
    timers.clear();
    const fileInput = h('input', { type: 'file', multiple: true, accept: ACCEPT });
    const drop = h('div', { class: 'dropzone' },
      h('p', {}, 'Drop files here to add them to this collection, or:'),
      field('Choose files', fileInput, 'Text, Markdown, HTML, JSON, PDF or DOCX; up to 25 MiB each.'));
    const uploads = h('ul', { class: 'uploads', 'aria-label': 'Uploads' });
    const docs = h('tbody');
    detail.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'col-title' },
      h('div', { class: 'row spread' }, h('h2', { id: 'col-title' }, collection.name), remove),
      collection.description ? h('p', {}, collection.description) : null,
      h('p', { class: 'meta' }, `Chunks of ${collection.chunk_size} tokens, overlap ${collection.chunk_overlap}, model ${collection.embedding_model}`),
      drop, uploads,
      h('div', { class: 'table-wrap' }, h('table', {}, h('caption', { class: 'sr-only' }, 'Documents'),
        h('thead', {}, h('tr', {}, ['Title', 'Status', 'Size', 'Chunks', 'Updated', ''].map((t) => h('th', { scope: 'col' }, t)))), docs))));

    const start = (files) => { for (const file of files) uploadOne(collection.id, file, uploads, docs); };
    fileInput.addEventListener('change', () => { start([...fileInput.files]); fileInput.value = ''; });
    drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (event) => { event.preventDefault(); drop.classList.remove('over'); start([...event.dataTransfer.files]); });
    loadDocuments(collection.id, docs);
  }

  async function loadDocuments(collectionId, tbody) {
    try {
      const documents = (await getAll('/v1/documents', 'documents', { collection_id: collectionId }, 5)).filter((d) => d.status !== 'deleted');
      replace(tbody, documents.length ? documents.reverse().map((d) => documentRow(d)) : h('tr', {}, h('td', { colspan: '6', class: 'meta' }, 'No documents yet.')));
    } catch (error) { replace(tbody, h('tr', {}, h('td', { colspan: '6' }, errorBox(error)))); }
  }

  function documentRow(doc) {
    const row = h('tr', { 'data-id': doc.id });
    const fill = (d) => {
      const remove = h('button', { type: 'button', class: 'btn-quiet', 'aria-label': `Delete ${d.title || 'document'}` }, 'Delete');
      remove.addEventListener('click', async () => {
        if (!await confirmAction(`Delete “${d.title || d.id}”?`)) return;
        try { await del(`/v1/documents/${encodeURIComponent(d.id)}`); row.remove(); announce('Document deleted'); } catch (error) { showError(errors, error); }
      });
      replace(row, h('td', {}, d.title || '(untitled)'),
        h('td', {}, h('span', { class: `status status-${d.status}` }, d.status), d.error ? h('div', { class: 'meta' }, d.error) : null),
        h('td', {}, formatBytes(d.bytes)), h('td', {}, String(d.chunk_count)), h('td', {}, formatDate(d.updated_at)), h('td', {}, remove));
    };
    fill(doc);
    if (!SETTLED.has(doc.status)) poll(doc.id, fill);
    return row;
  }

  /** Polls a document until it settles (indexed, failed, deleted) or the screen is left. */
  function poll(id, fill) {
    const timer = setTimeout(async () => {
      timers.delete(timer);
      if (!alive) return;
      try {
        const d = await get(`/v1/documents/${encodeURIComponent(id)}`);
        fill(d);
        if (SETTLED.has(d.status)) { announce(`${d.title || 'Document'} is ${d.status}`); return; }
      } catch (error) {
        if (error.status === 404) return;
      }
      poll(id, fill);
    }, POLL_MS);
    timers.add(timer);
  }

  function uploadOne(collectionId, file, list, tbody) {
    const bar = h('progress', { max: '100', value: '0' });
    const label = h('span', {}, file.name);
    const state = h('span', { class: 'meta' }, 'Uploading…');
    const item = h('li', {}, label, ' ', bar, ' ', state);
    bar.setAttribute('aria-label', `Upload of ${file.name}`);
    list.append(item);
    const form = new FormData();
    form.append('file', file, file.name);
    upload(`/v1/collections/${encodeURIComponent(collectionId)}/documents`, form, {
      onProgress(loaded, total) { bar.value = Math.round((loaded / total) * 100); state.textContent = `${formatBytes(loaded)} of ${formatBytes(total)}`; },
    }).then(async (accepted) => {
      bar.value = 100;
      state.textContent = 'Uploaded; processing…';
      const doc = await get(`/v1/documents/${encodeURIComponent(accepted.document_id)}`);
      if (tbody.querySelector('td[colspan]')) tbody.replaceChildren();
      tbody.prepend(documentRow(doc));
      setTimeout(() => item.remove(), 3000);
    }).catch((error) => { replace(state, errorBox(error)); });
  }

  // A file dropped beside the drop zone must not navigate away: that would end the session,
  // whose tokens live only in this page's memory.
  const swallow = (event) => { if (!event.target.closest || !event.target.closest('.dropzone')) event.preventDefault(); };
  window.addEventListener('dragover', swallow);
  window.addEventListener('drop', swallow);
  await loadCollections();
  return () => {
    alive = false;
    timers.forEach(clearTimeout);
    window.removeEventListener('dragover', swallow);
    window.removeEventListener('drop', swallow);
  };
}

function searchPanel(selectedCollection) {
  const query = h('input', { type: 'search', required: true, maxlength: '8192' });
  const strategy = h('select', {}, ['hybrid', 'auto', 'vector', 'lexical'].map((s) => h('option', { value: s }, s)));
  const topK = h('input', { type: 'number', min: '1', max: '100', value: '10' });
  const onlyThis = h('input', { type: 'checkbox' });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form search-form', role: 'search' },
    field('Search your documents', query), field('Strategy', strategy), field('Results', topK),
    h('div', { class: 'field check' }, onlyThis, h('label', { for: (onlyThis.id = 'only-this') }, 'Only the selected collection')),
    h('button', { type: 'submit', class: 'btn-primary' }, 'Search'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(results, h('p', { class: 'meta' }, 'Searching…'));
    try {
      const body = { query: query.value.trim(), strategy: strategy.value, top_k: Number(topK.value) || 10 };
      if (onlyThis.checked && selectedCollection()) body.filters = { collection_ids: [selectedCollection()] };
      const answer = await post('/v1/search', body);
      const summary = `${answer.results.length} results · ${answer.strategy} · ${Math.round(answer.took_ms)} ms` +
        (answer.degraded.length ? ` · degraded: ${answer.degraded.join(', ')}` : '');
      replace(results, h('p', { class: 'meta' }, summary), h('ol', { class: 'results' }, answer.results.map(resultItem)));
    } catch (error) { replace(results, errorBox(error)); }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'search-title' }, h('h2', { id: 'search-title' }, 'Search'), form, results);
}

function resultItem(r) {
  const scores = Object.entries(r.scores || {}).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join(' · ');
  const ranks = Object.entries(r.ranks || {}).map(([k, v]) => `${k} #${v}`).join(' · ');
  // The excerpt marks matched terms with **; the inline renderer makes them <strong> safely.
  return h('li', { class: 'result' },
    h('div', { class: 'row spread' }, h('strong', {}, r.title || '(untitled)'), h('span', { class: 'score' }, `score ${Number(r.score).toFixed(4)}`)),
    renderInline(h('p', { class: 'excerpt' }), r.excerpt || ''),
    h('p', { class: 'meta' }, [scores, ranks, r.page ? `page ${r.page}` : null].filter(Boolean).join(' · ')));
}
