#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One caller's unit of work: a single command or an explicit pipeline, already encoded, and
/// the continuation that gets exactly this unit's replies (in order, kept together).
struct RedisRequest: Sendable {
    var wire: [UInt8]
    var commandCount: Int
    var continuation: UnsafeContinuation<[RedisValue], any Error>
}

/// The queue between callers and the connection threads: callers enqueue without blocking
/// (a mutex held for an append), and an idle connection thread takes everything queued at
/// once, up to a bound, so concurrent calls share one write and one round trip.
///
/// A pthread mutex and condition rather than `Mutex`: idle threads must sleep, not spin, and
/// the condition is signalled only when a thread is actually waiting, so under load an
/// enqueue costs no wake-up syscall. There is no linger: a thread takes whatever is queued
/// right now, so a lone caller never waits for a batch to fill.
final class RedisCommandQueue: @unchecked Sendable {
    /// A batch stops growing at this many commands or bytes (at least one unit is always
    /// taken, however large), so one slow batch cannot hold the queue's whole backlog.
    static let maxBatchCommands = 512
    static let maxBatchBytes = 1 << 20

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var pending: [RedisRequest] = []
    private var waitingThreads = 0
    private var isClosed = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Queues `request`; false once the queue is closed (the caller then fails it itself).
    func enqueue(_ request: RedisRequest) -> Bool {
        pthread_mutex_lock(mutex)
        guard !isClosed else {
            pthread_mutex_unlock(mutex)
            return false
        }
        pending.append(request)
        let wake = waitingThreads > 0
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(condition) }
        return true
    }

    /// Blocks until work is queued, then moves the next batch into `batch` (which must be
    /// empty). False once the queue is closed: the connection thread should exit.
    func nextBatch(into batch: inout [RedisRequest]) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while pending.isEmpty && !isClosed {
            waitingThreads += 1
            pthread_cond_wait(condition, mutex)
            waitingThreads -= 1
        }
        if isClosed { return false }
        var commands = 0
        var bytes = 0
        var cut = 0
        while cut < pending.count {
            let request = pending[cut]
            if cut > 0 && (commands + request.commandCount > Self.maxBatchCommands || bytes + request.wire.count > Self.maxBatchBytes) {
                break
            }
            commands += request.commandCount
            bytes += request.wire.count
            cut += 1
        }
        if cut == pending.count {
            // The usual case: take it all, and keep the emptied array's storage for the queue.
            swap(&batch, &pending)
        } else {
            batch.append(contentsOf: pending[..<cut])
            pending.removeFirst(cut)
            // Another thread may be idle: let it take the rest instead of waiting for us.
            if waitingThreads > 0 { pthread_cond_signal(condition) }
        }
        return true
    }

    /// Stops the queue and wakes every thread; returns the requests nobody took, for the
    /// caller to fail. Calls after the first return nothing.
    func close() -> [RedisRequest] {
        pthread_mutex_lock(mutex)
        isClosed = true
        let left = pending
        pending = []
        pthread_mutex_unlock(mutex)
        pthread_cond_broadcast(condition)
        return left
    }
}
