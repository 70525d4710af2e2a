import Foundation

/// What an `Idempotency-Key` was used for: a SHA-256 of the target (the conversation asked in,
/// or a new one), the question (trimmed), the named assistant, the filters and the explicit tool calls. Whether the
/// answer is streamed is left out: a retry may ask for the other shape of the same answer.
enum IdempotencyFingerprint {
    static func of(_ body: ChatOrchestratorAPI.MessageBody, content: String, target: ChatOrchestratorAPI.Target) -> String {
        let targetPart = switch target {
        case .existing(let conversation): "conversation:" + conversation.id.uuidString.lowercased()
        case .new: "new"
        }
        let filters = body.filters.flatMap { try? ChatOrchestratorAPI.encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let toolCalls = body.toolCalls.flatMap { try? ChatOrchestratorAPI.encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return PartsDigest.sha256([targetPart, content, body.assistantID?.uuidString.lowercased() ?? "", filters, toolCalls])
    }
}
