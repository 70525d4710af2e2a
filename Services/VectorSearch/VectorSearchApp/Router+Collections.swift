import CairnAuthKit
import Foundation
import Hummingbird

/// Collection administration and ingestion's "indexed" status.
extension VectorSearchAPI {
    struct CollectionView: ResponseEncodable, Sendable {
        struct Parameters: Encodable, Sendable {
            var m: Int
            var efConstruction: Int
            var efSearch: Int
            var exactBelow: Int
            var filteredExactBelow: Int
            enum CodingKeys: String, CodingKey {
                case m, efConstruction = "ef_construction", efSearch = "ef_search", exactBelow = "exact_below"
                case filteredExactBelow = "filtered_exact_below"
            }
        }

        var collectionID: String
        var chunks: Int
        var graphNodes: Int
        var tombstones: Int
        var dimensions: Int
        var memoryBytes: Int
        var terms: Int
        var index: Parameters

        enum CodingKeys: String, CodingKey {
            case chunks, tombstones, dimensions, terms, index
            case collectionID = "collection_id", graphNodes = "graph_nodes", memoryBytes = "memory_bytes"
        }
    }

    /// Collection id → version (bumped whenever the collection's chunks change).
    struct CollectionVersions: ResponseEncodable, Sendable {
        var collections: [String: Int64]
    }

    struct CollectionList: ResponseEncodable, Sendable {
        var collections: [CollectionView]
    }

    struct IndexedStatus: ResponseEncodable, Sendable {
        var documentID: String
        var version: Int
        var batchCount: Int
        var batchesIndexed: Int
        var chunkCount: Int
        /// Every announced batch is stored and indexed.
        var indexed: Bool

        enum CodingKeys: String, CodingKey {
            case version, indexed
            case documentID = "document_id", batchCount = "batch_count", batchesIndexed = "batches_indexed", chunkCount = "chunk_count"
        }
    }

    func view(_ key: CollectionKey) -> CollectionView? {
        guard let index = registry.index(key) else { return nil }
        let stats = index.stats
        let settings = index.settings
        return CollectionView(
            collectionID: key.collectionID, chunks: stats.chunks, graphNodes: stats.graphNodes, tombstones: stats.tombstones,
            dimensions: stats.dimensions, memoryBytes: stats.memoryBytes, terms: stats.terms,
            index: .init(m: settings.hnsw.m, efConstruction: settings.hnsw.efConstruction, efSearch: settings.hnsw.efSearch,
                         exactBelow: settings.exactBelow, filteredExactBelow: settings.filteredExactBelow)
        )
    }

    func collectionKey(_ tenant: UUID, _ context: VectorSearchRequestContext) throws -> CollectionKey {
        guard let id = context.parameters.get("collection_id"), !id.isEmpty else { throw VectorSearchError.notFound }
        return CollectionKey(tenantID: tenant.uuidString.lowercased(), collectionID: id)
    }

    func addCollectionRoutes(to group: RouterGroup<VectorSearchRequestContext>) {
        group.get("/v1/search/collections") { request, context -> CollectionList in
            let tenant = try actingTenant(request, context: context, "search:query")
            return CollectionList(collections: registry.collections(tenantID: tenant.uuidString.lowercased()).compactMap(view))
        }
        group.get("/v1/search/collections/{collection_id}") { request, context -> CollectionView in
            let key = try collectionKey(try actingTenant(request, context: context, "search:query"), context)
            guard let view = view(key) else { throw VectorSearchError.notFound }
            return view
        }
        group.post("/v1/search/collections/{collection_id}/rebuild") { request, context -> CollectionView in
            let key = try collectionKey(try actingTenant(request, context: context, "search:write"), context)
            let started = ContinuousClock.now
            // A large graph takes a while: built on a thread of its own, off the request pool.
            let rebuilt = try await BlockingWork.run { [registry] in registry.rebuild(key) }
            guard rebuilt, let view = view(key) else { throw VectorSearchError.notFound }
            logger.info("collection rebuilt", metadata: [
                "tenant_id": "\(key.tenantID)", "collection_id": "\(key.collectionID)", "chunks": "\(view.chunks)",
                "took": "\(ContinuousClock.now - started)",
            ])
            return view
        }
        group.delete("/v1/search/collections/{collection_id}") { request, context -> Response in
            let key = try collectionKey(try actingTenant(request, context: context, "search:write"), context)
            let (removed, version) = try await store.deleteCollection(key)
            let dropped = registry.drop(key)
            if let version { registry.setVersions([key: version]) }
            guard removed > 0 || dropped else { throw VectorSearchError.notFound }
            logger.info("collection deleted", metadata: ["tenant_id": "\(key.tenantID)", "collection_id": "\(key.collectionID)", "chunks": "\(removed)"])
            return Response(status: .noContent)
        }
        // chat-orchestrator's answer cache: `?ids=a,b` (all the tenant's collections without).
        group.get("/v1/internal/collections/versions") { request, context -> CollectionVersions in
            let tenant = try actingTenant(request, context: context, "search:query")
            let ids = try request.uri.queryParameters["ids"].map { raw throws(VectorSearchError) -> [String] in
                let ids = raw.split(separator: ",").map(String.init)
                guard !ids.isEmpty, ids.count <= 100, ids.allSatisfy({ !$0.isEmpty && $0.count <= 200 }) else {
                    throw VectorSearchError.invalid("ids: 1–100 comma-separated collection ids")
                }
                return ids
            }
            return CollectionVersions(collections: try await store.versions(tenantID: tenant, ids: ids))
        }
        group.get("/v1/internal/documents/{document_id}/versions/{version}/indexed") { request, context -> IndexedStatus in
            let tenant = try actingTenant(request, context: context, "search:query")
            guard let document = context.parameters.get("document_id"), let version = context.parameters.get("version", as: Int.self),
                  version >= 1 else { throw VectorSearchError.notFound }
            guard let status = try await store.indexedStatus(tenantID: tenant, documentID: document, version: version) else {
                throw VectorSearchError.notFound
            }
            return IndexedStatus(
                documentID: document, version: version, batchCount: status.batchCount, batchesIndexed: status.batches.count,
                chunkCount: status.batches.values.reduce(0, +), indexed: status.batches.count >= status.batchCount
            )
        }
    }
}
