// Chat: conversation list, assistant choice, streamed answers as safe Markdown with source
// cards, copy, thumbs, report inaccuracy and stop.
import { h, replace, showError, errorBox, screenHeading, dialog, field, confirmAction, copyText, announce } from '../render.js';
import { renderMarkdown } from '../markdown.js';
import * as chat from '../chat-api.js';
import { ApiError } from '../api.js';
import { go } from '../router.js';

export async function mount(main, { args }) {
  let conversationId = args[0] || null;
  let controller = null;
  let nextCursor = null;

  const errors = h('div');
  const list = h('ul', { class: 'conv-list' });
  const more = h('button', { type: 'button', class: 'btn-quiet', hidden: true }, 'Load more');
  const newButton = h('button', { type: 'button', class: 'btn-primary' }, 'New conversation');
  const assistantSelect = h('select', {});
  const transcript = h('div', { class: 'transcript', 'aria-live': 'off' });
  const input = h('textarea', { rows: '3', required: true, maxlength: '32000', placeholder: 'Ask a question about your documents' });
  const send = h('button', { type: 'submit', class: 'btn-primary' }, 'Send');
  const stop = h('button', { type: 'button', class: 'btn-danger', hidden: true }, 'Stop generating');
  const composer = h('form', { class: 'composer' }, field('Your question', input, 'Enter sends; Shift+Enter adds a line.'), h('div', { class: 'row' }, send, stop));

  main.append(h('div', { class: 'chat-layout' },
    h('aside', { class: 'conv-pane', 'aria-label': 'Conversations' }, h('h2', {}, 'Conversations'), newButton, list, more),
    h('section', { class: 'chat-pane', 'aria-labelledby': 'chat-title' },
      screenHeading('Chat'), errors,
      h('div', { class: 'row' }, field('Assistant', assistantSelect)), transcript, composer)));
  main.querySelector('h1').id = 'chat-title';

  async function loadAssistants() {
    try {
      const assistants = await chat.listAssistants();
      replace(assistantSelect, assistants.map((a) => h('option', { value: a.id, selected: a.is_default }, a.name + (a.is_default ? ' (default)' : ''))));
    } catch (error) { showError(errors, error); }
  }

  async function loadConversations(append = false) {
    try {
      const page = await chat.listConversations(append ? nextCursor : null);
      nextCursor = page.next_cursor;
      if (!append) list.replaceChildren();
      for (const c of page.conversations || []) list.append(conversationItem(c));
      more.hidden = !nextCursor;
      if (!list.children.length) list.append(h('li', { class: 'meta' }, 'No conversations yet.'));
    } catch (error) { showError(errors, error); }
  }

  function conversationItem(c) {
    const open = h('a', { href: `#/chat/${encodeURIComponent(c.id)}`, 'aria-current': c.id === conversationId ? 'page' : null }, c.title);
    const remove = h('button', { type: 'button', class: 'btn-quiet', 'aria-label': `Delete conversation ${c.title}` }, '×');
    remove.addEventListener('click', async () => {
      if (!await confirmAction(`Delete the conversation “${c.title}”?`)) return;
      try {
        await chat.deleteConversation(c.id);
        if (c.id === conversationId) go('#/chat'); else loadConversations();
      } catch (error) { showError(errors, error); }
    });
    return h('li', {}, open, remove);
  }

  async function loadMessages() {
    transcript.replaceChildren();
    if (!conversationId) {
      transcript.append(h('p', { class: 'meta' }, 'Ask a question to start a conversation. Answers cite the documents they come from.'));
      assistantSelect.disabled = false;
      return;
    }
    assistantSelect.disabled = true; // a conversation keeps its assistant
    try {
      const messages = await chat.listMessages(conversationId);
      for (const m of messages) {
        if (m.role === 'user') transcript.append(userBubble(m.content));
        else {
          const view = answerView();
          view.setSources(m.sources || []);
          view.setText(m.content);
          view.finish(m.id, m.interrupted ? 'Stopped before the end.' : (m.error ? `The answer broke off: ${m.error}` : ''));
          transcript.append(view.el);
        }
      }
      transcript.lastElementChild?.scrollIntoView({ block: 'end' });
    } catch (error) {
      transcript.append(errorBox(error));
    }
  }

  function userBubble(text) {
    return h('article', { class: 'msg msg-user', 'aria-label': 'You' }, h('p', { class: 'pre' }, text));
  }

  /** An assistant message whose text, sources and actions fill in as the stream arrives. */
  function answerView() {
    const body = h('div', { class: 'msg-body' });
    const sources = h('div', { class: 'sources' });
    const status = h('p', { class: 'meta', role: 'status' });
    const actions = h('div', { class: 'msg-actions' });
    const el = h('article', { class: 'msg msg-assistant', 'aria-label': 'Assistant', 'aria-busy': 'true' }, body, sources, status, actions);
    let text = '';
    let frame = 0;
    const draw = () => { frame = 0; replace(body, renderMarkdown(text)); };
    return {
      el,
      append(delta) { text += delta; if (!frame) frame = requestAnimationFrame(draw); },
      setText(all) { text = all; draw(); },
      setStatus(message) { status.textContent = message; },
      setSources(list) {
        replace(sources, list.length ? h('h3', { class: 'sources-title' }, 'Sources') : null,
          h('ul', { class: 'source-cards' }, list.map((s) => h('li', {}, sourceCard(s)))));
      },
      finish(messageId, note) {
        if (frame) { cancelAnimationFrame(frame); draw(); }
        el.setAttribute('aria-busy', 'false');
        if (note) status.textContent = note;
        replace(actions, messageActions(messageId, () => text));
      },
      fail(error) { el.setAttribute('aria-busy', 'false'); el.append(errorBox(error)); },
    };
  }

  function sourceCard(s) {
    const excerpt = s.text.length > 220 ? `${s.text.slice(0, 220)}…` : s.text;
    const button = h('button', { type: 'button', class: 'source-card' + (s.cited ? ' cited' : '') },
      h('span', { class: 'source-index' }, `[${s.index}]`), ' ',
      h('strong', {}, s.title || 'Untitled document'),
      h('span', { class: 'source-excerpt' }, excerpt),
      h('span', { class: 'meta' }, `score ${Number(s.score).toFixed(3)}${s.cited ? ' · cited' : ''}`));
    button.addEventListener('click', () => {
      dialog(s.title || 'Untitled document',
        h('p', { class: 'meta' }, `Passage [${s.index}] · document ${s.document_id}${s.document_version ? ` v${s.document_version}` : ''}`),
        h('blockquote', { class: 'passage pre' }, s.text));
    });
    return button;
  }

  function messageActions(messageId, getText) {
    const copy = h('button', { type: 'button', class: 'btn-quiet' }, 'Copy');
    copy.addEventListener('click', () => copyText(getText(), copy));
    if (!messageId) return [copy];
    const feedback = h('span', { class: 'meta', role: 'status' });
    const thumb = (value, label, glyph) => {
      const b = h('button', { type: 'button', class: 'btn-quiet', 'aria-label': label, 'aria-pressed': 'false' }, glyph);
      b.addEventListener('click', async () => {
        try {
          await chat.rate(messageId, value);
          b.parentElement.querySelectorAll('[aria-pressed]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
          feedback.textContent = 'Thanks for the feedback.';
        } catch (error) { replace(feedback, errorBox(error)); }
      });
      return b;
    };
    const reportButton = h('button', { type: 'button', class: 'btn-quiet' }, 'Report inaccuracy');
    reportButton.addEventListener('click', () => reportDialog(messageId, getText(), feedback));
    return [copy, thumb('up', 'Helpful', '👍'), thumb('down', 'Not helpful', '👎'), reportButton, feedback];
  }

  function reportDialog(messageId, answerText, feedback) {
    const selected = String(window.getSelection() || '').trim();
    const offending = h('textarea', { rows: '4', required: true, maxlength: '4000' });
    offending.value = (selected && answerText.includes(selected) ? selected : answerText).slice(0, 4000);
    const comment = h('textarea', { rows: '3', maxlength: '4000' });
    const errors = h('div');
    const form = h('form', { class: 'form' }, errors,
      field('What is inaccurate', offending, 'Prefilled with your selection, or the whole answer.'),
      field('What is wrong with it (optional)', comment),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn-primary' }, 'Send report')));
    const d = dialog('Report an inaccurate answer', form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await chat.report(messageId, offending.value.trim(), comment.value.trim());
        d.close();
        feedback.textContent = 'Report sent. Thank you.';
      } catch (error) { showError(errors, error); }
    });
  }

  async function askQuestion(content) {
    showError(errors, null);
    if (!conversationId) transcript.replaceChildren();
    transcript.append(userBubble(content));
    const view = answerView();
    transcript.append(view.el);
    view.setStatus('Searching your documents…');
    view.el.scrollIntoView({ block: 'end' });
    controller = new AbortController();
    send.disabled = true; stop.hidden = false;
    let doneId = null;
    let newConversation = null;
    try {
      await chat.ask({ conversationId, assistantId: assistantSelect.value, content, signal: controller.signal }, {
        onSources(event) {
          view.setSources(event.sources || []);
          const degraded = (event.degraded || []).length ? ` (degraded: ${event.degraded.join(', ')})` : '';
          view.setStatus(`Writing the answer…${degraded}`);
        },
        onDelta(text) { view.append(text); },
        onDone(event) {
          doneId = event.message_id;
          if (!conversationId) newConversation = event.conversation_id;
          const m = event.metadata || {};
          view.finish(doneId, [m.model, m.latency_ms !== undefined ? `${m.latency_ms} ms` : null, (m.degraded || []).length ? `degraded: ${m.degraded.join(', ')}` : null].filter(Boolean).join(' · '));
          announce('The answer is complete.');
        },
        onError(event) {
          view.fail(new ApiError(0, event.error?.code || 'ERROR', event.error?.message || 'The answer failed.', event.error?.request_id || ''));
          view.finish(event.partial_message_id || null, '');
        },
      });
      if (!doneId && view.el.getAttribute('aria-busy') === 'true') view.finish(null, 'The answer ended early.');
    } catch (error) {
      if (error.name === 'AbortError') { view.finish(null, 'Stopped. The partial answer is kept in the conversation.'); announce('Stopped.'); }
      else { view.fail(error); view.finish(null, ''); }
    } finally {
      controller = null;
      send.disabled = false; stop.hidden = true;
      input.focus();
    }
    if (newConversation) { conversationId = newConversation; history.replaceState(null, '', `#/chat/${encodeURIComponent(newConversation)}`); assistantSelect.disabled = true; }
    loadConversations();
  }

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const content = input.value.trim();
    if (!content || controller) return;
    input.value = '';
    askQuestion(content);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); composer.requestSubmit(); }
  });
  stop.addEventListener('click', () => controller && controller.abort());
  newButton.addEventListener('click', () => go('#/chat'));
  more.addEventListener('click', () => loadConversations(true));

  await Promise.all([loadAssistants(), loadConversations(), loadMessages()]);
  return () => controller && controller.abort();
}

