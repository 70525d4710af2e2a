import Foundation
import Synchronization

/// Runs a command to completion without holding a thread of Swift's cooperative pool: the pipes
/// are drained by two dedicated threads (blocking reads), the exit arrives through
/// `terminationHandler`, and the caller awaits a continuation resumed when all three are done.
/// The child is terminated (SIGTERM, then SIGKILL) on timeout, when its output passes the cap,
/// and when the awaiting task is cancelled.
enum ChildProcess {
    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var timedOut: Bool
        /// stdout passed `maxStdoutBytes`; the child was stopped and `stdout` is incomplete.
        var stdoutLimitExceeded: Bool
    }

    static func run(_ executable: URL, arguments: [String], timeout: Duration, maxStdoutBytes: Int,
                    maxStderrBytes: Int = 64 * 1024) async throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let run = Run(process: process)

        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
                run.start(continuation)
                process.terminationHandler = { finished in run.exited(finished.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    run.failedToStart(error)
                    return
                }
                if Task.isCancelled { run.stop(timedOut: false) }  // cancelled before the child existed
                run.drain(stdout.fileHandleForReading, cap: maxStdoutBytes, isStdout: true)
                run.drain(stderr.fileHandleForReading, cap: maxStderrBytes, isStdout: false)
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { run.stop(timedOut: true) }
            }
        } onCancel: {
            run.stop(timedOut: false)
        }
    }

    /// The state of one run, shared by the reader threads, the termination handler and the timer.
    private final class Run: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Output, any Error>?
            var stdout = Data()
            var stderr = Data()
            var openStreams = 2
            var status: Int32?
            var timedOut = false
            var stdoutLimitExceeded = false
            var stopping = false
        }

        private let process: Process
        private let state = Mutex(State())

        init(process: Process) { self.process = process }

        func start(_ continuation: CheckedContinuation<Output, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        func failedToStart(_ error: any Error) {
            let continuation = state.withLock { state in
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(throwing: error)
        }

        func drain(_ handle: FileHandle, cap: Int, isStdout: Bool) {
            Thread.detachNewThread { [self] in
                while let chunk = try? handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                    let overflow = state.withLock { state -> Bool in
                        if isStdout {
                            guard !state.stdoutLimitExceeded else { return false }
                            if state.stdout.count + chunk.count > cap {
                                state.stdoutLimitExceeded = true
                                return true
                            }
                            state.stdout.append(chunk)
                        } else if state.stderr.count < cap {
                            state.stderr.append(chunk.prefix(cap - state.stderr.count))
                        }
                        return false
                    }
                    // Keep reading (and discarding) so the child never blocks on a full pipe.
                    if overflow { stop(timedOut: false) }
                }
                try? handle.close()
                finishIfDone { $0.openStreams -= 1 }
            }
        }

        func exited(_ status: Int32) {
            finishIfDone { $0.status = status }
        }

        /// SIGTERM now, SIGKILL two seconds later if the child is still there.
        func stop(timedOut: Bool) {
            let proceed = state.withLock { state -> Bool in
                guard state.status == nil, !state.stopping else { return false }
                state.stopping = true
                if timedOut { state.timedOut = true }
                return true
            }
            guard proceed, process.isRunning else { return }
            process.terminate()
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [self] in
                if state.withLock({ $0.status == nil }) { kill(pid, SIGKILL) }
            }
        }

        private func finishIfDone(_ update: (inout State) -> Void) {
            let result: (CheckedContinuation<Output, any Error>, Output)? = state.withLock { state in
                update(&state)
                // A stopped child's own children may still hold the pipes open: do not wait for them.
                guard let status = state.status, state.openStreams == 0 || state.stopping,
                      let continuation = state.continuation else { return nil }
                state.continuation = nil
                return (continuation, Output(status: status, stdout: state.stdout, stderr: state.stderr,
                                             timedOut: state.timedOut, stdoutLimitExceeded: state.stdoutLimitExceeded))
            }
            if let (continuation, output) = result { continuation.resume(returning: output) }
        }
    }
}
