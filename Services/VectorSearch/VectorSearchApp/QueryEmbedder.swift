import CairnAuthKit
import Foundation

/// Turns query text into a vector of the model the chunks were embedded with.
public protocol QueryEmbedder: Sendable {
    func embed(_ text: String, tenantID: UUID) async throws -> [Float]
}

/// The embedding service's `POST /v1/embeddings`, called with vector-search's service token on
/// the tenant's behalf (`?tenant_id=`), vectors as base64 float32 to keep the answer small.
struct EmbeddingServiceQueryEmbedder: QueryEmbedder {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    let baseURL: String
    let caller: ServiceCaller
    let timeout: Duration

    private struct Body: Encodable, Sendable {
        var input: [String]
        var encoding_format = "base64"
    }

    private struct Answer: Decodable {
        struct Item: Decodable { var embedding: String }
        var data: [Item]
    }

    func embed(_ text: String, tenantID: UUID) async throws -> [Float] {
        let url = baseURL + "/v1/embeddings?tenant_id=" + tenantID.uuidString.lowercased()
        let reply = try await caller.call(.POST, url, json: Body(input: [text]), timeout: timeout)
        guard reply.status == 200 else { throw Failed(description: "embedding answered HTTP \(reply.status)") }
        guard let item = try reply.decode(Answer.self).data.first, let bytes = Data(base64Encoded: item.embedding),
              !bytes.isEmpty, bytes.count % 4 == 0 else {
            throw Failed(description: "embedding answered without a float32 vector")
        }
        return bytes.withUnsafeBytes { raw in
            (0..<bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
