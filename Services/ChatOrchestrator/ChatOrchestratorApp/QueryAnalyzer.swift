import Foundation

/// What a question looks like, and what to search for. Deterministic (no model): a follow-up
/// is recognised by its words and completed with the content words of the previous question,
/// which is what a lexical and a vector search both need from the history.
struct QueryAnalysis: Sendable, Equatable {
    enum Kind: String, Sendable {
        /// A few terms, no question form ("refund policy annual"): exact terms matter most.
        case keyword
        /// A direct question about a fact ("What is the refund window?").
        case factual
        /// A long or multi-part question ("compare", "why", several clauses).
        case complex
    }

    var kind: Kind
    /// The stand-alone query sent to retrieval.
    var searchQuery: String
    /// Whether `searchQuery` was completed from the history.
    var rewritten: Bool

    /// The strategy for an assistant set to `auto`: lexical for keywords, hybrid otherwise
    /// (hybrid degrades to lexical inside vector-search when embedding is down).
    var strategy: RetrievalStrategy {
        kind == .keyword ? .lexical : .hybrid
    }
}

enum QueryAnalyzer {
    static let questionWords: Set<String> = ["what", "who", "when", "where", "which", "how", "why", "is", "are", "does", "do", "can", "should", "will"]
    static let complexMarkers: Set<String> = ["compare", "difference", "between", "why", "explain", "versus", "vs", "pros", "cons", "steps"]
    static let referringWords: Set<String> = ["it", "its", "this", "that", "these", "those", "they", "them", "their", "he", "she", "his", "her", "one", "ones"]
    static let followUpOpeners = ["and ", "what about", "how about", "also ", "same for", "then "]
    static let stopWords: Set<String> = questionWords.union(referringWords).union([
        "a", "an", "the", "of", "for", "to", "in", "on", "and", "or", "with", "about", "me", "my", "our", "we", "you", "your", "i",
        "be", "was", "were", "there", "please", "tell", "at", "by", "from", "as", "if", "than", "then", "also", "same", "so", "any",
    ])

    /// Analyses `question` given the previous user questions (oldest first).
    static func analyze(_ question: String, previousQuestions: [String]) -> QueryAnalysis {
        let words = Self.words(question)
        let kind: QueryAnalysis.Kind
        if words.count >= 25 || words.contains(where: complexMarkers.contains) || question.filter({ $0 == "?" }).count > 1 {
            kind = .complex
        } else if !question.contains("?") && words.count <= 5 && !(words.first.map(questionWords.contains) ?? false) {
            kind = .keyword
        } else {
            kind = .factual
        }
        guard let previous = previousQuestions.last, isFollowUp(question, words: words) else {
            return QueryAnalysis(kind: kind, searchQuery: question, rewritten: false)
        }
        let present = Set(words)
        var added: [String] = []
        for word in Self.words(previous) where !stopWords.contains(word) && !present.contains(word) && !added.contains(word) {
            added.append(word)
        }
        guard !added.isEmpty else { return QueryAnalysis(kind: kind, searchQuery: question, rewritten: false) }
        return QueryAnalysis(kind: kind, searchQuery: question + " " + added.joined(separator: " "), rewritten: true)
    }

    /// A follow-up leans on what came before: it opens like one, refers back, or is too short
    /// to stand alone.
    static func isFollowUp(_ question: String, words: [String]) -> Bool {
        let lowered = question.lowercased().trimmingCharacters(in: .whitespaces)
        if followUpOpeners.contains(where: lowered.hasPrefix) { return true }
        if words.contains(where: referringWords.contains) { return true }
        return words.filter { !stopWords.contains($0) }.count <= 1
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
