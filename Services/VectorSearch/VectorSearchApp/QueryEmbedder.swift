import CairnServiceClients
import Foundation

/// Turns query text into a vector of the model the chunks were embedded with.
public protocol QueryEmbedder: Sendable {
    func embed(_ text: String, tenantID: UUID) async throws -> [Float]
}

/// The embedding service, asked for one vector on the tenant's behalf.
extension EmbeddingServiceClient: QueryEmbedder {
    public func embed(_ text: String, tenantID: UUID) async throws -> [Float] {
        guard let vector = try await embed([text], tenant: tenantID).first else {
            throw Failed(description: "embedding answered without a vector")
        }
        return vector
    }
}
