import Foundation
import Synchronization

/// Names one collection's index: collections are per tenant, so a tenant can only ever reach
/// indexes under its own id.
public struct CollectionKey: Hashable, Sendable, Comparable {
    public var tenantID: String
    public var collectionID: String

    public init(tenantID: String, collectionID: String) {
        self.tenantID = tenantID
        self.collectionID = collectionID
    }

    public static func < (a: Self, b: Self) -> Bool { (a.tenantID, a.collectionID) < (b.tenantID, b.collectionID) }
}

/// Every in-memory collection index, by (tenant, collection). Writes to one collection are
/// serialised (and wait for a rebuild of it); searches never wait for writes.
public final class IndexRegistry: Sendable {
    /// One collection: its current index and the lock its writers (and rebuilds) take.
    private final class Entry: Sendable {
        let writer = NSLock()
        let current: Mutex<CollectionIndex>
        init(_ index: CollectionIndex) { current = Mutex(index) }
        var index: CollectionIndex { current.withLock { $0 } }
    }

    public let settings: IndexSettings
    private let entries = Mutex<[CollectionKey: Entry]>([:])
    /// The stored collection version each index reflects at least (set after the change is
    /// in the index; kept when a collection is dropped).
    private let versions = Mutex<[CollectionKey: Int64]>([:])

    public init(settings: IndexSettings) {
        self.settings = settings
    }

    /// The index of `key`, if it has one.
    public func index(_ key: CollectionKey) -> CollectionIndex? {
        entries.withLock { $0[key] }?.index
    }

    /// The collections of one tenant, sorted.
    public func collections(tenantID: String) -> [CollectionKey] {
        entries.withLock { $0.keys.filter { $0.tenantID == tenantID } }.sorted()
    }

    public var allKeys: [CollectionKey] { entries.withLock { Array($0.keys) }.sorted() }

    /// Runs `body` as the only writer of `key`'s index, creating the index (of `dimensions`)
    /// if there is none. Throws ``IndexError/dimensionMismatch`` for vectors of another length.
    public func write<T>(_ key: CollectionKey, dimensions: Int?, _ body: (CollectionIndex) throws -> T) throws -> T {
        let entry: Entry? = entries.withLock { entries in
            if let entry = entries[key] { return entry }
            guard let dimensions else { return nil }
            let entry = Entry(CollectionIndex(dimensions: dimensions, settings: settings))
            entries[key] = entry
            return entry
        }
        guard let entry else { throw IndexError.noSuchCollection }
        entry.writer.lock()
        defer { entry.writer.unlock() }
        let index = entry.index
        if let dimensions, dimensions != index.dimensions {
            throw IndexError.dimensionMismatch(expected: index.dimensions, got: dimensions)
        }
        return try body(index)
    }

    /// Installs a freshly built index for `key` (start-up loading), replacing any.
    public func install(_ index: CollectionIndex, for key: CollectionKey) {
        entries.withLock { $0[key] = Entry(index) }
    }

    /// Rebuilds `key`'s index without its tombstones; writers wait, searches go on against the
    /// old index until the new one is swapped in. Returns false if there is no such collection.
    @discardableResult
    public func rebuild(_ key: CollectionKey) -> Bool {
        guard let entry = entries.withLock({ $0[key] }) else { return false }
        entry.writer.lock()
        defer { entry.writer.unlock() }
        let fresh = entry.index.compacted()
        entry.current.withLock { $0 = fresh }
        return true
    }

    /// Records that the indexes reflect these collection versions (never going back).
    public func setVersions(_ updates: [CollectionKey: Int64]) {
        guard !updates.isEmpty else { return }
        versions.withLock { versions in
            for (key, version) in updates { versions[key] = max(versions[key] ?? 0, version) }
        }
    }

    /// The versions the tenant's indexes reflect: of `ids` (0 for one never written), or of
    /// every collection the tenant ever had when `ids` is nil. Read before searching, so the
    /// results are at least as new as the versions.
    public func versions(tenantID: String, ids: [String]?) -> [String: Int64] {
        versions.withLock { versions in
            if let ids { return Dictionary(ids.map { ($0, versions[CollectionKey(tenantID: tenantID, collectionID: $0)] ?? 0) }) { a, _ in a } }
            return Dictionary(uniqueKeysWithValues: versions.filter { $0.key.tenantID == tenantID }.map { ($0.key.collectionID, $0.value) })
        }
    }

    /// Drops `key`'s index. Returns whether there was one.
    @discardableResult
    public func drop(_ key: CollectionKey) -> Bool {
        guard let entry = entries.withLock({ $0.removeValue(forKey: key) }) else { return false }
        entry.writer.lock()
        entry.writer.unlock()
        return true
    }
}

public enum IndexError: Error, Equatable, Sendable {
    case noSuchCollection
    case dimensionMismatch(expected: Int, got: Int)
}
