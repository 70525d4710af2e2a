// Every chat-orchestrator path and shape the web app relies on, in one place (the API was
// being built alongside this app; see web/README.md, "Chat API assumptions").
import { get, post, patch, del, getAll, requestRaw, readEvents } from './api.js';

export const listAssistants = async () => (await get('/v1/assistants')).assistants || [];
export const createAssistant = (fields) => post('/v1/assistants', fields);
export const updateAssistant = (id, fields) => patch(`/v1/assistants/${encodeURIComponent(id)}`, fields);
export const deleteAssistant = (id) => del(`/v1/assistants/${encodeURIComponent(id)}`);

/** One page of the caller's conversations: `{conversations, next_cursor}`. */
export const listConversations = (cursor) => get('/v1/conversations', { limit: 50, cursor });
export const renameConversation = (id, title) => patch(`/v1/conversations/${encodeURIComponent(id)}`, { title });
export const deleteConversation = (id) => del(`/v1/conversations/${encodeURIComponent(id)}`);
/** Every message of a conversation, oldest first. */
export const listMessages = (id) => getAll(`/v1/conversations/${encodeURIComponent(id)}/messages`, 'messages', {}, 10);

export const rate = (messageId, thumbs) => post(`/v1/messages/${encodeURIComponent(messageId)}/feedback`, { thumbs });
export const report = (messageId, offendingText, comment) =>
  post(`/v1/messages/${encodeURIComponent(messageId)}/reports`, comment ? { offending_text: offendingText, comment } : { offending_text: offendingText });

/**
 * Asks a question and streams the answer. Without `conversationId` a new conversation is made
 * (`POST /v1/chat`, with `assistantId`); with it the message joins that conversation.
 * Handlers: `onSources({sources, strategy, retrieval_ms, degraded})`, `onDelta(text)`,
 * `onDone({conversation_id, message_id, user_message_id, metadata})`,
 * `onError({error: {code, message, request_id}, partial_message_id})`.
 * Resolves when the stream ends; rejects with ApiError before the stream starts, or AbortError.
 */
export async function ask({ conversationId, assistantId, content, signal }, handlers) {
  const path = conversationId ? `/v1/conversations/${encodeURIComponent(conversationId)}/messages` : '/v1/chat';
  const body = { content, stream: true };
  if (!conversationId && assistantId) body.assistant_id = assistantId;
  const response = await requestRaw('POST', path, {
    body, signal,
    // Idempotency-Key makes the one automatic retry (after a token refresh) safe.
    headers: { Accept: 'text/event-stream', 'Idempotency-Key': crypto.randomUUID() },
  });
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('text/event-stream')) {
    // A JSON answer (a server that ignores stream): deliver it as one delta + done.
    const answer = await response.json();
    if (answer.message) {
      handlers.onSources({ sources: answer.message.sources || [], strategy: answer.metadata?.strategy, degraded: answer.metadata?.degraded || [] });
      handlers.onDelta(answer.message.content || '');
    }
    handlers.onDone(answer);
    return;
  }
  await readEvents(response, (event, data) => {
    if (event === 'sources') handlers.onSources(data);
    else if (event === 'delta') handlers.onDelta(typeof data === 'string' ? data : (data.text || ''));
    else if (event === 'done') handlers.onDone(data);
    else if (event === 'error') handlers.onError(data);
  });
}
