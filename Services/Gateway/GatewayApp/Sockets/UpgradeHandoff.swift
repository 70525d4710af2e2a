import NIOCore
import Synchronization

/// Carries an admitted WebSocket upgrade from the router's `shouldUpgrade` to the socket handler
/// on the same connection (the handler is given the request context from before the decision).
/// Entries are keyed by connection and go when it closes, so nothing outlives the connection and
/// no decision is made twice (no rate token taken twice).
final class UpgradeHandoff: Sendable {
    private let entries = Mutex<[ObjectIdentifier: SocketAdmission]>([:])

    func put(_ admission: SocketAdmission, for channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLock { $0[key] = admission }
        channel.closeFuture.whenComplete { [self] _ in
            _ = entries.withLock { $0.removeValue(forKey: key) }
        }
    }

    func take(for channel: any Channel) -> SocketAdmission? {
        entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
