import Foundation
import Logging
import Metrics

/// The built-in generator (`cairn-extractive-1`): no language model, no network beyond the
/// embedding service. It ranks the sources' sentences by similarity to the question (cosine of
/// the embedding service's vectors; word overlap weighted by rarity when embeddings cannot be
/// had), keeps the best ones above a relevance floor within the token budget, puts them back
/// in document order grouped by source, and cites each group `[n]`. When nothing clears the
/// floor it says plainly that the sources do not contain the answer. Every sentence of an answer
/// is quoted from a source, never invented.
public struct ExtractiveProvider: GenerationProvider {
    public static let modelID = "cairn-extractive-1"
    public static let providerName = "extractive"
    public static let noAnswer = "I can't answer that from the provided sources: none of them contains the information asked for."
    /// Most sentences quoted in one answer.
    static let maximumSentences = 5
    /// Candidates sent for embedding (the lexical pre-ranking keeps the best this many).
    static let maximumCandidates = 128
    /// Cosine similarity (all-MiniLM-L6-v2) below which a sentence is not about the question.
    static let embeddingFloor: Float = 0.35
    /// Share of the question's (rarity-weighted) words a sentence must contain without embeddings.
    static let lexicalFloor = 0.5

    public var name: String { Self.providerName }
    let embedder: (any SentenceEmbedder)?
    let estimator: TokenEstimator
    let logger: Logger

    public init(embedder: (any SentenceEmbedder)?, estimator: TokenEstimator, logger: Logger) {
        self.embedder = embedder
        self.estimator = estimator
        self.logger = logger
    }

    struct Candidate {
        var source: Int  // index into the request's sources
        var position: Int
        var text: String
        var lexical: Double
        var score: Double = 0
    }

    public func stream(_ request: ProviderRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                let parts = await answer(request)
                var completion = 0
                for part in parts {
                    continuation.yield(.delta(part))
                    completion += estimator.count(part)
                }
                continuation.yield(.finish(.stop))
                continuation.yield(.usage(TokenUsage(promptTokens: request.estimatedPromptTokens, completionTokens: completion)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The answer in pieces (one per cited group), each ending in its citation.
    func answer(_ request: ProviderRequest) async -> [String] {
        var candidates = Self.candidates(question: request.question, sources: request.sources)
        guard !candidates.isEmpty, !Self.words(request.question).isEmpty else { return [Self.noAnswer] }
        candidates.sort { $0.lexical > $1.lexical }
        candidates = Array(candidates.prefix(Self.maximumCandidates))
        var floor = Self.lexicalFloor
        if let embedder, let vectors = await embed(embedder, question: request.question, candidates: candidates, tenant: request.tenantID) {
            for index in candidates.indices { candidates[index].score = Double(Self.dot(vectors[0], vectors[index + 1])) }
            floor = Double(Self.embeddingFloor)
        } else {
            for index in candidates.indices { candidates[index].score = candidates[index].lexical }
        }
        let ranked = candidates.filter { $0.score >= floor }.sorted { $0.score > $1.score }
        var chosen: [Candidate] = []
        var budget = request.maxTokens - 20
        for candidate in ranked where chosen.count < Self.maximumSentences {
            let cost = estimator.count(candidate.text) + 3
            guard cost <= budget else { continue }
            if chosen.contains(where: { Self.nearDuplicate($0.text, candidate.text) }) { continue }
            chosen.append(candidate)
            budget -= cost
        }
        guard !chosen.isEmpty else { return [Self.noAnswer] }
        chosen.sort { ($0.source, $0.position) < ($1.source, $1.position) }
        var parts: [String] = []
        var group: [String] = []
        for (offset, sentence) in chosen.enumerated() {
            group.append(sentence.text)
            if offset == chosen.count - 1 || chosen[offset + 1].source != sentence.source {
                let lead = parts.isEmpty ? "" : " "
                parts.append(lead + group.joined(separator: " ") + " [\(sentence.source + 1)]")
                group = []
            }
        }
        return parts
    }

    private func embed(_ embedder: any SentenceEmbedder, question: String, candidates: [Candidate], tenant: UUID?) async -> [[Float]]? {
        do {
            let vectors = try await embedder.embed([question] + candidates.map(\.text), tenant: tenant)
            guard vectors.count == candidates.count + 1 else { return nil }
            return vectors
        } catch {
            Counter(label: "generation_extractive_lexical_fallback_total").increment()
            logger.warning("embeddings unavailable; ranking by word overlap", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    /// Every sentence of every source with its rarity-weighted overlap with the question.
    static func candidates(question: String, sources: [Source]) -> [Candidate] {
        let questionWords = Set(words(question))
        var all: [Candidate] = []
        for (index, source) in sources.enumerated() {
            for (position, sentence) in SentenceSplitter.sentences(source.text).enumerated() {
                let count = sentence.split(separator: " ").count
                guard count >= 4, sentence.count <= 600 else { continue }
                all.append(Candidate(source: index, position: position, text: sentence, lexical: 0))
            }
        }
        guard !questionWords.isEmpty, !all.isEmpty else { return all }
        let sets = all.map { Set(words($0.text)) }
        var documentFrequency: [String: Int] = [:]
        for set in sets { for word in set where questionWords.contains(word) { documentFrequency[word, default: 0] += 1 } }
        let weight = { (word: String) in log(1 + Double(sets.count + 1) / Double(documentFrequency[word, default: 0] + 1)) }
        let total = questionWords.reduce(0) { $0 + weight($1) }
        for index in all.indices {
            all[index].lexical = questionWords.intersection(sets[index]).reduce(0) { $0 + weight($1) } / total
        }
        return all
    }

    /// Lower-cased content words, crudely stemmed (`stores`, `stored`, `storing` → `stor`).
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.compactMap { word in
            guard word.count > 2, !stopWords.contains(String(word)) else { return nil }
            return stem(word)
        }
    }

    static func stem(_ word: Substring) -> String {
        var word = word
        if word.count > 4, word.hasSuffix("ies") { word = word.dropLast(3) + "y" }
        else if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { word = word.dropLast() }
        if word.count > 5, word.hasSuffix("ing") { word = word.dropLast(3) }
        else if word.count > 4, word.hasSuffix("ed") { word = word.dropLast(2) }
        if word.count > 4, word.hasSuffix("e") { word = word.dropLast() }
        return String(word)
    }

    static func nearDuplicate(_ a: String, _ b: String) -> Bool {
        let x = Set(words(a)), y = Set(words(b))
        guard !x.isEmpty, !y.isEmpty else { return a == b }
        return Double(x.intersection(y).count) / Double(x.union(y).count) > 0.8
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out", "has", "have",
        "how", "what", "when", "where", "which", "who", "whom", "why", "does", "did", "this", "that", "these", "those", "with", "from",
        "into", "about", "there", "their", "them", "they", "then", "than", "its", "it's", "will", "would", "should", "could", "been",
        "being", "were", "is", "be", "of", "to", "in", "on", "at", "by", "or", "an", "a", "as", "do", "so", "if", "my", "me", "we",
        "us", "your", "his", "she", "him", "also", "such", "some", "more", "most", "other", "only", "over", "very", "just", "may",
        "use", "used", "using", "get", "tell", "explain", "describe",
    ]
}
