import CairnTesting
import CairnTokenizer
import Foundation
import MiniLM
import Testing

/// The reference implementation's outputs (`Tests/Fixtures/minilm-golden.json`: 33 texts with
/// sentence-transformers' token ids and embeddings).
struct GoldenCase: Decodable {
    let text: String
    let tokenIDs: [Int32]
    let embedding: [Float]

    enum CodingKeys: String, CodingKey {
        case text
        case tokenIDs = "token_ids"
        case embedding
    }

    static let all: [GoldenCase] = {
        struct File: Decodable { let cases: [GoldenCase] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/minilm-golden.json")
        // A missing or broken fixture fails every test that reads it.
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(File.self, from: data).cases
    }()
}

/// The model's files, installed by `deploy/local/deps.sh`; `env.sh` exports their directory.
enum ModelFiles {
    static var directory: String {
        guard let directory = ProcessInfo.processInfo.environment["CAIRN_MODEL_DIR"], !directory.isEmpty else {
            Issue.record("CAIRN_MODEL_DIR is not set: source deploy/local/env.sh (make test does)")
            return "/nonexistent"
        }
        return directory
    }

    /// One loaded model for every test (84 MB of weights, loaded once).
    static let model: MiniLMModel = try! MiniLMModel(directory: directory)
}

/// `model.embed` off the cooperative pool.
func embedded(_ sequences: [[Int32]], by model: MiniLMModel = ModelFiles.model) async -> [[Float]] {
    await offPool { model.embed(sequences) }
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var (dot, aa, bb): (Float, Float, Float) = (0, 0, 0)
    for i in a.indices {
        dot += a[i] * b[i]
        aa += a[i] * a[i]
        bb += b[i] * b[i]
    }
    return dot / (aa.squareRoot() * bb.squareRoot())
}

@Suite("all-MiniLM-L6-v2 against the reference")
struct MiniLMFidelityTests {
    let model = ModelFiles.model

    @Test("every golden text's token ids give the reference embedding (cosine ≥ 0.9999), one at a time")
    func goldenOneByOne() async {
        #expect(GoldenCase.all.count == 33)
        for golden in GoldenCase.all {
            let vector = await embedded([golden.tokenIDs])[0]
            #expect(vector.count == 384)
            let similarity = cosine(vector, golden.embedding)
            #expect(similarity >= 0.9999, "\(golden.text.debugDescription): cosine \(similarity)")
        }
    }

    @Test("all golden texts in one mixed-length batch give the reference embeddings")
    func goldenBatched() async {
        let vectors = await embedded(GoldenCase.all.map(\.tokenIDs))
        #expect(vectors.count == GoldenCase.all.count)
        for (vector, golden) in zip(vectors, GoldenCase.all) {
            let similarity = cosine(vector, golden.embedding)
            #expect(similarity >= 0.9999, "\(golden.text.debugDescription): cosine \(similarity)")
        }
    }

    @Test("a batch gives the same vectors as one sequence at a time (both kernels, both threads)")
    func batchEqualsSingles() async {
        let sequences = GoldenCase.all.map(\.tokenIDs)
        let batched = await embedded(sequences)
        for (index, sequence) in sequences.enumerated() {
            let single = await embedded([sequence])[0]
            let worst = zip(single, batched[index]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 2e-5, "sequence \(index) (\(sequence.count) tokens) differs by \(worst)")
        }
    }

    @Test("a batch larger than one scratch slice (40 × 256 tokens) is embedded whole and in order")
    func batchBeyondOneSlice() async throws {
        let long = try #require(GoldenCase.all.first { $0.tokenIDs.count == 256 })
        let short = GoldenCase.all[0]
        let sequences = (0..<40).map { $0.isMultiple(of: 2) ? long.tokenIDs : short.tokenIDs }
        let vectors = await embedded(sequences)
        #expect(vectors.count == 40)
        for (index, vector) in vectors.enumerated() {
            let golden = index.isMultiple(of: 2) ? long : short
            #expect(cosine(vector, golden.embedding) >= 0.9999, "position \(index)")
        }
    }

    @Test("vectors are unit length and an empty batch gives no vectors")
    func unitLength() async {
        for vector in await embedded(GoldenCase.all.prefix(5).map(\.tokenIDs)) {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        #expect(await embedded([]).isEmpty)
    }

    @Test("metadata: dimensions, max tokens and the weights' checksum as sha256sum computes it")
    func metadata() async throws {
        #expect(model.dimensions == 384)
        #expect(model.maxTokens == 256)
        let weights = URL(fileURLWithPath: ModelFiles.directory).appendingPathComponent("model.safetensors")
        let result = try await runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), [weights.path])
        #expect(result.status == 0)
        #expect(result.output.split(separator: " ").first.map(String.init) == model.weightsChecksum)
    }
}

@Suite("Loading model weights")
struct MiniLMLoadingTests {
    private func write(_ bytes: [UInt8]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: directory.appendingPathComponent("model.safetensors"))
        return directory
    }

    private func header(_ json: String) -> [UInt8] {
        let body = Array(json.utf8)
        return withUnsafeBytes(of: UInt64(body.count).littleEndian, Array.init) + body
    }

    @Test("a missing file, a short file, a header longer than the file and non-JSON are refused")
    func malformedFiles() throws {
        #expect(throws: MiniLMError.self) { try MiniLMModel(directory: "/nonexistent-model-dir") }
        #expect(throws: MiniLMError.self) { try MiniLMModel(directory: try write([1, 2, 3]).path) }
        #expect(throws: MiniLMError.self) {
            try MiniLMModel(directory: try write(withUnsafeBytes(of: UInt64(1 << 20).littleEndian, Array.init) + [0x7b]).path)
        }
        #expect(throws: MiniLMError.self) { try MiniLMModel(directory: try write(header("not json")).path) }
    }

    @Test("a tensor that is missing, of the wrong dtype or shape, or outside the file is refused")
    func wrongTensors() throws {
        // Valid framing, but the first tensor the model needs has the wrong shape, then dtype,
        // then points past the end of the data.
        let name = "embeddings.word_embeddings.weight"
        for entry in [
            "{\"\(name)\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}",
            "{\"\(name)\":{\"dtype\":\"F16\",\"shape\":[30522,384],\"data_offsets\":[0,16]}}",
            "{\"\(name)\":{\"dtype\":\"F32\",\"shape\":[30522,384],\"data_offsets\":[0,46881792]}}",
            "{\"other\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
        ] {
            let bytes = header(entry) + [UInt8](repeating: 0, count: 16)
            #expect(throws: MiniLMError.self, "\(entry)") { try MiniLMModel(directory: try write(bytes).path) }
        }
    }
}

@Suite("Tokenizer and model together")
struct TextToVectorTests {
    @Test("each golden text, tokenised by CairnTokenizer, embeds to the reference vector")
    func goldenFromText() async throws {
        let tokenizer = try BertTokenizer(vocabularyFile: ModelFiles.directory + "/vocab.txt")
        let model = ModelFiles.model
        let vectors = await embedded(GoldenCase.all.map { tokenizer.encode($0.text, maxLength: model.maxTokens) })
        for (vector, golden) in zip(vectors, GoldenCase.all) {
            let similarity = cosine(vector, golden.embedding)
            #expect(similarity >= 0.9999, "\(golden.text.debugDescription): cosine \(similarity)")
        }
    }
}
