import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// `/v1/admin/conversations`: tenant admins (`audit:read`) read any conversation of their
/// tenant, of any user, with its messages. Members are refused (403); another tenant's
/// conversation does not exist (404).
extension ChatOrchestratorAPI {
    func addAuditRoutes(to group: RouterGroup<ChatRequestContext>) {
        group.get("/v1/admin/conversations") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "audit:read")
            let (limit, after) = try SeqCursor.page(request)
            let user = request.uri.queryParameters["user_id"].map(String.init)
            if let user, user.isEmpty || user.count > 200 { throw ChatError.invalid("user_id must be 1–200 characters") }
            let archived: Bool? = switch request.uri.queryParameters["archived"].map(String.init) {
            case nil: nil
            case "true": true
            case "false": false
            default: throw ChatError.invalid("archived must be true or false")
            }
            let (items, next) = try await conversations.list(tenant: tenant, user: user, archived: archived, limit: limit, after: after)
            logger.info("conversations audited", metadata: [
                "request_id": "\(context.requestID)", "tenant_id": "\(tenant)", "by": "\(identity.subject)",
                "user_id": "\(user ?? "*")", "count": "\(items.count)",
            ])
            return try Self.json(.ok, Page(key: "conversations", items: items, nextCursor: next?.encoded))
        }
        group.get("/v1/admin/conversations/{id}/messages") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "audit:read")
            guard let conversation = try await conversations.get(Self.pathID(context), tenant: tenant, user: nil) else { throw ChatError.notFound }
            let (limit, after) = try SeqCursor.page(request)
            let (items, next) = try await conversations.messages(of: conversation.id, tenant: tenant, limit: limit, after: after)
            logger.info("conversation audited", metadata: [
                "request_id": "\(context.requestID)", "tenant_id": "\(tenant)", "by": "\(identity.subject)",
                "conversation_id": "\(conversation.id)", "user_id": "\(conversation.userID)",
            ])
            return try Self.json(.ok, Page(key: "messages", items: items, nextCursor: next?.encoded))
        }
    }
}
