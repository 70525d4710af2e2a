import Foundation
import NIOConcurrencyHelpers

/// A dedicated OS thread that calls `body` (a blocking poll with a short timeout) until stopped,
/// so librdkafka's callbacks never run on, or block, Swift's cooperative threads.
final class PollThread: Sendable {
    private let running = NIOLockedValueBox(true)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, body: @escaping @Sendable () -> Void) {
        let thread = Thread { [running, finished] in
            while running.withLockedValue({ $0 }) { body() }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop and waits for the current poll to return.
    func stop() {
        let wasRunning = running.withLockedValue { running in
            defer { running = false }
            return running
        }
        if wasRunning { finished.wait() }
    }
}
