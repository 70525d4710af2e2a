/// Why an event was rejected. Its `description` is written for the DLQ record's headers and the
/// logs: it says what was wrong and, where it helps, what to do.
public enum EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a protobuf encoding of the expected message.
    case undecodable(reason: String)
    /// The envelope (`meta`) is missing or breaks its rules (event id, tenant, time, version, producer).
    case invalidEnvelope(reason: String)
    /// A newer producer wrote a schema version this build does not know; reading it with the
    /// old schema could silently mis-read it. Upgrade the consumer and replay from the DLQ.
    case unsupportedSchemaVersion(found: UInt32, supported: UInt32)
    /// The envelope is fine but the payload breaks a rule consumers rely on.
    case invalidPayload(reason: String)

    /// A short stable code for metrics labels and a DLQ reason header.
    public var code: String {
        switch self {
        case .undecodable: "undecodable"
        case .invalidEnvelope: "invalid_envelope"
        case .unsupportedSchemaVersion: "unsupported_schema_version"
        case .invalidPayload: "invalid_payload"
        }
    }

    public var description: String {
        switch self {
        case .undecodable(let reason):
            "undecodable event: \(reason)"
        case .invalidEnvelope(let reason):
            "invalid event envelope: \(reason)"
        case .unsupportedSchemaVersion(let found, let supported):
            "unsupported schema version \(found): this consumer supports schema versions up to \(supported); "
                + "upgrade it and replay the event from the DLQ"
        case .invalidPayload(let reason):
            "invalid event payload: \(reason)"
        }
    }
}
