/// The loop each connection thread runs: take every request queued right now, write them all
/// in one go, read the replies in order and resume each caller with its own. With N
/// concurrent callers that is one round trip instead of N (automatic pipelining).
///
/// Replies are handed out as they arrive, so the first callers of a batch resume (and may
/// queue their next command for the next batch) while later replies are still being read.
/// A blocking command (`BLPOP`, a slow script) delays every request batched behind it on the
/// same connection; other connection threads carry on meanwhile.
enum RedisWorker {
    static func run(queue: RedisCommandQueue, pool: RedisConnectionPool) {
        // Only this thread ever writes to its socket; see `blockSIGPIPE`.
        RedisConnection.blockSIGPIPE()
        var connection: RedisConnection?
        var batch: [RedisRequest] = []
        batch.reserveCapacity(64)
        while queue.nextBatch(into: &batch) {
            process(batch, on: &connection, pool: pool)
            batch.removeAll(keepingCapacity: true)
        }
        pool.drop(&connection)
    }

    /// Never retries: a command whose reply was lost may still have been applied. After a
    /// connection error, every request not yet answered fails with that error (`.unavailable`
    /// or `.timeout`) and the connection is replaced on the next batch.
    private static func process(_ batch: [RedisRequest], on slot: inout RedisConnection?, pool: RedisConnectionPool) {
        var answered = 0
        do throws(RedisError) {
            let connection = try pool.connection(&slot)
            for request in batch { try connection.append(wire: request.wire) }
            while answered < batch.count {
                let request = batch[answered]
                var replies: [RedisValue] = []
                replies.reserveCapacity(request.commandCount)
                for _ in 0..<request.commandCount { replies.append(try connection.readReply()) }
                answered += 1
                request.continuation.resume(returning: replies)
            }
        } catch {
            if error.breaksConnection { pool.drop(&slot, after: error) }
            for request in batch[answered...] { request.continuation.resume(throwing: error) }
        }
    }
}
