// The assistants editor: instructions, model, collections, retrieval strategy and size.
import { h, replace, showError, field, confirmAction, announce } from '../render.js';
import { getAll } from '../api.js';
import * as chat from '../chat-api.js';

const STRATEGIES = ['auto', 'hybrid', 'vector', 'lexical'];

export async function mountAssistants(panel) {
  const errors = h('div');
  const list = h('ul', { class: 'assistant-list' });
  const editor = h('div');
  const add = h('button', { type: 'button', class: 'btn-primary' }, 'New assistant');
  replace(panel, h('h2', {}, 'Assistants'), errors, h('div', { class: 'docs-layout' }, h('div', {}, list, add), editor));
  let collections = [];
  try { collections = await getAll('/v1/collections', 'collections'); } catch (error) { showError(errors, error); }

  const load = async (selectId) => {
    try {
      const assistants = await chat.listAssistants();
      replace(list, assistants.map((a) => {
        const b = h('button', { type: 'button', class: 'btn-quiet' }, a.name + (a.is_default ? ' (default)' : ''));
        b.addEventListener('click', () => edit(a));
        return h('li', {}, b);
      }));
      const chosen = assistants.find((a) => a.id === selectId);
      if (chosen) edit(chosen);
    } catch (error) { showError(errors, error); }
  };

  function edit(a) {
    const creating = !a;
    a = a || { name: '', instructions: '', model: '', collection_ids: [], strategy: 'auto', top_k: 8 };
    const name = h('input', { required: true, maxlength: '200', value: a.name });
    const instructions = h('textarea', { rows: '6', maxlength: '20000' });
    instructions.value = a.instructions || '';
    const model = h('input', { maxlength: '200', value: a.model || '', placeholder: 'the default model' });
    const temperature = h('input', { type: 'number', min: '0', max: '2', step: '0.1', value: a.temperature ?? '' });
    const maxTokens = h('input', { type: 'number', min: '1', max: '131072', value: a.max_tokens ?? '' });
    const strategy = h('select', {}, STRATEGIES.map((s) => h('option', { value: s, selected: s === a.strategy }, s)));
    const topK = h('input', { type: 'number', min: '1', max: '100', value: a.top_k ?? 8 });
    const boxes = collections.map((c) => {
      const box = h('input', { type: 'checkbox', value: c.id, checked: (a.collection_ids || []).includes(c.id) });
      box.id = `ac-${c.id}`;
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, c.name));
    });
    const save = h('button', { type: 'submit', class: 'btn-primary' }, creating ? 'Create' : 'Save');
    const remove = !creating && !a.is_default ? h('button', { type: 'button', class: 'btn-danger' }, 'Delete') : null;
    const form = h('form', { class: 'form' }, h('h3', {}, creating ? 'New assistant' : `Edit ${a.name}`),
      field('Name', name), field('Instructions', instructions, 'The system prompt.'), field('Model', model),
      field('Temperature (0–2, optional)', temperature), field('Most tokens per answer (optional)', maxTokens),
      h('fieldset', {}, h('legend', {}, 'Collections it searches (none: all)'), boxes.length ? boxes : h('p', { class: 'meta' }, 'No collections yet.')),
      field('Retrieval strategy', strategy), field('Passages retrieved (1–100)', topK), h('div', { class: 'row' }, save, remove));
    replace(editor, form);
    name.focus();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showError(errors, null);
      const body = {
        name: name.value.trim(), instructions: instructions.value, strategy: strategy.value, top_k: Number(topK.value) || 8,
        collection_ids: boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      };
      if (model.value.trim()) body.model = model.value.trim();
      if (temperature.value !== '') body.temperature = Number(temperature.value);
      if (maxTokens.value !== '') body.max_tokens = Number(maxTokens.value);
      try {
        const saved = creating ? await chat.createAssistant(body) : await chat.updateAssistant(a.id, body);
        announce(`Assistant ${saved.name} saved`);
        load(saved.id);
      } catch (error) { showError(errors, error); }
    });
    remove?.addEventListener('click', async () => {
      if (!await confirmAction(`Delete the assistant “${a.name}”?`)) return;
      try { await chat.deleteAssistant(a.id); replace(editor); load(); } catch (error) { showError(errors, error); }
    });
  }

  add.addEventListener('click', () => edit(null));
  await load();
}
