/// Assembles an ``ExtractedDocument`` from the blocks an extractor finds. Each block is
/// normalised on the way in and blocks are joined by a paragraph break, so section ranges and
/// page starts are measured on the final text and never need remapping.
struct DocumentBuilder {
    private let normalizer = TextNormalizer()
    private let format: DocumentFormat
    private let maxUTF8Bytes: Int

    private var text = ""
    private var length = 0  // Unicode scalars in `text`
    private var utf8Count = 0
    private var sections: [Section] = []
    /// Indexes in `sections` of the headings still open, outermost first.
    private var openSections: [Int] = []
    private var pageStarts: [Int] = []
    /// Pages begun whose first block has not arrived yet (resolved to that block's start).
    private var pendingPages = 0
    var title: String?

    init(format: DocumentFormat, maxUTF8Bytes: Int) {
        self.format = format
        self.maxUTF8Bytes = maxUTF8Bytes
    }

    /// Adds text that may hold several lines and paragraphs; blank lines within it become
    /// paragraph breaks. Text that normalises to nothing adds nothing.
    mutating func appendText(_ raw: String) throws(ExtractionError) {
        _ = try appendBlock(normalizer.normalize(raw))
    }

    /// Adds a heading as its own block and opens a section at it, closing the open sections of
    /// the same or a deeper level. An empty heading opens nothing.
    mutating func appendHeading(_ raw: String, level: Int) throws(ExtractionError) {
        let heading = normalizer.normalize(raw).replacing("\n\n", with: " ").replacing("\n", with: " ")
        guard !heading.isEmpty else { return }
        closeSections(atOrBelow: level)
        guard let start = try appendBlock(heading) else { return }
        sections.append(Section(heading: heading, level: level, range: start..<start))
        openSections.append(sections.count - 1)
    }

    /// Marks the start of a page; its start offset is that of the next block.
    mutating func startPage() {
        pendingPages += 1
    }

    var isEmpty: Bool { length == 0 }

    mutating func finish() -> ExtractedDocument {
        closeSections(atOrBelow: Int.min)
        pageStarts.append(contentsOf: repeatElement(length, count: pendingPages))
        pendingPages = 0
        return ExtractedDocument(text: text, sections: sections, pageStarts: pageStarts, title: title, format: format)
    }

    /// Appends an already normalised block and returns its start offset (nil if it was empty).
    private mutating func appendBlock(_ block: String) throws(ExtractionError) -> Int? {
        guard !block.isEmpty else { return nil }
        let separator = length > 0 ? 2 : 0
        utf8Count += block.utf8.count + separator
        if utf8Count > maxUTF8Bytes { throw .textTooLong(limit: maxUTF8Bytes) }
        if separator > 0 { text += "\n\n" }
        let start = length + separator
        text += block
        length = start + block.unicodeScalars.count
        pageStarts.append(contentsOf: repeatElement(start, count: pendingPages))
        pendingPages = 0
        // Open sections now reach the end of this block.
        for index in openSections { sections[index].range = sections[index].range.lowerBound..<length }
        return start
    }

    private mutating func closeSections(atOrBelow level: Int) {
        while let last = openSections.last, sections[last].level >= level {
            openSections.removeLast()
        }
    }
}
