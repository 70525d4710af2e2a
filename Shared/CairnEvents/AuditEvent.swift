import CairnProtos

extension Cairn_V1_AuditEvent: CairnEvent {
    public static let topic = EventTopic.audit

    /// An actor type, an action and an outcome: an audit line without them says nothing.
    public func validatePayload() throws(EventDecodingError) {
        try require(actorType != .unspecified, in: Self.self, "actor_type is UNSPECIFIED")
        try require(!action.isEmpty, in: Self.self, "action is empty")
        try require(outcome != .unspecified, in: Self.self, "outcome is UNSPECIFIED")
    }
}
