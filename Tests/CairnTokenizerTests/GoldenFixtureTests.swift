import CairnTokenizer
import Testing

/// `Tests/Fixtures/minilm-golden.json`: texts with the token ids sentence-transformers fed the
/// model (max_seq_length 256). Shared with the embedding tests, which also check the vectors.
@Suite struct GoldenFixtureTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            var text: String
            var token_ids: [Int32]
        }
        var cases: [Case]
    }

    @Test func encodeMatchesSentenceTransformersForEveryCase() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let golden = try TokenizerFixtures.decode(Golden.self, from: "minilm-golden.json")
        #expect(golden.cases.count == 33)
        for (index, testCase) in golden.cases.enumerated() {
            let ids = tokenizer.encode(testCase.text)
            #expect(ids == testCase.token_ids, "case \(index): \(testCase.text.prefix(60).debugDescription)")
        }
    }
}
