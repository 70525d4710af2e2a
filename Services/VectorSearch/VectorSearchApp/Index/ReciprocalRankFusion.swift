/// Reciprocal Rank Fusion (Cormack, Clarke & Büttcher 2009): each list contributes
/// 1 / (k + rank) for every item it ranks (rank from 1); items are ordered by the sum.
public enum ReciprocalRankFusion {
    public static let defaultK = 60.0

    /// Fused scores of the items of `lists` (each best first), best first; ties keep the order in
    /// which items were first met (earlier lists first).
    public static func fuse<ID: Hashable>(_ lists: [[ID]], k: Double = defaultK) -> [(id: ID, score: Double)] {
        var scores: [ID: Double] = [:]
        var firstSeen: [ID: Int] = [:]
        var order = 0
        for list in lists {
            for (index, id) in list.enumerated() {
                scores[id, default: 0] += 1 / (k + Double(index + 1))
                if firstSeen[id] == nil { firstSeen[id] = order; order += 1 }
            }
        }
        return scores
            .map { (id: $0.key, score: $0.value) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : firstSeen[$0.id]! < firstSeen[$1.id]! }
    }
}
