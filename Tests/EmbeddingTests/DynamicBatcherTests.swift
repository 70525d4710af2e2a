import CairnTesting
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import EmbeddingApp

/// The batcher's logic with a stand-in forward pass (each vector is `[length, first token]`),
/// so batching, ordering, cancellation and shutdown are checked without the model.
@Suite struct DynamicBatcherTests {
    /// Records every pass's sequences; optionally slow; optionally holding its first pass until
    /// the test releases it (so a test can queue work behind a pass in hand, whatever the load).
    final class FakeModel: Sendable {
        let passes = Seen<[[Int32]]>()
        let delay: Duration
        private let gate = DispatchSemaphore(value: 0)
        private let holdsFirstPass: Bool

        init(delay: Duration = .zero, holdingFirstPass: Bool = false) {
            self.delay = delay
            holdsFirstPass = holdingFirstPass
        }

        func release() { gate.signal() }

        func forward(_ sequences: [[Int32]]) -> [[Float]] {
            passes.append(sequences)
            if holdsFirstPass, passes.all.count == 1 { gate.wait() }
            if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds)) }
            return sequences.map { [Float($0.count), Float($0.first ?? -1)] }
        }

        var tokensSeen: Set<Int32> { Set(passes.all.flatMap { $0.compactMap(\.first) }) }
    }

    static func batcher(_ model: FakeModel, window: Duration = .milliseconds(5), maxBatch: Int = 32) -> DynamicBatcher {
        DynamicBatcher(settings: .init(window: window, maxBatch: maxBatch)) { model.forward($0) }
    }

    @Test func concurrentSingleCallsShareForwardPasses() async throws {
        // The first pass (the first caller, or the first few) is held until the rest are queued behind it.
        let model = FakeModel(holdingFirstPass: true)
        let batcher = Self.batcher(model)
        let results = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            for caller in 0..<64 {
                group.addTask {
                    let sequence = [Int32(1000 + caller)] + [Int32](repeating: 7, count: caller % 5)
                    return (caller, try await batcher.embed([sequence], priority: .interactive))
                }
            }
            #expect(await eventually(within: .seconds(30)) {
                model.passes.all.count == 1 && model.passes.all[0].count + batcher.queuedSequences == 64
            })
            model.release()
            var results: [Int: [[Float]]] = [:]
            for try await (caller, vectors) in group { results[caller] = vectors }
            return results
        }
        await batcher.shutdown()
        for caller in 0..<64 {
            #expect(results[caller] == [[Float(1 + caller % 5), Float(1000 + caller)]], "caller \(caller) got its own vector")
        }
        #expect(batcher.forwardPasses == model.passes.all.count)
        #expect(batcher.forwardPasses <= 3, "the pass in hand, then the queued callers in passes of up to 32")
        #expect(model.passes.all.allSatisfy { $0.count <= 32 })
    }

    @Test func callersArrivingOneAtATimeDoNotWaitForTheWindow() async throws {
        let model = FakeModel()
        let batcher = Self.batcher(model, window: .seconds(60))
        let started = ContinuousClock.now
        for caller in 0..<3 {
            #expect(try await batcher.embed([[Int32(caller)]], priority: .interactive) == [[1, Float(caller)]])
        }
        #expect(ContinuousClock.now - started < .seconds(20), "well inside one minute-long window, let alone three")
        await batcher.shutdown()
    }

    @Test func callersQueuedTogetherWaitTheWindowForCompany() async throws {
        // A minute-long window and passes of three: the second pass can only start once a third
        // caller has joined the two queued behind the held first pass.
        let model = FakeModel(holdingFirstPass: true)
        let batcher = Self.batcher(model, window: .seconds(60), maxBatch: 3)
        let first = Task { try await batcher.embed([[1]], priority: .interactive) }
        #expect(await eventually(within: .seconds(30)) { model.passes.all.count == 1 })
        let second = Task { try await batcher.embed([[2]], priority: .interactive) }
        let third = Task { try await batcher.embed([[3]], priority: .interactive) }
        #expect(await eventually(within: .seconds(30)) { batcher.queuedSequences == 2 })
        model.release()
        _ = try await first.value
        let fourth = try await batcher.embed([[4]], priority: .interactive)
        #expect(fourth == [[1, 4]])
        _ = (try await second.value, try await third.value)
        await batcher.shutdown()
        #expect(model.passes.all.map { Set($0.map(\.[0])) } == [[1], [2, 3, 4]])
    }

    @Test func aLongQueueIsCutIntoPassesOfSimilarLengths() async throws {
        let model = FakeModel()
        let batcher = Self.batcher(model, window: .zero, maxBatch: 16)
        // One call of 64 sequences, lengths 1...64 in a scrambled order.
        let lengths = (1...64).map { ($0 * 37) % 64 + 1 }
        let sequences = lengths.map { [Int32](repeating: Int32($0), count: $0) }
        let vectors = try await batcher.embed(sequences, priority: .bulk)
        await batcher.shutdown()
        #expect(vectors.map { Int($0[0]) } == lengths, "vectors come back in the caller's order")
        let passes = model.passes.all
        #expect(passes.count == 4)
        for pass in passes {
            let passLengths = pass.map(\.count)
            #expect(passLengths.max()! - passLengths.min()! == 15, "a pass holds neighbours in length: \(passLengths)")
        }
    }

    @Test func takeCutsTheQueueByLengthAndTakesTheRunOfTheOldest() {
        let job = BatchJob(count: 6)
        var queue = [9, 1, 8, 2, 7, 3].enumerated().map { index, length in
            BatchQueue.Entry(job: job, index: index, tokens: [Int32](repeating: 0, count: length), enqueuedAt: UInt64(index))
        }
        let batch = BatchQueue.take(from: &queue, max: 3)
        #expect(batch.map(\.tokens.count) == [7, 8, 9], "the run of the three longest, which holds the oldest (9)")
        #expect(queue.map(\.tokens.count) == [1, 2, 3], "the rest stay queued in arrival order")
        let rest = BatchQueue.take(from: &queue, max: 3)
        #expect(rest.map(\.tokens.count) == [1, 2, 3])
        #expect(queue.isEmpty)
    }

    @Test func interactiveWorkGoesBeforeQueuedBulkWork() async throws {
        let model = FakeModel(holdingFirstPass: true)
        let batcher = Self.batcher(model, window: .zero, maxBatch: 2)
        let bulk = Task { try await batcher.embed((0..<20).map { [Int32($0)] }, priority: .bulk) }
        #expect(await eventually(within: .seconds(30)) { model.passes.all.count == 1 && batcher.queuedSequences == 18 })
        let query = Task { try await batcher.embed([[Int32(500)]], priority: .interactive) }
        #expect(await eventually(within: .seconds(30)) { batcher.queuedSequences == 19 })
        model.release()
        #expect(try await query.value == [[1, 500]])
        _ = try await bulk.value
        await batcher.shutdown()
        #expect(model.passes.all.firstIndex { $0.contains([500]) } == 1, "the query went right after the pass in hand, before 9 queued bulk passes")
    }

    @Test func aCancelledCallerIsResumedAtOnceAndItsTextsAreDropped() async throws {
        let model = FakeModel(holdingFirstPass: true)
        let batcher = Self.batcher(model, window: .zero)
        let first = Task { try await batcher.embed([[1]], priority: .interactive) }
        #expect(await eventually(within: .seconds(30)) { model.passes.all.count == 1 })
        let second = Task { try await batcher.embed([[99]], priority: .interactive) }
        #expect(await eventually(within: .seconds(30)) { batcher.queuedSequences == 1 })
        second.cancel()
        // Resumed while the pass in hand is still held: waiting for it would never end.
        await #expect(throws: CancellationError.self) { try await second.value }
        model.release()
        #expect(try await first.value == [[1, 1]])
        await batcher.shutdown()
        #expect(!model.tokensSeen.contains(99), "a cancelled caller's texts never reach the model")
    }

    @Test func shutdownFinishesQueuedWorkThenRefusesNewWork() async throws {
        let model = FakeModel(delay: .milliseconds(5))
        let batcher = Self.batcher(model, window: .zero, maxBatch: 4)
        let callers = (0..<10).map { caller in Task { try await batcher.embed([[Int32(caller)], [Int32(caller)]], priority: .bulk) } }
        #expect(await eventually(within: .seconds(30)) { model.passes.all.count >= 1 })
        await batcher.shutdown()
        for (caller, task) in callers.enumerated() {
            #expect(try await task.value == [[1, Float(caller)], [1, Float(caller)]], "queued work finished before the thread stopped")
        }
        await #expect(throws: EmbeddingError.shuttingDown) { try await batcher.embed([[1]], priority: .interactive) }
    }
}
