/// The HNSW graph's shape and search effort.
public struct HNSWParameters: Sendable, Equatable {
    /// Neighbours per node on the upper levels (2·M on the base level).
    public var m: Int
    /// Beam width while inserting: higher builds a better graph, slower.
    public var efConstruction: Int
    /// Default beam width while searching (at least `top_k`): higher is better recall, slower.
    public var efSearch: Int

    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 128) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }
}
