import Logging
import ServiceLifecycle

/// Rebuilds, now and then, the collections whose graphs carry too many tombstones (deleted or
/// replaced chunks still used for navigation): searches keep their speed and recall, and the
/// memory of deleted chunks is given back.
struct IndexMaintenance: Service {
    let registry: IndexRegistry
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // Graceful shutdown ends the wait at once (it does not cancel by itself).
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully { return }
            for key in registry.allKeys where registry.index(key)?.needsRebuild == true {
                let started = ContinuousClock.now
                _ = try? await BlockingWork.run { [registry] in registry.rebuild(key) }
                logger.info("collection rebuilt without tombstones", metadata: [
                    "tenant_id": "\(key.tenantID)", "collection_id": "\(key.collectionID)", "took": "\(ContinuousClock.now - started)",
                ])
            }
        }
    }
}
