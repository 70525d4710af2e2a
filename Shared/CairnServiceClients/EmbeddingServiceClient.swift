import CairnAuthKit
import Foundation

/// The embedding service's `POST /v1/embeddings` (OpenAI-shaped, base64 float32 vectors to keep
/// the answer small), called with the caller's service token on the tenant's behalf
/// (`?tenant_id=`). Used by vector-search for query vectors and by generation's extractive
/// provider for sentence vectors.
public struct EmbeddingServiceClient: Sendable {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    let baseURL: String
    let caller: ServiceCaller
    let timeout: Duration

    public init(baseURL: String, caller: ServiceCaller, timeout: Duration = .seconds(5)) {
        self.baseURL = baseURL
        self.caller = caller
        self.timeout = timeout
    }

    struct Body: Encodable, Sendable {
        var input: [String]
        var encodingFormat = "base64"
        enum CodingKeys: String, CodingKey {
            case input
            case encodingFormat = "encoding_format"
        }
    }

    struct Answer: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: String
        }

        var data: [Item]
    }

    /// One vector per text, in order; throws when the vectors cannot be had.
    public func embed(_ texts: [String], tenant: UUID?) async throws -> [[Float]] {
        let query = tenant.map { "?tenant_id=\($0.uuidString.lowercased())" } ?? ""
        let reply = try await caller.call(.POST, baseURL + "/v1/embeddings" + query, json: Body(input: texts), timeout: timeout)
        guard reply.status == 200 else { throw Failed(description: "embedding answered HTTP \(reply.status)") }
        let answer = try reply.decode(Answer.self)
        guard answer.data.count == texts.count else { throw Failed(description: "embedding returned \(answer.data.count) vectors for \(texts.count) texts") }
        return try answer.data.sorted { $0.index < $1.index }.map { item in
            guard let bytes = Data(base64Encoded: item.embedding), !bytes.isEmpty, bytes.count % 4 == 0 else {
                throw Failed(description: "embedding answered without a float32 vector")
            }
            return bytes.withUnsafeBytes { raw in
                (0..<bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }
    }
}
