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
}
