/// One chunk of a document version's normalised text.
public struct Chunk: Sendable, Equatable {
    /// Deterministic from document id, version and ordinal (see ``ChunkID``).
    public var id: String
    /// Position in the document, from 0.
    public var ordinal: Int
    /// Exactly `document.text[charStart..<charEnd]` (in Unicode scalars).
    public var text: String
    /// Word pieces of `text` under the chunker's tokenizer, without [CLS]/[SEP].
    public var tokenCount: Int
    public var charStart: Int
    public var charEnd: Int
    /// Headings of the sections the chunk's content sits in, outermost first (empty outside any).
    public var headingPath: [String]
    /// The page the chunk starts on and the page it ends on (nil when the format has no pages).
    public var page: Int?
    public var lastPage: Int?

    /// The innermost heading.
    public var heading: String? { headingPath.last }
}
