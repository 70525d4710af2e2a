// Helpers for the `validatePayload()` implementations.

/// Throws ``EventDecodingError/invalidPayload(reason:)`` prefixed with the event type's name,
/// unless `condition` holds.
func require<Event: CairnEvent>(
    _ condition: Bool,
    in event: Event.Type,
    _ reason: @autoclosure () -> String
) throws(EventDecodingError) {
    if !condition {
        throw .invalidPayload(reason: "\(Event.protoMessageName) \(reason())")
    }
}

/// Checks a batch position shared by the chunk events.
func requireBatch<Event: CairnEvent>(index: UInt32, count: UInt32, in event: Event.Type) throws(EventDecodingError) {
    try require(count >= 1, in: event, "batch_count is 0; a version has at least one batch")
    try require(index < count, in: event, "batch_index \(index) is not below batch_count \(count)")
}
