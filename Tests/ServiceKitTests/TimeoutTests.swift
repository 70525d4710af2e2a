import ServiceKit
import Testing

@Suite struct TimeoutTests {
    @Test func aHardTimeoutReturnsEvenWhenTheOperationIgnoresCancellation() async throws {
        // Never resumed, and cancellation cannot reach it: `withTimeout` would wait for ever.
        await #expect(throws: TimeoutError.self) {
            try await withHardTimeout(.milliseconds(200)) {
                await withUnsafeContinuation { (_: UnsafeContinuation<Int, Never>) in }
            }
        }
    }

    @Test func aHardTimeoutPassesOnTheOperationsResultAndError() async throws {
        #expect(try await withHardTimeout(.seconds(30)) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await withHardTimeout(.seconds(30)) { () async throws -> Int in throw Refused() }
        }
    }

    @Test func aLateOperationIsCancelledAtTheDeadline() async throws {
        let (ends, end) = AsyncStream.makeStream(of: Bool.self)
        await #expect(throws: TimeoutError.self) {
            try await withHardTimeout(.milliseconds(100)) {
                let slept = (try? await Task.sleep(for: .seconds(30))) != nil
                end.yield(slept)
                return 0
            }
        }
        var iterator = ends.makeAsyncIterator()
        #expect(await iterator.next() == false, "the operation slept on after its deadline")
    }

    @Test func cancellingTheCallerCancelsTheOperation() async throws {
        let caller = Task {
            try await withHardTimeout(.seconds(30)) {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
    }
}
