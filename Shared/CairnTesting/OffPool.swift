import Foundation

/// Runs blocking, CPU-heavy work (a forward pass, an index build) on a thread of its own, so it
/// never holds one of the cooperative pool's few threads: on a 2-core machine two such tests
/// would otherwise stall every other suite's timeouts.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
