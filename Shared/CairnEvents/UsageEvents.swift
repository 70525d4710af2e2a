import CairnProtos

extension Cairn_V1_UsageRecorded: CairnEvent {
    public static let topic = EventTopic.usage

    /// A usage id (billing's idempotency key), a subject, a kind and a non-negative quantity.
    /// A kind this build does not know (`UNRECOGNIZED`) passes: billing decides what to do with it.
    public func validatePayload() throws(EventDecodingError) {
        try require(!usageID.isEmpty, in: Self.self, "usage_id is empty")
        try require(subjectType != .unspecified, in: Self.self, "subject_type is UNSPECIFIED")
        try require(kind != .unspecified, in: Self.self, "kind is UNSPECIFIED")
        try require(quantity >= 0, in: Self.self, "quantity \(quantity) is negative")
    }
}

extension Cairn_V1_QuotaWarning: CairnEvent {
    public static let topic = EventTopic.quotaWarnings

    /// A kind, a threshold, and a period that ends after it starts.
    public func validatePayload() throws(EventDecodingError) {
        try require(kind != .unspecified, in: Self.self, "kind is UNSPECIFIED")
        try require(thresholdPercent > 0, in: Self.self, "threshold_percent is 0")
        try require(hasPeriodStart && hasPeriodEnd, in: Self.self, "period_start or period_end is missing")
        try require(
            periodStart.seconds < periodEnd.seconds
                || (periodStart.seconds == periodEnd.seconds && periodStart.nanos < periodEnd.nanos),
            in: Self.self,
            "period_end is not after period_start"
        )
    }
}
