import Dispatch
import Foundation
import Metrics
import ServiceLifecycle
import Synchronization

/// Gathers the token sequences of concurrent callers into shared forward passes, run one at a
/// time on a dedicated thread (never on Swift's cooperative pool: a pass blocks its thread for
/// milliseconds to seconds).
///
/// - A caller's sequences queue up; the thread waits at most `window` after the oldest queued
///   sequence arrived (or until `maxBatch` are queued), then takes up to `maxBatch` of them.
///   Sequences that queued while a pass ran have waited already and go at once. The window is
///   only waited while more than one caller is queued (others are arriving, so waiting gathers
///   company); a caller alone, as a sequential client's always is, goes at once.
/// - Of a longer queue it takes `maxBatch` sequences of similar length, always including the
///   oldest (``BatchQueue/take(from:max:)``): a pass pads every sequence to its longest, so
///   similar lengths waste little, and the oldest going first means nothing starves.
/// - Interactive sequences go before bulk ones; a pass never mixes the two.
/// - A cancelled caller is resumed at once with `CancellationError`; its queued sequences are
///   dropped. Shutdown finishes what is queued, then the thread exits; later calls throw
///   ``EmbeddingError/shuttingDown``.
///
/// It is a `Service`: running it ties the thread's life to the application's.
public final class DynamicBatcher: Service, Sendable {
    /// The forward pass: one vector per sequence, in order. Blocking.
    public typealias Forward = @Sendable ([[Int32]]) -> [[Float]]

    private let queue: BatchQueue

    public init(settings: BatchingSettings, name: String = "embedding-batcher", forward: @escaping Forward) {
        queue = BatchQueue(settings: settings, forward: forward)
        let thread = Thread { [queue] in queue.runLoop() }
        thread.name = name
        thread.start()
    }

    deinit { queue.beginShutdown() }

    /// Forward passes run so far (tests and benchmarks watch batching with it).
    public var forwardPasses: Int { queue.passes.load(ordering: .relaxed) }

    /// Sequences waiting for a pass (not counting the pass in hand).
    public var queuedSequences: Int { queue.queuedCount }

    /// Embeds `sequences` in whichever passes they land in; one vector each, in order.
    public func embed(_ sequences: [[Int32]], priority: EmbeddingPriority) async throws -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        let job = BatchJob(count: sequences.count)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.enqueue(job, sequences, priority: priority, continuation: continuation)
            }
        } onCancel: {
            queue.cancel(job)
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Finishes what is queued, stops the thread and waits for it.
    public func shutdown() async {
        queue.beginShutdown()
        await queue.waitUntilStopped()
    }
}

/// One caller's sequences: their vectors as they arrive and the continuation resumed with all
/// of them. Guarded by the ``BatchQueue``'s lock.
final class BatchJob: @unchecked Sendable {
    var vectors: [[Float]]
    var remaining: Int
    var continuation: CheckedContinuation<[[Float]], any Error>?
    /// Resumed already (finished, failed or cancelled): its queued sequences are dropped.
    var isDone = false

    init(count: Int) {
        vectors = Array(repeating: [], count: count)
        remaining = count
    }
}

/// The queue and the thread's loop behind ``DynamicBatcher``. Every `var` is guarded by
/// `condition`'s lock; the forward pass runs with the lock released.
final class BatchQueue: @unchecked Sendable {
    struct Entry {
        var job: BatchJob
        var index: Int
        var tokens: [Int32]
        /// `DispatchTime` uptime, nanoseconds.
        var enqueuedAt: UInt64
    }

    let settings: BatchingSettings
    let forward: DynamicBatcher.Forward
    let passes = Atomic<Int>(0)
    private let condition = NSCondition()
    private var interactive: [Entry] = []
    private var bulk: [Entry] = []
    private var isStopping = false
    private var hasStopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    private let passCounter = Counter(label: "embedding_forward_passes_total")
    private let sequenceCounter = Counter(label: "embedding_forward_pass_sequences_total")
    private let passTimer = Metrics.Timer(label: "embedding_forward_pass_seconds")
    private let queueDepth = Gauge(label: "embedding_queued_sequences")

    init(settings: BatchingSettings, forward: @escaping DynamicBatcher.Forward) {
        self.settings = settings
        self.forward = forward
    }

    func enqueue(
        _ job: BatchJob, _ sequences: [[Int32]], priority: EmbeddingPriority, continuation: CheckedContinuation<[[Float]], any Error>
    ) {
        condition.lock()
        if isStopping || job.isDone {
            let stopping = isStopping
            job.isDone = true
            condition.unlock()
            continuation.resume(throwing: stopping ? EmbeddingError.shuttingDown : CancellationError())
            return
        }
        job.continuation = continuation
        let now = DispatchTime.now().uptimeNanoseconds
        let entries = sequences.enumerated().map { Entry(job: job, index: $0.offset, tokens: $0.element, enqueuedAt: now) }
        switch priority {
        case .interactive: interactive.append(contentsOf: entries)
        case .bulk: bulk.append(contentsOf: entries)
        }
        condition.signal()
        condition.unlock()
    }

    /// Resumes the job's caller with `CancellationError` unless it is already resumed.
    func cancel(_ job: BatchJob) {
        condition.lock()
        guard !job.isDone else {
            condition.unlock()
            return
        }
        job.isDone = true
        let continuation = job.continuation
        job.continuation = nil
        condition.unlock()
        continuation?.resume(throwing: CancellationError())
    }

    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return interactive.count + bulk.count
    }

    func beginShutdown() {
        condition.lock()
        isStopping = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            if hasStopped {
                condition.unlock()
                continuation.resume()
            } else {
                stopWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// The thread's body: wait, take a batch, run it, hand out the vectors; until shut down
    /// with nothing left queued.
    func runLoop() {
        condition.lock()
        while true {
            interactive.removeAll { $0.job.isDone }
            bulk.removeAll { $0.job.isDone }
            let useInteractive = !interactive.isEmpty
            let queued = useInteractive ? interactive : bulk
            guard let oldest = queued.first else {
                if isStopping { break }
                condition.wait()
                continue
            }
            let window = UInt64(settings.window.nanoseconds)
            let deadline = oldest.enqueuedAt + window
            let now = DispatchTime.now().uptimeNanoseconds
            if queued.count < settings.maxBatch, !isStopping, now < deadline, queued.contains(where: { $0.job !== oldest.job }) {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
                continue
            }
            let batch = useInteractive ? Self.take(from: &interactive, max: settings.maxBatch)
                : Self.take(from: &bulk, max: settings.maxBatch)
            queueDepth.record(interactive.count + bulk.count)
            condition.unlock()
            let vectors = run(batch)
            condition.lock()
            let finished = deliver(vectors, to: batch)
            condition.unlock()
            for (continuation, result) in finished { continuation.resume(with: result) }
            condition.lock()
        }
        hasStopped = true
        let waiters = stopWaiters
        stopWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    private func run(_ batch: [Entry]) -> [[Float]] {
        let start = DispatchTime.now().uptimeNanoseconds
        let vectors = forward(batch.map(\.tokens))
        passTimer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
        passes.add(1, ordering: .relaxed)
        passCounter.increment()
        sequenceCounter.increment(by: batch.count)
        return vectors
    }

    /// Files each vector with its job; returns the callers to resume (outside the lock).
    private func deliver(_ vectors: [[Float]], to batch: [Entry]) -> [(CheckedContinuation<[[Float]], any Error>, Result<[[Float]], any Error>)] {
        var finished: [(CheckedContinuation<[[Float]], any Error>, Result<[[Float]], any Error>)] = []
        let complete = vectors.count == batch.count
        for (position, entry) in batch.enumerated() where !entry.job.isDone {
            let job = entry.job
            if complete {
                job.vectors[entry.index] = vectors[position]
                job.remaining -= 1
                guard job.remaining == 0 else { continue }
            }
            job.isDone = true
            if let continuation = job.continuation {
                finished.append((continuation, complete ? .success(job.vectors) : .failure(EmbeddingError.modelFailed)))
            }
            job.continuation = nil
        }
        return finished
    }

    /// Takes up to `max` entries from `queue`: all of them when they fit. Otherwise the queue,
    /// ordered by token length, is cut into runs of `max` from the shortest up, and the run
    /// holding the oldest (first) entry is taken (the last `max` when that run is the short
    /// remainder). Cutting the same way every time keeps the later passes of a backlog as even
    /// as the first.
    static func take(from queue: inout [Entry], max: Int) -> [Entry] {
        let byLength = queue.indices.sorted { (queue[$0].tokens.count, $0) < (queue[$1].tokens.count, $1) }
        guard queue.count > max else {
            defer { queue.removeAll(keepingCapacity: true) }
            return byLength.map { queue[$0] }
        }
        let oldest = byLength.firstIndex(of: 0)!
        let best = Swift.min(oldest / max * max, byLength.count - max)
        let chosen = byLength[best..<(best + max)]
        let batch = chosen.map { queue[$0] }
        var taken = [Bool](repeating: false, count: queue.count)
        for index in chosen { taken[index] = true }
        queue = queue.indices.filter { !taken[$0] }.map { queue[$0] }
        return batch
    }
}

extension Duration {
    /// Whole nanoseconds (durations here are milliseconds to seconds).
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
