import Foundation
import Testing

@testable import EmbeddingApp

/// Parsing and limits of `POST /v1/embeddings` bodies, and the byte forms of vectors.
@Suite struct EmbeddingRequestTests {
    static let model = EmbeddingModelInfo(id: "all-MiniLM-L6-v2", provider: "local", dimensions: 384, maxTokens: 256)
    static let limits = EmbeddingLimits(maxInputs: 4, maxInputCharacters: 10, maxRequestCharacters: 25)

    func parse(_ json: String) throws(EmbeddingError) -> EmbeddingRequest {
        try EmbeddingRequest.parse(Data(json.utf8))
    }

    @Test func acceptsAStringOrAnArrayOfStrings() throws {
        #expect(try parse(#"{"input": "hello", "model": "all-MiniLM-L6-v2"}"#).input == ["hello"])
        let request = try parse(#"{"input": ["a", "b"], "encoding_format": "base64", "dimensions": 384, "user": "u-1"}"#)
        #expect(request.input == ["a", "b"])
        #expect(request.model == nil)
        #expect(request.encodingFormat == .base64)
        #expect(request.dimensions == 384)
        #expect(try parse(#"{"input": "x", "encoding_format": null, "model": null}"#).encodingFormat == .float)
    }

    @Test(arguments: [
        (#"[1, 2]"#, "the body must be a JSON object"),
        (#"{"model": "all-MiniLM-L6-v2"}"#, "input is required"),
        (#"{"input": []}"#, "input must not be an empty array"),
        (#"{"input": [[101, 102]]}"#, "input must be a string or an array of strings (arrays of token ids are not accepted)"),
        (#"{"input": 42}"#, "input must be a string or an array of strings (arrays of token ids are not accepted)"),
        (#"{"input": "x", "encoding_format": "int8"}"#, "encoding_format must be \"float\" or \"base64\""),
        (#"{"input": "x", "dimensions": "384"}"#, "dimensions must be an integer"),
        (#"{"input": "x", "model": 7}"#, "model must be a string"),
        (#"{"input": "x""#, "the body is not valid JSON"),
    ])
    func malformedBodiesSayWhatIsWrong(_ body: String, _ message: String) {
        #expect(throws: EmbeddingError.invalid(message)) { try parse(body) }
    }

    @Test func limitsNameTheLimit() throws {
        #expect(throws: Never.self) { try EmbeddingRequest(input: ["0123456789", "abc"]).validate(limits: Self.limits, model: Self.model) }
        #expect(throws: EmbeddingError.limitExceeded(limitName: "max_inputs", message: "input has 5 items; at most 4 per request", limit: 4, actual: 5)) {
            try EmbeddingRequest(input: ["a", "b", "c", "d", "e"]).validate(limits: Self.limits, model: Self.model)
        }
        #expect(throws: EmbeddingError.limitExceeded(
            limitName: "max_input_characters", message: "input[1] has 11 characters; at most 10 per input", limit: 10, actual: 11
        )) {
            try EmbeddingRequest(input: ["a", "0123456789a"]).validate(limits: Self.limits, model: Self.model)
        }
        #expect(throws: EmbeddingError.limitExceeded(
            limitName: "max_request_characters", message: "input has 30 characters in all; at most 25 per request", limit: 25, actual: 30
        )) {
            try EmbeddingRequest(input: ["0123456789", "0123456789", "0123456789"]).validate(limits: Self.limits, model: Self.model)
        }
        // Characters are code points: "é" as e + combining accent is two.
        #expect(throws: EmbeddingError.self) { try EmbeddingRequest(input: [String(repeating: "e\u{301}", count: 6)]).validate(limits: Self.limits, model: Self.model) }
    }

    @Test func onlyTheModelsOwnDimensionsAreAccepted() {
        #expect(throws: Never.self) { try EmbeddingRequest(input: ["a"], dimensions: 384).validate(limits: Self.limits, model: Self.model) }
        #expect(throws: EmbeddingError.invalid("dimensions: all-MiniLM-L6-v2 produces 384-dimensional vectors; no other size is available")) {
            try EmbeddingRequest(input: ["a"], dimensions: 256).validate(limits: Self.limits, model: Self.model)
        }
    }

    @Test func vectorsAreLittleEndianFloat32AsOpenAIsBase64() {
        let vector: [Float] = [1, -2.5, 0.1]
        #expect(VectorCoding.bytes(vector) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0, 0xCD, 0xCC, 0xCC, 0x3D])
        #expect(VectorCoding.base64(vector) == "AACAPwAAIMDNzMw9")
        #expect(VectorCoding.floats(VectorCoding.bytes(vector)) == vector)
        #expect(VectorCoding.floats([1, 2, 3]) == nil)
    }

    @Test func cacheValuesRoundTripExactly() {
        let vector = (0..<384).map { Float(sin(Double($0))) / 10 }
        let entry = EmbeddingCache.Entry(vector: vector, tokens: 17)
        let bytes = EmbeddingCache.encode(entry)
        #expect(bytes.count == 4 + 384 * 4)
        #expect(EmbeddingCache.decode(bytes, dimensions: 384) == entry)
        #expect(EmbeddingCache.decode(bytes, dimensions: 256) == nil, "a value of another length is a miss, not a wrong vector")
    }

    @Test func cacheKeysHashTheExactTextUnderTheModelsNamespace() {
        let local = EmbeddingModelInfo(id: "all-MiniLM-L6-v2", provider: "local", dimensions: 384, maxTokens: 256, weightsSHA256: String(repeating: "ab", count: 32))
        let key = EmbeddingCache.key(namespace: local.cacheNamespace, text: "hello")
        #expect(key == "cairn:embedding:v1:local:all-MiniLM-L6-v2@abababababababab:384:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        // No normalisation: composed and decomposed "é" are different keys, as are case variants.
        #expect(EmbeddingCache.key(namespace: "n", text: "caf\u{E9}") != EmbeddingCache.key(namespace: "n", text: "cafe\u{301}"))
        #expect(EmbeddingCache.key(namespace: "n", text: "Hello") != EmbeddingCache.key(namespace: "n", text: "hello"))
    }

    @Test func derivedEventIDsAreStableUUIDs() {
        let first = ChunkEmbeddingHandler.derivedID("chunks-embedded", "e1", "local")
        #expect(first == ChunkEmbeddingHandler.derivedID("chunks-embedded", "e1", "local"))
        #expect(first != ChunkEmbeddingHandler.derivedID("chunks-embedded", "e2", "local"))
        #expect(first.uuidString.lowercased().split(separator: "-")[2].hasPrefix("8"), "version 8")
    }

    @Test func providerTokenTotalsAreSharedByLength() {
        #expect(RemoteEmbedder.share(10, by: [1, 1]) == [5, 5])
        #expect(RemoteEmbedder.share(10, by: [1, 2]) == [4, 6])
        #expect(RemoteEmbedder.share(7, by: [3, 3, 3]).reduce(0, +) == 7)
        #expect(RemoteEmbedder.share(0, by: [3]) == [0])
    }
}
