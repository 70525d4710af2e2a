import Foundation
import Testing

/// The reference implementation's vectors for the 33 golden texts (`GoldenCase`, from
/// `Tests/Fixtures/minilm-golden.json`) through the whole service path: tokenizer, batcher,
/// JSON. One call with every text (grouped by length, padded), and every text as its own
/// concurrent call (batched with strangers). Without the cache: the shared test Redis may hold
/// these texts from a run of other code.
@Suite struct GoldenThroughAPITests {
    @Test func everyPathGivesTheReferenceVectors() async throws {
        let cases = GoldenCase.all
        try #require(cases.count == 33)
        try await EmbeddingHarness.run(["CAIRN_EMBEDDING_CACHE_TTL_SECONDS": "0"]) { harness in
            let all = try await harness.embed(["input": cases.map(\.text)])
            #expect(all.status == .ok)
            let together = EmbeddingHarness.vectors(all)
            let alone = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
                for (index, golden) in cases.enumerated() {
                    group.addTask { (index, EmbeddingHarness.vectors(try await harness.embed(["input": golden.text]))[0]) }
                }
                var vectors: [Int: [Float]] = [:]
                for try await (index, vector) in group { vectors[index] = vector }
                return vectors
            }
            for (index, golden) in cases.enumerated() {
                let label = "case \(index): \(golden.text.prefix(40).debugDescription)"
                #expect(cosine(together[index], golden.embedding) >= 0.9999, "\(label)")
                #expect(cosine(try #require(alone[index]), golden.embedding) >= 0.9999, "\(label)")
            }
            let expectedTokens = cases.reduce(0) { $0 + min($1.tokenIDs.count, 256) - 2 }
            #expect(all.int("usage", "total_tokens") == expectedTokens, "the text's own tokens, truncated at 256 with [CLS] and [SEP]")
        }
    }
}
