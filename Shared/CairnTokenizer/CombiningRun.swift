/// NFD's canonical reordering, with the reference's alignments: the non-starters (combining
/// class > 0) that follow a starter are collected here, then stably sorted by class and
/// appended to the word.
///
/// The reference (HF `NormalizedString::nfd`) aligns by position, not by character: after the
/// sort, the k-th scalar that stands for a whole original character (the first of its
/// decomposition) takes the k-th such character's origin, and a scalar a decomposition added
/// takes the origin of the one before it. Marks that strip_accents drops take part in this
/// (they are dropped after NFD), so they are collected too and skipped when appending. Only
/// the ends of a [UNK] over exotic marks can show the difference, but it is cheap to match.
struct CombiningRun {
    struct Mark {
        var scalar: UInt32
        var combiningClass: UInt8
        var kept: Bool
        /// First scalar of its decomposition (it "replaces" an original character).
        var replaces: Bool
        var origin: Int
    }

    private var marks: [Mark] = []
    private var sorted: [Mark] = []

    var isEmpty: Bool { marks.isEmpty }

    mutating func append(_ mark: Mark) {
        marks.append(mark)
    }

    /// Sorts the run, appends its kept scalars to `word` and empties it.
    mutating func flush(into word: inout NormalizedWord) {
        sorted.removeAll(keepingCapacity: true)
        for mark in marks {
            // Stable insertion: after every mark of lower or equal class.
            var index = sorted.count
            while index > 0 && sorted[index - 1].combiningClass > mark.combiningClass { index -= 1 }
            sorted.insert(mark, at: index)
        }
        var nextReplaced = 0  // index in `marks` of the next mark that replaces a character
        var replacedOrigin: Int?  // the origin the last replacing mark in sorted order took
        for mark in sorted {
            if mark.replaces {
                while !marks[nextReplaced].replaces { nextReplaced += 1 }
                replacedOrigin = marks[nextReplaced].origin
                nextReplaced += 1
            }
            // An added mark sorted before every replacing one can only come from the
            // decomposition of the starter just before the run, which is its own origin.
            if mark.kept { word.append(mark.scalar, origin: replacedOrigin ?? mark.origin) }
        }
        marks.removeAll(keepingCapacity: true)
    }
}
