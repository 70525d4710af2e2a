/// Splits text into sentences: after `.`, `!` or `?` followed by white space, and at line
/// breaks that end a paragraph, heading or list item. Markdown decoration (`#`, `*`, `-`,
/// `>` at the start of a line, code fences) is removed. Good enough for ranking and quoting
/// passages; not a linguistic tool (abbreviations such as "e.g." may split).
enum SentenceSplitter {
    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var inFence = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: " \t")
            if line.hasPrefix("```") { inFence.toggle(); continue }
            if inFence || line.hasPrefix("|") { continue }
            while let first = line.first, "#*->".contains(first) { line = line.dropFirst().trimmingCharacters(in: " \t") }
            guard !line.isEmpty else { continue }
            var current = ""
            var previous: Character = " "
            for character in line {
                if character.isWhitespace, ".!?".contains(previous), current.count > 1 {
                    result.append(current)
                    current = ""
                } else if !(current.isEmpty && character.isWhitespace) {
                    current.append(character)
                }
                previous = character
            }
            if !current.isEmpty { result.append(current) }
        }
        return result
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}
