import NIOConcurrencyHelpers
import ServiceLifecycle

/// Holds back background work (consumers, relays) until start-up steps such as migrations have
/// finished: those services start alongside the start-up steps, not after them. If start-up
/// fails, shutdown (graceful or cancellation) releases the waiters without opening the gate.
public final class StartupGate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Bool, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Lets every waiter (and every later caller of ``wait()``) through.
    public func open() {
        resumeAll(opened: true)
    }

    /// True once the gate is open; false if the service is shutting down before it opened.
    public func wait() async -> Bool {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let open = state.withLockedValue { state in
                        if !state.isOpen { state.waiters.append(continuation) }
                        return state.isOpen
                    }
                    if open { continuation.resume(returning: true) }
                }
            } onCancel: {
                self.resumeAll(opened: false)
            }
        } onGracefulShutdown: {
            self.resumeAll(opened: false)
        }
    }

    private func resumeAll(opened: Bool) {
        let waiters = state.withLockedValue { state in
            if opened { state.isOpen = true }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: opened) }
    }
}

/// Runs `service` once `gate` opens; returns at once if shutdown comes first.
public struct GatedService: Service {
    let gate: StartupGate
    let service: any Service

    public init(_ service: any Service, after gate: StartupGate) {
        self.gate = gate
        self.service = service
    }

    public func run() async throws {
        guard await gate.wait() else { return }
        try await service.run()
    }
}
