/// The document's sections as lookups by offset.
struct Outline {
    /// Innermost heading path from each offset on (sorted by offset; the last entry at or before
    /// an offset applies).
    private var changes: [(offset: Int, path: [String])] = [(0, [])]
    /// Scalar ranges of the heading lines themselves, sorted.
    private var headingLines: [Range<Int>] = []
    /// Where sections start, ascending.
    private(set) var sectionStarts: [Int] = []

    init(_ sections: [Section]) {
        var open: [Section] = []
        func closeUntil(_ offset: Int) {
            while let top = open.last, top.range.upperBound <= offset {
                open.removeLast()
                changes.append((top.range.upperBound, open.map(\.heading)))
            }
        }
        for section in sections {
            closeUntil(section.range.lowerBound)
            open.append(section)
            changes.append((section.range.lowerBound, open.map(\.heading)))
            let start = section.range.lowerBound
            headingLines.append(start..<(start + section.heading.unicodeScalars.count))
            sectionStarts.append(start)
        }
        closeUntil(Int.max)
    }

    func headingPath(at offset: Int) -> [String] {
        var low = 0
        var high = changes.count
        while low < high {
            let mid = (low + high) / 2
            if changes[mid].offset <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? [] : changes[low - 1].path
    }

    func isHeadingText(_ offset: Int) -> Bool {
        var low = 0
        var high = headingLines.count
        while low < high {
            let mid = (low + high) / 2
            if headingLines[mid].lowerBound <= offset { low = mid + 1 } else { high = mid }
        }
        return low > 0 && headingLines[low - 1].contains(offset)
    }
}
