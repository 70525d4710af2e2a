/// The public API, by owning service. Each service's routes join this table (and
/// `openapi.yaml`) when the service is built; until then its paths answer 404 at the edge.
extension PublicRoute {
    static let all: [PublicRoute] = auth + billing + ingestion + search + embedding + generation + chat

    /// auth: sessions, users, API keys, MFA, audit, keys. Its internal operations
    /// (`/v1/auth/service-token`, `/v1/api-keys/introspect`) are deliberately absent.
    static let auth: [PublicRoute] = [
        .init(method: .get, path: "/.well-known/jwks.json", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/register", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/login", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/login/mfa", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/refresh", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/logout", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/logout-all", upstream: .auth),
        .init(method: .get, path: "/v1/auth/me", upstream: .auth),
        .init(method: .post, path: "/v1/auth/mfa/enroll", upstream: .auth),
        .init(method: .post, path: "/v1/auth/mfa/confirm", upstream: .auth),
        .init(method: .post, path: "/v1/auth/mfa/disable", upstream: .auth),
        .init(method: .get, path: "/v1/users", upstream: .auth),
        .init(method: .post, path: "/v1/users/invitations", upstream: .auth),
        .init(method: .patch, path: "/v1/users/{id}", upstream: .auth),
        .init(method: .post, path: "/v1/users/{id}/unlock", upstream: .auth),
        .init(method: .get, path: "/v1/api-keys", upstream: .auth),
        .init(method: .post, path: "/v1/api-keys", upstream: .auth),
        .init(method: .delete, path: "/v1/api-keys/{id}", upstream: .auth),
        .init(method: .get, path: "/v1/audit", upstream: .auth),
        .init(method: .post, path: "/v1/admin/signing-keys/rotate", upstream: .auth),
    ]

    /// billing: plans, subscriptions, usage reports. Quota checks (`/v1/quota/check`) are for
    /// services only and stay internal.
    static let billing: [PublicRoute] = [
        .init(method: .get, path: "/v1/plans", upstream: .billing),
        .init(method: .post, path: "/v1/plans", upstream: .billing),
        .init(method: .get, path: "/v1/plans/{name}", upstream: .billing),
        .init(method: .put, path: "/v1/plans/{name}", upstream: .billing),
        .init(method: .delete, path: "/v1/plans/{name}", upstream: .billing),
        .init(method: .get, path: "/v1/tenants/{tenant_id}/plan", upstream: .billing),
        .init(method: .get, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .post, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .patch, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .delete, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .get, path: "/v1/usage", upstream: .billing),
        .init(method: .get, path: "/v1/usage/history", upstream: .billing),
        .init(method: .get, path: "/v1/invoices/preview", upstream: .billing),
    ]

    /// ingestion: collections and their documents. Uploads stream through under their own
    /// size limit and count against the `documents` quota.
    static let ingestion: [PublicRoute] = [
        .init(method: .get, path: "/v1/collections", upstream: .ingestion),
        .init(method: .post, path: "/v1/collections", upstream: .ingestion),
        .init(method: .get, path: "/v1/collections/{id}", upstream: .ingestion),
        .init(method: .patch, path: "/v1/collections/{id}", upstream: .ingestion),
        .init(method: .delete, path: "/v1/collections/{id}", upstream: .ingestion),
        .init(method: .post, path: "/v1/collections/{id}/documents", upstream: .ingestion, quota: .documents, body: .upload, timeout: .seconds(120)),
        .init(method: .get, path: "/v1/documents", upstream: .ingestion),
        .init(method: .get, path: "/v1/documents/{id}", upstream: .ingestion),
        .init(method: .delete, path: "/v1/documents/{id}", upstream: .ingestion),
    ]

    /// vector-search: queries, and the state of each collection's index. Rebuilding or dropping
    /// an index (`search:write`, held by services and operators only) and the indexed-status
    /// lookup stay internal: deleting the collection in ingestion is the public way to drop one.
    static let search: [PublicRoute] = [
        .init(method: .post, path: "/v1/search", upstream: .vectorSearch, routeClass: .search),
        .init(method: .get, path: "/v1/search/collections", upstream: .vectorSearch),
        .init(method: .get, path: "/v1/search/collections/{collection_id}", upstream: .vectorSearch),
    ]

    /// embedding: the OpenAI-compatible embeddings API.
    static let embedding: [PublicRoute] = [
        .init(method: .post, path: "/v1/embeddings", upstream: .embedding, routeClass: .search),
        .init(method: .get, path: "/v1/embeddings/models", upstream: .embedding),
    ]

    /// generation: the OpenAI-compatible chat completions API for programs that bring their own
    /// context (the product's grounded chat is the orchestrator's). `/v1/generate` is the
    /// orchestrator's and stays internal. A completion counts against the chat class's rate and
    /// needs `messages` quota left; the head of a long non-streamed answer may take a while.
    static let generation: [PublicRoute] = [
        .init(method: .post, path: "/v1/chat/completions", upstream: .generation, routeClass: .chat, quota: .messages, timeout: .seconds(120)),
        .init(method: .get, path: "/v1/models", upstream: .generation),
    ]

    /// chat-orchestrator: assistants, conversations, grounded answers and feedback on them.
    /// Asking (a message in a conversation, or `/v1/chat` starting one) counts against the chat
    /// class's rate and needs `messages` quota left; a non-streamed answer may take a while.
    static let chat: [PublicRoute] = [
        .init(method: .get, path: "/v1/assistants", upstream: .chatOrchestrator),
        .init(method: .post, path: "/v1/assistants", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/assistants/{id}", upstream: .chatOrchestrator),
        .init(method: .patch, path: "/v1/assistants/{id}", upstream: .chatOrchestrator),
        .init(method: .delete, path: "/v1/assistants/{id}", upstream: .chatOrchestrator),
        .init(method: .post, path: "/v1/conversations", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/conversations", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/conversations/{id}", upstream: .chatOrchestrator),
        .init(method: .patch, path: "/v1/conversations/{id}", upstream: .chatOrchestrator),
        .init(method: .delete, path: "/v1/conversations/{id}", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/conversations/{id}/messages", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/conversations/{id}/export", upstream: .chatOrchestrator),
        .init(method: .post, path: "/v1/conversations/{id}/messages", upstream: .chatOrchestrator, routeClass: .chat, quota: .messages, timeout: .seconds(120)),
        .init(method: .post, path: "/v1/chat", upstream: .chatOrchestrator, routeClass: .chat, quota: .messages, timeout: .seconds(120)),
        .init(method: .post, path: "/v1/messages/{id}/feedback", upstream: .chatOrchestrator),
        .init(method: .post, path: "/v1/messages/{id}/reports", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/feedback", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/admin/conversations", upstream: .chatOrchestrator),
        .init(method: .get, path: "/v1/admin/conversations/{id}/messages", upstream: .chatOrchestrator),
    ]
}
