/// A document's text after extraction and normalisation, with the structure the chunker keeps:
/// its sections (from headings) and where its pages start. All offsets are in Unicode scalars of
/// ``text`` (the unit of the chunk events' `char_start`/`char_end`), computed on the normalised
/// text, so they stay exact.
public struct ExtractedDocument: Sendable, Equatable {
    /// Normalised text (see ``TextNormalizer``): paragraphs and blocks separated by `\n\n`.
    public var text: String
    /// Number of Unicode scalars in ``text``.
    public var scalarCount: Int
    /// One per heading, in document order. A section runs from its heading up to the next heading
    /// of the same or a higher level (lower number), so sections nest like the headings do.
    public var sections: [Section]
    /// `pageStarts[i]` is the offset at which page `i + 1` begins; empty when the format has no
    /// pages. An empty page starts where the next page with text starts.
    public var pageStarts: [Int]
    /// The document's own title where the format has one (HTML `<title>`).
    public var title: String?
    public var format: DocumentFormat

    public init(text: String, sections: [Section] = [], pageStarts: [Int] = [], title: String? = nil,
                format: DocumentFormat) {
        self.text = text
        self.scalarCount = text.unicodeScalars.count
        self.sections = sections
        self.pageStarts = pageStarts
        self.title = title
        self.format = format
    }

    /// The 1-based page holding `offset`, or nil when the document has no pages.
    public func page(at offset: Int) -> Int? {
        guard !pageStarts.isEmpty else { return nil }
        // The last page starting at or before `offset` (empty pages share a start with the next).
        var low = 0
        var high = pageStarts.count
        while low < high {
            let mid = (low + high) / 2
            if pageStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return max(low, 1)
    }

    /// Number of pages (0 when the format has none).
    public var pageCount: Int { pageStarts.count }

    /// SHA-256 of the normalised text's UTF-8, lower-case hex: equal content, equal hash (the
    /// dedupe key for versions).
    public var contentHash: String {
        SHA256Digest.hash(Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// A heading and the part of the text it governs.
public struct Section: Sendable, Equatable {
    /// The heading's text as it appears (normalised) in ``ExtractedDocument/text``.
    public var heading: String
    /// 1 for a top-level heading (`#`, `<h1>`, Heading 1) to 6; 0 for a document title.
    public var level: Int
    /// From the heading's first scalar to the end of the section's last block.
    public var range: Range<Int>

    public init(heading: String, level: Int, range: Range<Int>) {
        self.heading = heading
        self.level = level
        self.range = range
    }
}
