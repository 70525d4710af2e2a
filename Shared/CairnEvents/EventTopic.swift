import CairnProtos

/// Every Kafka topic Cairn's events travel on (see `Protos/README.md`). The raw value is the
/// topic name, so `EventTopic(rawValue: record.topic)` finds a consumed record's topic.
public enum EventTopic: String, CaseIterable, Sendable {
    case documentsSubmitted = "cairn.documents.submitted.v1"
    case chunksCreated = "cairn.chunks.created.v1"
    case chunksEmbedded = "cairn.chunks.embedded.v1"
    case documentsDeleted = "cairn.documents.deleted.v1"
    case documentsIndexed = "cairn.documents.indexed.v1"
    case usage = "cairn.usage.v1"
    case quotaWarnings = "cairn.quota.warnings.v1"
    case audit = "cairn.audit.v1"

    /// The Kafka topic name.
    public var name: String { rawValue }

    /// Where consumers send records they can never handle, with the reason in the headers.
    public var dlqName: String { rawValue + ".dlq" }

    /// Partitions to create the topic with (its DLQ has one). Raising it later re-maps keys,
    /// so per-key order only holds across the change if consumers are drained first.
    public var partitions: Int {
        switch self {
        case .documentsSubmitted, .chunksCreated, .chunksEmbedded, .documentsDeleted, .documentsIndexed: 6
        case .usage, .quotaWarnings, .audit: 3
        }
    }

    /// How records are keyed, which decides what stays in order.
    public var keyRule: PartitionKeyRule {
        switch self {
        case .documentsSubmitted, .chunksCreated, .chunksEmbedded, .documentsDeleted, .documentsIndexed: .tenantAndDocument
        case .usage, .quotaWarnings, .audit: .tenant
        }
    }

    /// The newest schema version of the topic's message this build understands; consumers
    /// reject higher versions. Bump it only together with the message's schema (README rule 7).
    public var schemaVersion: UInt32 {
        switch self {
        case .documentsSubmitted, .chunksCreated, .chunksEmbedded, .documentsDeleted, .documentsIndexed: 1
        case .usage, .quotaWarnings, .audit: 1
        }
    }

    /// The message type the topic carries (one per topic).
    public var eventType: any CairnEvent.Type {
        switch self {
        case .documentsSubmitted: Cairn_V1_DocumentSubmitted.self
        case .chunksCreated: Cairn_V1_ChunksCreated.self
        case .chunksEmbedded: Cairn_V1_ChunksEmbedded.self
        case .documentsDeleted: Cairn_V1_DocumentDeleted.self
        case .documentsIndexed: Cairn_V1_DocumentIndexed.self
        case .usage: Cairn_V1_UsageRecorded.self
        case .quotaWarnings: Cairn_V1_QuotaWarning.self
        case .audit: Cairn_V1_AuditEvent.self
        }
    }

    /// The full protobuf name of the topic's message, e.g. `cairn.v1.DocumentSubmitted`.
    public var messageName: String { eventType.protoMessageName }
}

/// How a topic's records are keyed. Records with equal keys go to one partition, in order.
public enum PartitionKeyRule: Sendable, Equatable, CustomStringConvertible {
    /// `tenant_id/document_id`: everything about one document in order, while one tenant's
    /// documents still spread over all partitions.
    case tenantAndDocument
    /// `tenant_id`: everything about one tenant in order.
    case tenant

    /// The key for an event of this rule.
    public func key(tenantID: String, documentID: String) -> String {
        switch self {
        case .tenantAndDocument: "\(tenantID)/\(documentID)"
        case .tenant: tenantID
        }
    }

    public var description: String {
        switch self {
        case .tenantAndDocument: "tenant_id/document_id"
        case .tenant: "tenant_id"
        }
    }
}
