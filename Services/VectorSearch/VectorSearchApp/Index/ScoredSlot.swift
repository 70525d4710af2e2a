/// One hit of an index: the slot it lives in and its score (higher is better).
public struct ScoredSlot: Sendable, Equatable {
    public var slot: Int32
    public var score: Float

    public init(slot: Int32, score: Float) {
        self.slot = slot
        self.score = score
    }
}
