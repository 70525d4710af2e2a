/// One WordPiece token of a text: its vocabulary id and where it came from in the original
/// text, as [start, end) offsets in Unicode scalars.
public struct Token: Sendable, Equatable {
    public var id: Int32
    public var start: Int
    public var end: Int
    public init(id: Int32, start: Int, end: Int) {
        self.id = id
        self.start = start
        self.end = end
    }
}
