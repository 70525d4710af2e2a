import CairnServiceClients
import Foundation

/// Vectors for the extractive generator.
public protocol SentenceEmbedder: Sendable {
    /// One unit vector per text, in order; throws when the vectors cannot be had.
    func embed(_ texts: [String], tenant: UUID?) async throws -> [[Float]]
}

extension EmbeddingServiceClient: SentenceEmbedder {}
