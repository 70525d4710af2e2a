import Foundation

/// Runs CPU-heavy index work (graph builds, rebuilds, large batches) on a thread of its own, so
/// Swift's cooperative pool (one thread per core) keeps serving requests meanwhile.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = "vector-index-work"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
