/// Sizes the schemas promise (documented in `Protos/cairn/v1/*.proto`), enforced by
/// ``CairnEvent/validatePayload()``.
public enum EventLimits {
    /// Largest inline `DocumentSubmitted` content, raw bytes or UTF-8 text: 768 KiB, so the
    /// whole record stays under Kafka's default 1 MiB `message.max.bytes`.
    public static let maxInlineContentBytes = 768 * 1024
}
