import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// `/v1/conversations`: a user's own conversations (anyone else's answer 404).
extension ChatOrchestratorAPI {
    struct CreateConversation: Decodable, Sendable {
        var title: String?
        var assistantID: UUID?
        enum CodingKeys: String, CodingKey { case title, assistantID = "assistant_id" }
    }

    struct UpdateConversation: Decodable, Sendable {
        var title: String?
        var archived: Bool?
    }

    func addConversationRoutes(to group: RouterGroup<ChatRequestContext>) {
        group.post("/v1/conversations") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            let body = try await Self.body(CreateConversation.self, request, context)
            let conversation = try await newConversation(tenant: tenant, user: identity.subject, assistantID: body.assistantID,
                                                         title: try Self.validTitle(body.title) ?? "New conversation")
            return try Self.json(.created, conversation)
        }
        group.get("/v1/conversations") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:read")
            let (limit, after) = try SeqCursor.page(request)
            let archived = request.uri.queryParameters["archived"] == "true"
            let (items, next) = try await conversations.list(tenant: tenant, user: identity.subject, archived: archived, limit: limit, after: after)
            return try Self.json(.ok, Page(key: "conversations", items: items, nextCursor: next?.encoded))
        }
        group.get("/v1/conversations/{id}") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:read")
            return try Self.json(.ok, try await conversation(Self.pathID(context), tenant: tenant, user: identity.subject))
        }
        group.patch("/v1/conversations/{id}") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            let body = try await Self.body(UpdateConversation.self, request, context)
            let title = try Self.validTitle(body.title)
            guard let updated = try await conversations.update(
                Self.pathID(context), tenant: tenant, user: identity.subject, title: title, archived: body.archived
            ) else { throw ChatError.notFound }
            return try Self.json(.ok, updated)
        }
        group.delete("/v1/conversations/{id}") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            guard try await conversations.delete(Self.pathID(context), tenant: tenant, user: identity.subject) else { throw ChatError.notFound }
            return Response(status: .noContent)
        }
        group.get("/v1/conversations/{id}/messages") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:read")
            let conversation = try await conversation(Self.pathID(context), tenant: tenant, user: identity.subject)
            let (limit, after) = try SeqCursor.page(request)
            let (items, next) = try await conversations.messages(of: conversation.id, tenant: tenant, limit: limit, after: after)
            return try Self.json(.ok, Page(key: "messages", items: items, nextCursor: next?.encoded))
        }
        group.get("/v1/conversations/{id}/export") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:read")
            let conversation = try await conversation(Self.pathID(context), tenant: tenant, user: identity.subject)
            let messages = try await allMessages(of: conversation.id, tenant: tenant)
            switch request.uri.queryParameters["format"].map(String.init) ?? "json" {
            case "json":
                return try Self.json(.ok, ConversationExport(conversation: conversation, messages: messages))
            case "markdown", "md":
                var headers = HTTPFields()
                headers[.contentType] = "text/markdown; charset=utf-8"
                let text = ConversationExport(conversation: conversation, messages: messages).markdown
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
            default:
                throw ChatError.invalid("format must be json or markdown")
            }
        }
    }

    /// The user's conversation `id`, or 404.
    func conversation(_ id: UUID, tenant: UUID, user: String) async throws -> Conversation {
        guard let conversation = try await conversations.get(id, tenant: tenant, user: user) else { throw ChatError.notFound }
        return conversation
    }

    /// A new conversation with the named assistant (the tenant's default when none is named).
    func newConversation(tenant: UUID, user: String, assistantID: UUID?, title: String) async throws -> Conversation {
        let assistant = if let assistantID { try await assistant(assistantID, tenant: tenant) } else { try await assistants.defaultAssistant(tenant: tenant) }
        let now = Date()
        let conversation = Conversation(id: UUID(), tenantID: tenant, userID: user, assistantID: assistant.id, title: title, archived: false,
                                        createdAt: now, updatedAt: now)
        try await conversations.create(conversation)
        return conversation
    }

    /// Every message of a conversation, page by page (exports).
    func allMessages(of conversation: UUID, tenant: UUID) async throws -> [Message] {
        var all: [Message] = []
        var cursor: SeqCursor?
        repeat {
            let (items, next) = try await conversations.messages(of: conversation, tenant: tenant, limit: SeqCursor.maxLimit, after: cursor)
            all += items
            cursor = next
        } while cursor != nil
        return all
    }

    static func validTitle(_ title: String?) throws(ChatError) -> String? {
        guard let title else { return nil }
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= Conversation.maxTitleCharacters else {
            throw .invalid("title must be 1–\(Conversation.maxTitleCharacters) characters")
        }
        return trimmed
    }
}
