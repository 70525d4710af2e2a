import CairnAuthKit
import Foundation
import Logging

/// Vectors for the extractive generator.
public protocol SentenceEmbedder: Sendable {
    /// One unit vector per text, in order; throws when the vectors cannot be had.
    func embed(_ texts: [String], tenant: UUID?) async throws -> [[Float]]
}

/// The embedding service's `POST /v1/embeddings` (OpenAI-shaped, base64 vectors to keep the
/// answer small), called with generation's service token on the tenant's behalf.
public struct EmbeddingServiceClient: SentenceEmbedder {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
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

    public func embed(_ texts: [String], tenant: UUID?) async throws -> [[Float]] {
        let query = tenant.map { "?tenant_id=\($0.uuidString.lowercased())" } ?? ""
        let reply = try await caller.call(.POST, baseURL + "/v1/embeddings" + query, json: Body(input: texts), timeout: timeout)
        guard reply.status == 200 else { throw Failed(description: "embedding answered HTTP \(reply.status)") }
        let answer = try reply.decode(Answer.self)
        guard answer.data.count == texts.count else { throw Failed(description: "embedding returned \(answer.data.count) vectors for \(texts.count) texts") }
        return try answer.data.sorted { $0.index < $1.index }.map { item in
            guard let bytes = Data(base64Encoded: item.embedding), bytes.count % 4 == 0 else { throw Failed(description: "bad base64 vector") }
            return bytes.withUnsafeBytes { raw in
                (0..<bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }
    }
}
