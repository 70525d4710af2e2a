import Foundation

/// Chooses the passages an answer is given with: in retrieval's rank order, as many as fit the token budget
/// (estimated at 4 UTF-8 bytes a token, the usual rule for English), each passage whole and no
/// passage twice.
enum ContextAssembler {
    static func estimatedTokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }

    /// Successful tool results come first (they answer about the very record asked for), then passages.
    static func assemble(_ hits: [SearchHit], budget: Int, tools: [ToolResult] = []) -> [MessageSource] {
        var used = 0
        var seen: Set<String> = []
        var sources: [MessageSource] = []
        for result in tools {
            guard let text = result.text, !text.isEmpty else { continue }
            let cost = estimatedTokens(text) + estimatedTokens(result.run.name) + 8
            guard used + cost <= budget else { continue }
            used += cost
            sources.append(MessageSource(
                index: sources.count + 1, chunkID: "tool:\(result.run.name)", documentID: "tool:\(result.run.name)", documentVersion: nil,
                collectionID: nil, title: result.run.name, text: text, score: 1, cited: false, type: "tool", tool: result.run.name, url: result.url
            ))
        }
        for hit in hits where !seen.contains(hit.chunkID) {
            let cost = estimatedTokens(hit.text) + estimatedTokens(hit.title) + 8
            guard used + cost <= budget else { continue }
            used += cost
            seen.insert(hit.chunkID)
            sources.append(MessageSource(
                index: sources.count + 1, chunkID: hit.chunkID, documentID: hit.documentID, documentVersion: hit.documentVersion,
                collectionID: hit.collectionID, title: hit.title, text: hit.text, score: hit.score, cited: false
            ))
        }
        return sources
    }
}
