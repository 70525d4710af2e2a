import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// Feedback on answers (`POST /v1/messages/{id}/feedback`, `.../reports`) by their owner, and the
/// tenant's lists for its admins (`GET /v1/feedback?kind=rating|report`, `audit:read`).
extension ChatOrchestratorAPI {
    struct RatingBody: Decodable, Sendable {
        var thumbs: String?
        var rating: Int?
        var comment: String?
    }

    struct ReportBody: Decodable, Sendable {
        var offendingText: String
        var comment: String?
        enum CodingKeys: String, CodingKey { case comment, offendingText = "offending_text" }
    }

    static let maxCommentCharacters = 4_000

    func addFeedbackRoutes(to group: RouterGroup<ChatRequestContext>) {
        group.post("/v1/messages/{id}/feedback") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            let body = try await Self.body(RatingBody.self, request, context)
            if let thumbs = body.thumbs, !["up", "down"].contains(thumbs) { throw ChatError.invalid("thumbs must be up or down") }
            if let rating = body.rating, !(1...5).contains(rating) { throw ChatError.invalid("rating must be 1–5") }
            guard body.thumbs != nil || body.rating != nil else { throw ChatError.invalid("give thumbs or a rating") }
            try Self.checkComment(body.comment)
            let feedback = Feedback(id: UUID(), messageID: try Self.pathID(context), conversationID: UUID(), userID: identity.subject, kind: .rating,
                                    thumbs: body.thumbs, rating: body.rating, comment: body.comment, offendingText: nil, createdAt: Date())
            return try await store(feedback, tenant: tenant)
        }
        group.post("/v1/messages/{id}/reports") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            let body = try await Self.body(ReportBody.self, request, context)
            guard !body.offendingText.isEmpty, body.offendingText.count <= Self.maxCommentCharacters else {
                throw ChatError.invalid("offending_text must be 1–\(Self.maxCommentCharacters) characters")
            }
            try Self.checkComment(body.comment)
            let feedback = Feedback(id: UUID(), messageID: try Self.pathID(context), conversationID: UUID(), userID: identity.subject, kind: .report,
                                    thumbs: nil, rating: nil, comment: body.comment, offendingText: body.offendingText, createdAt: Date())
            return try await store(feedback, tenant: tenant)
        }
        group.get("/v1/feedback") { request, context -> Response in
            let (_, tenant) = try caller(request, context, "audit:read")
            guard let kind = Feedback.Kind(rawValue: request.uri.queryParameters["kind"].map(String.init) ?? "rating") else {
                throw ChatError.invalid("kind must be rating or report")
            }
            let (limit, after) = try SeqCursor.page(request)
            let (items, next) = try await feedback.list(tenant: tenant, kind: kind, limit: limit, after: after)
            return try Self.json(.ok, Page(key: "feedback", items: items, nextCursor: next?.encoded))
        }
    }

    private func store(_ item: Feedback, tenant: UUID) async throws -> Response {
        guard try await feedback.insert(item, tenant: tenant) else { throw ChatError.notFound }
        return try Self.json(.created, ["id": item.id.uuidString.lowercased()])
    }

    static func checkComment(_ comment: String?) throws(ChatError) {
        if let comment, comment.count > maxCommentCharacters { throw .invalid("comment must be at most \(maxCommentCharacters) characters") }
    }
}
