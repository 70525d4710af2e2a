import CairnTokenizer
import Testing

/// `Tests/Fixtures/tokenizer-differential.json`: a few hundred texts (cut from the sample
/// documents, hand-picked Unicode corners, random mixes) with the ids and offsets the
/// reference (HuggingFace `tokenizers`) gives; `make_tokenizer_fixture.py` writes it.
@Suite struct DifferentialFixtureTests {
    struct Differential: Decodable {
        struct Case: Decodable {
            var text: String
            /// With [CLS] and [SEP], untruncated.
            var ids: [Int32]
            /// Flattened [start, end) pairs, one per id, in Unicode scalars.
            var offsets: [Int]
            /// Present when `ids` is longer than 256: the encoding truncated to 256.
            var ids_256: [Int32]?
        }
        var cases: [Case]
    }

    static let fixture = "tokenizer-differential.json"

    @Test func tokenIDsMatchTheReferenceForEveryCase() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let cases = try TokenizerFixtures.decode(Differential.self, from: Self.fixture).cases
        #expect(cases.count > 300)
        for testCase in cases {
            let ids = tokenizer.encode(testCase.text, maxLength: Int.max)
            #expect(ids == testCase.ids, "\(testCase.text.prefix(80).debugDescription)")
        }
    }

    @Test func offsetsMatchTheReferenceForEveryToken() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let cases = try TokenizerFixtures.decode(Differential.self, from: Self.fixture).cases
        for testCase in cases {
            #expect(testCase.offsets.count == 2 * testCase.ids.count)
            // The reference's [CLS] and [SEP] sit at (0, 0); `tokenize` has neither.
            let expected = stride(from: 2, to: testCase.offsets.count - 2, by: 2).map {
                [testCase.offsets[$0], testCase.offsets[$0 + 1]]
            }
            let actual = tokenizer.tokenize(testCase.text).map { [$0.start, $0.end] }
            #expect(actual == expected, "\(testCase.text.prefix(80).debugDescription)")
        }
    }

    @Test func truncationTo256MatchesTheReference() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let long = try TokenizerFixtures.decode(Differential.self, from: Self.fixture).cases.filter { $0.ids_256 != nil }
        #expect(long.count >= 3)
        for testCase in long {
            let ids = tokenizer.encode(testCase.text)
            #expect(ids.count == 256)
            #expect(ids == testCase.ids_256, "\(testCase.text.prefix(80).debugDescription)")
        }
    }

    @Test func countAgreesWithTokenize() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        for testCase in try TokenizerFixtures.decode(Differential.self, from: Self.fixture).cases {
            #expect(tokenizer.count(testCase.text) == testCase.ids.count - 2)
        }
    }
}
