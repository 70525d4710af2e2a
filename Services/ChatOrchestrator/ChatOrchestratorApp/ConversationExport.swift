import Foundation

/// A conversation with all its messages, as JSON or Markdown.
struct ConversationExport: Encodable, Sendable {
    var conversation: Conversation
    var messages: [Message]

    /// Markdown: the title, then each message under its role, answers with their cited sources.
    var markdown: String {
        var text = "# \(conversation.title)\n\n"
        let formatter = ISO8601DateFormatter()
        for message in messages {
            text += "## \(message.role == .user ? "User" : "Assistant") — \(formatter.string(from: message.createdAt))\n\n\(message.content)\n\n"
            if message.interrupted { text += "_(interrupted)_\n\n" }
            let cited = message.sources.filter(\.cited)
            if !cited.isEmpty {
                text += "Sources:\n" + cited.map { "- [\($0.index)] \($0.title) (document \($0.documentID), chunk \($0.chunkID))" }.joined(separator: "\n") + "\n\n"
            }
        }
        return text
    }
}
