/// Every bound the processing core enforces, in one place. Each violation is an
/// ``ExtractionError`` that names the limit, so a client learns what to change.
public struct IngestionLimits: Sendable, Equatable {
    /// Largest accepted upload (raw document bytes). Default 25 MiB.
    public var maxUploadBytes: Int = 25 * 1_048_576
    /// Most pages a PDF may have. Default 500.
    public var maxPages: Int = 500
    /// Most chunks one document version may produce. Default 5,000.
    public var maxChunksPerDocument: Int = 5_000
    /// Media types accepted (canonical names of ``DocumentFormat``). Default: all we extract.
    public var allowedMediaTypes: Set<String> = Set(DocumentFormat.allCases.map(\.mediaType))
    /// Most UTF-8 bytes of extracted text (a small PDF or DOCX can hold a lot of compressed text).
    /// Default 16 MiB, about three times what 5,000 full chunks hold.
    public var maxExtractedTextBytes: Int = 16 * 1_048_576
    /// How long one PDF may take in `pdftotext`. Default 30 s.
    public var pdfTimeout: Duration = .seconds(30)
    /// Zip bomb guards for DOCX: most entries in the archive, most bytes all parts we read may
    /// expand to, and the highest expansion ratio of one entry. Defaults 2,000 / 128 MiB / 100.
    public var maxArchiveEntries: Int = 2_000
    public var maxUncompressedBytes: Int = 128 * 1_048_576
    public var maxCompressionRatio: Int = 100
    /// Deepest nesting of JSON arrays and objects. Default 64.
    public var maxJSONDepth: Int = 64

    public init() {}

    /// Throws ``ExtractionError/tooLarge(bytes:limit:)`` for an upload over ``maxUploadBytes``.
    /// The HTTP layer calls it with the declared length before reading a body, and again on the bytes.
    public func checkUploadSize(_ bytes: Int) throws(ExtractionError) {
        if bytes > maxUploadBytes { throw .tooLarge(bytes: bytes, limit: maxUploadBytes) }
    }

    /// Throws ``ExtractionError/unsupportedMediaType(_:allowed:)`` unless `format` is allowed.
    public func checkAllowed(_ format: DocumentFormat) throws(ExtractionError) {
        guard allowedMediaTypes.contains(format.mediaType) else {
            throw .unsupportedMediaType(format.mediaType, allowed: allowedMediaTypes.sorted())
        }
    }
}
