import CairnTesting
import Foundation
@testable import GenerationApp
import Testing

/// The built-in generator on the sample documents, through `POST /v1/generate`.
@Suite struct ExtractiveTests {
    static let needle = "The AI Agent is an **intelligent assistant** embedded in the Autolytiq platform"

    /// Every cited group's sentences are quoted from the source it cites.
    static func checkCitations(_ answer: String, sources: [[String: Any]]) -> Set<Int> {
        var cited: Set<Int> = []
        let groups = answer.components(separatedBy: "] ")
        for raw in groups {
            let group = raw.hasSuffix("]") ? String(raw.dropLast()) : raw
            guard let open = group.range(of: " [", options: .backwards), let number = Int(group[open.upperBound...]) else {
                Issue.record("a part of the answer cites nothing: \(group)")
                continue
            }
            cited.insert(number)
            // The group is a run of the source's own sentences, joined by spaces.
            let candidates = SentenceSplitter.sentences(sources[number - 1]["text"] as? String ?? "").sorted { $0.count > $1.count }
            var rest = Substring(group[..<open.lowerBound])
            while !rest.isEmpty {
                guard let sentence = candidates.first(where: { rest.hasPrefix($0) }) else {
                    Issue.record("[\(number)] does not contain: \(rest)")
                    break
                }
                rest = rest.dropFirst(sentence.count).drop { $0 == " " }
            }
        }
        return cited
    }

    @Test func answersFromTheRelevantSourceAndCitesOnlyWhatItUsed() async throws {
        try await GenerationHarness.run { harness in
            let sources = try SampleDocuments.sources(containing: [Self.needle])
            let reply = try await harness.generate([
                "question": "Which platform is the AI agent intelligent assistant embedded in, and whom does it help?", "sources": sources,
            ])
            #expect(reply.status == .ok, "\(reply.text)")
            let answer = try #require(reply.string("answer"))
            #expect(reply.string("model") == ExtractiveProvider.modelID)
            #expect(answer.contains("Autolytiq"))
            let cited = Self.checkCitations(answer, sources: sources)
            #expect(cited.contains(5), "the needle's passage is source 5: \(answer)")
            #expect(Set((reply["citations"] as? [Int]) ?? []) == cited)
            #expect((reply.int("usage", "completion_tokens") ?? 0) > 0)
        }
    }

    @Test func withoutRelevantContextItSaysItCannotAnswer() async throws {
        try await GenerationHarness.run { harness in
            let sources = try SampleDocuments.sources(containing: [])
            for body in [
                ["question": "What is the boiling point of mercury in kelvin at sea level?", "sources": sources],
                ["question": "Which platform is the AI agent embedded in?", "sources": [[String: Any]]()],
                ["question": "Which platform is the AI agent embedded in?"],
            ] as [[String: Any]] {
                let reply = try await harness.generate(body)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.string("answer") == ExtractiveProvider.noAnswer)
                #expect((reply["citations"] as? [Int]) == [])
            }
        }
    }
}
