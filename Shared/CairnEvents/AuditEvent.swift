import CairnProtos

extension Cairn_V1_AuditEvent: CairnEvent {
    public static let topic = EventTopic.audit

    public var partitionKey: String {
        Self.topic.keyRule.key(tenantID: meta.tenantID, documentID: "")
    }

    /// An actor type, an action and an outcome: an audit line without them says nothing.
    public func validatePayload() throws(EventDecodingError) {
        try require(actorType != .unspecified, in: Self.self, "actor_type is UNSPECIFIED")
        try require(!action.isEmpty, in: Self.self, "action is empty")
        try require(outcome != .unspecified, in: Self.self, "outcome is UNSPECIFIED")
    }
}
