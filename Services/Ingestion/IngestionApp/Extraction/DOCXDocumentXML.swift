import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

// The XML parts of a DOCX: word/styles.xml (heading styles) and word/document.xml (the body).

/// Heading levels of paragraph styles, from `word/styles.xml`: a style named `heading N` (any
/// case; ids are localised, names are not) is level N, `Title` level 0, otherwise an outline level.
struct HeadingStyles {
    var levels: [String: Int] = [:]

    /// A style id's level; without styles.xml, ids like `Heading2` still count.
    func level(ofStyle id: String) -> Int? {
        if let level = levels[id] { return level }
        return Self.level(ofName: id)
    }

    static func level(ofName name: String) -> Int? {
        let lowered = name.lowercased().replacing(" ", with: "")
        if lowered == "title" { return 0 }
        guard lowered.hasPrefix("heading"), let level = Int(lowered.dropFirst("heading".count)), (1...9).contains(level) else {
            return nil
        }
        return level
    }

    static func parse(_ xml: Data) throws(ExtractionError) -> HeadingStyles {
        let delegate = StylesDelegate()
        try OOXML.parse(xml, part: DOCXExtractor.stylesPart, delegate: delegate)
        return HeadingStyles(levels: delegate.levels)
    }

    private final class StylesDelegate: OOXMLDelegate {
        var levels: [String: Int] = [:]
        private var styleID: String?
        private var name: String?
        private var outlineLevel: Int?

        override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes: [String: String] = [:]) {
            guard OOXML.isWordML(namespaceURI) else { return }
            switch elementName {
            case "style":
                styleID = attributes.first { OOXML.isAttribute($0.key, "type") }?.value == "paragraph"
                    ? attributes.first { OOXML.isAttribute($0.key, "styleId") }?.value : nil
                name = nil
                outlineLevel = nil
            case "name" where styleID != nil:
                name = OOXML.value(attributes)
            case "outlineLvl" where styleID != nil:
                outlineLevel = OOXML.value(attributes).flatMap { Int($0) }
            default: break
            }
        }

        override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard OOXML.isWordML(namespaceURI), elementName == "style", let id = styleID else { return }
            if let level = name.flatMap(HeadingStyles.level(ofName:)) {
                levels[id] = level
            } else if let outline = outlineLevel, (0...8).contains(outline) {
                levels[id] = outline + 1
            }
            styleID = nil
        }
    }
}

/// Reads `word/document.xml` into a document.
enum DocumentXMLReader {
    static func read(_ xml: Data, headingStyles: HeadingStyles, limits: IngestionLimits) throws(ExtractionError) -> ExtractedDocument {
        let delegate = BodyDelegate(
            builder: DocumentBuilder(format: .docx, maxUTF8Bytes: limits.maxExtractedTextBytes),
            headingStyles: headingStyles
        )
        try OOXML.parse(xml, part: DOCXExtractor.documentPart, delegate: delegate, aborted: { delegate.failure != nil })
        if let failure = delegate.failure { throw failure }
        return delegate.builder.finish()
    }

    private final class BodyDelegate: OOXMLDelegate {
        var builder: DocumentBuilder
        let headingStyles: HeadingStyles
        var failure: ExtractionError?

        /// Open paragraphs (a text box's paragraphs nest inside a run of the outer one).
        private var paragraphs: [(text: String, level: Int?)] = []
        private var inText = false
        private var runDepth = 0
        /// Depth inside elements whose content is skipped (`mc:Fallback`, deleted runs).
        private var skipDepth = 0
        private var tableDepth = 0
        private var tableRows: [String] = []
        private var rowCells: [String] = []
        private var cell: [String] = []

        init(builder: DocumentBuilder, headingStyles: HeadingStyles) {
            self.builder = builder
            self.headingStyles = headingStyles
            super.init()
        }

        override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes: [String: String] = [:]) {
            if skipDepth > 0 || OOXML.isSkipped(elementName, namespaceURI) {
                skipDepth += 1
                return
            }
            guard OOXML.isWordML(namespaceURI) else { return }
            switch elementName {
            case "p": paragraphs.append(("", nil))
            case "pStyle":
                if let style = OOXML.value(attributes), let level = headingStyles.level(ofStyle: style), !paragraphs.isEmpty {
                    paragraphs[paragraphs.count - 1].level = level
                }
            case "outlineLvl":
                if let level = OOXML.value(attributes).flatMap({ Int($0) }), (0...8).contains(level), !paragraphs.isEmpty {
                    paragraphs[paragraphs.count - 1].level = level + 1
                }
            case "r": runDepth += 1
            case "t": inText = true
            case "tab" where runDepth > 0: append("\t")
            case "br" where runDepth > 0, "cr" where runDepth > 0: append("\n")
            case "noBreakHyphen": append("-")
            case "tbl":
                tableDepth += 1
                if tableDepth == 1 { tableRows = [] }
            case "tr" where tableDepth == 1: rowCells = []
            case "tc" where tableDepth == 1: cell = []
            default: break
            }
        }

        override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            if skipDepth > 0 {
                skipDepth -= 1
                return
            }
            guard OOXML.isWordML(namespaceURI) else { return }
            switch elementName {
            case "t": inText = false
            case "r": runDepth = max(0, runDepth - 1)
            case "p":
                guard let paragraph = paragraphs.popLast() else { return }
                if tableDepth > 0 {
                    cell.append(paragraph.text)
                } else if let level = paragraph.level {
                    perform(parser) { try $0.appendHeading(paragraph.text, level: level) }
                } else {
                    perform(parser) { try $0.appendText(paragraph.text) }
                }
            case "tc" where tableDepth == 1:
                rowCells.append(cell.map(Self.oneLine).filter { !$0.isEmpty }.joined(separator: " "))
            case "tr" where tableDepth == 1:
                if rowCells.contains(where: { !$0.isEmpty }) { tableRows.append(rowCells.joined(separator: " | ")) }
            case "tbl":
                tableDepth -= 1
                if tableDepth == 0 {
                    let rows = tableRows
                    perform(parser) { try $0.appendText(rows.joined(separator: "\n")) }
                }
            default: break
            }
        }

        override func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText, skipDepth == 0 { append(string) }
        }

        private func append(_ text: String) {
            guard !paragraphs.isEmpty else { return }
            paragraphs[paragraphs.count - 1].text += text
        }

        private static func oneLine(_ text: String) -> String {
            TextNormalizer().normalize(text).replacing("\n\n", with: " ").replacing("\n", with: " ")
        }

        /// Runs a builder step; the parser cannot throw, so the first error is kept and parsing stops.
        private func perform(_ parser: XMLParser, _ body: (inout DocumentBuilder) throws -> Void) {
            guard failure == nil else { return }
            do {
                try body(&builder)
            } catch {
                failure = error as? ExtractionError ?? .internal("unexpected \(type(of: error))")
                parser.abortParsing()
            }
        }
    }
}

/// The base of both parts' delegates: remembers parse errors (the parser's return value is not
/// enough) and declares the callbacks the subclasses override (without Objective-C, a subclass
/// method is only called if it overrides the conforming class's own).
class OOXMLDelegate: NSObject, XMLParserDelegate {
    private(set) var sawError = false

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        sawError = true
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}
}

/// What the two parts' readers share.
enum OOXML {
    static let wordMLNamespaces: Set<String> = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  // transitional (what Word writes)
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  // strict
    ]
    static let markupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006"

    static func isWordML(_ namespace: String?) -> Bool {
        namespace.map(wordMLNamespaces.contains) ?? false
    }

    /// Subtrees that repeat or hide text: `mc:Fallback` (a copy of `mc:Choice`), deleted text,
    /// field instructions.
    static func isSkipped(_ name: String, _ namespace: String?) -> Bool {
        if namespace == markupCompatibility { return name == "Fallback" }
        return isWordML(namespace) && (name == "del" || name == "instrText" || name == "delText")
    }

    /// Attribute `w:name` (the parser reports it qualified or not, depending on the platform).
    static func isAttribute(_ key: String, _ name: String) -> Bool {
        key == name || key.hasSuffix(":" + name)
    }

    static func value(_ attributes: [String: String]) -> String? {
        attributes.first { isAttribute($0.key, "val") }?.value
    }

    /// Parses with namespaces; refuses DTDs (never in OOXML, and the way to entity-expansion
    /// bombs and external entities) and anything but UTF-8 (what Word writes).
    /// - Parameter aborted: whether the delegate stopped the parse itself (it then holds the error).
    static func parse(_ xml: Data, part: String, delegate: OOXMLDelegate,
                      aborted: () -> Bool = { false }) throws(ExtractionError) {
        switch prologue(xml) {
        case .dtd: throw .corrupted("\(part) contains a DTD, which Word documents never do")
        case .notUTF8: throw .corrupted("\(part) is not UTF-8 XML")
        case .ok: break
        }
        let parser = XMLParser(data: xml)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        // FoundationXML may report an error to the delegate and still return true.
        if !parser.parse() || delegate.sawError, !aborted() {
            throw .corrupted("\(part) is not well-formed XML (line \(parser.lineNumber))")
        }
    }

    private enum Prologue { case ok, dtd, notUTF8 }

    /// Scans the XML declaration, comments and processing instructions before the root element.
    private static func prologue(_ xml: Data) -> Prologue {
        let bytes = [UInt8](xml.prefix(64 * 1024))
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.prefix(4).contains(0) { return .notUTF8 }
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            bytes[start...].firstRange(of: needle).map(\.upperBound)
        }
        var i = 0
        while let open = bytes[i...].firstIndex(of: UInt8(ascii: "<")) {
            let rest = bytes[(open + 1)...]
            if rest.starts(with: Array("!--".utf8)) {
                guard let end = find(Array("-->".utf8), from: open) else { return .ok }
                i = end
            } else if rest.starts(with: Array("?".utf8)) {
                guard let end = find(Array("?>".utf8), from: open) else { return .ok }
                i = end
            } else if rest.starts(with: Array("!".utf8)) {
                return .dtd  // <!DOCTYPE (or any other declaration) before the root
            } else {
                return .ok  // the root element
            }
        }
        return .ok
    }
}
