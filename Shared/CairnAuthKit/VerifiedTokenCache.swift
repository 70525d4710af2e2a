import Foundation
import NIOConcurrencyHelpers

/// Tokens this process has already verified, so that a client's next requests with the same
/// token skip the Ed25519 check (about 0.1 ms on a small core, more than everything else a
/// request costs the gateway).
///
/// Safe because an entry is the whole token string (not its signature), so only a byte-identical
/// token hits; the time claims are checked again on every hit; and a hit counts only while the
/// signing key (`kid`) is still in the key cache, so withdrawing a key from the JWKS ends its
/// tokens here too. Bounded: when full, expired entries go first, and if that frees nothing the
/// cache starts over.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var identity: Identity
        var kid: String
        var expiresAt: Date
        var notBefore: Date?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func lookup(_ token: String) -> Entry? {
        entries.withLockedValue { $0[token] }
    }

    func store(_ token: String, _ entry: Entry, now: Date) {
        guard capacity > 0 else { return }
        entries.withLockedValue { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = entry
        }
    }

    var count: Int { entries.withLockedValue { $0.count } }
}
