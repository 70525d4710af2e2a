/// Which embedder serves what: the API's `model` names one; the worker picks one per chunk
/// batch by its collection (`CAIRN_EMBEDDING_PROVIDERS`), the local model by default.
struct EmbedderDirectory: Sendable {
    /// The local model, with the cache in front.
    let local: any Embedder
    /// By provider name, each with the cache in front.
    let remotes: [String: any Embedder]
    /// Collection id → provider name.
    let collections: [String: String]

    /// The chunk metadata key that may name a chunk's collection, for producers that predate
    /// `ChunksCreated.collection_id` (the field wins; the two may not disagree).
    static let collectionKey = "collection_id"

    /// Every model, the local one first.
    var all: [any Embedder] {
        [local] + remotes.keys.sorted().map { remotes[$0]! }
    }

    /// The embedder the API's `model` names (its id, an alias, or a provider's name); the local
    /// model when none is named.
    func embedder(model name: String?) throws(EmbeddingError) -> any Embedder {
        guard let name else { return local }
        if let found = all.first(where: { $0.info.answers(to: name) }) { return found }
        throw .modelNotFound(name, available: all.flatMap { [$0.info.id] + $0.info.aliases })
    }

    /// The embedder of a collection: its configured provider, else the local model.
    func embedder(collection: String?) -> any Embedder {
        guard let collection, let provider = collections[collection], let remote = remotes[provider] else { return local }
        return remote
    }
}
