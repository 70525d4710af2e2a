import Foundation

/// Sampling parameters after clamping to what Cairn allows: temperature 0–1, top_p 0.1–1,
/// max tokens 1–(the model's and the service's limit), at most 4 stop sequences of 1–64 characters.
public struct SamplingParameters: Sendable, Equatable {
    public static let maximumStopSequences = 4
    public static let maximumStopLength = 64

    public var temperature: Double
    public var topP: Double
    public var maxTokens: Int
    public var stop: [String]

    public init(temperature: Double?, topP: Double?, maxTokens: Int?, stop: [String], modelLimit: Int, serviceLimit: Int, defaultMaxTokens: Int) {
        let limit = max(1, min(modelLimit, serviceLimit))
        self.temperature = min(max(temperature ?? 0, 0), 1)
        self.topP = min(max(topP ?? 1, 0.1), 1)
        self.maxTokens = min(max(maxTokens ?? defaultMaxTokens, 1), limit)
        self.stop = Self.clamp(stops: stop)
        if self.temperature.isNaN { self.temperature = 0 }
        if self.topP.isNaN { self.topP = 1 }
    }

    /// The first 4 non-empty stop sequences, each cut to 64 characters.
    public static func clamp(stops: [String]) -> [String] {
        Array(stops.filter { !$0.isEmpty }.map { String($0.prefix(maximumStopLength)) }.prefix(maximumStopSequences))
    }
}

/// Replaces personal data in text bound for a provider: US social security numbers, payment
/// card numbers (13–19 digits, spaces or dashes allowed, Luhn-valid only), e-mail addresses and
/// phone numbers (North American and international `+` forms).
public enum PIIRedactor {
    nonisolated(unsafe) static let ssn = try! Regex(#"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b"#)
    nonisolated(unsafe) static let card = try! Regex(#"\b\d(?:[ -]?\d){12,18}\b"#)
    nonisolated(unsafe) static let email = try! Regex(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)
    nonisolated(unsafe) static let phone = try! Regex(#"(?:\+\d{1,3}[ .-]?)?\(?\b\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b"#)

    public static func redact(_ text: String) -> String {
        var text = text.replacing(ssn, with: "[REDACTED_SSN]")
        let source = text
        text = text.replacing(card) { (match: Regex<AnyRegexOutput>.Match) -> String in
            let found = String(source[match.range])
            return luhnValid(found.filter(\.isNumber)) ? "[REDACTED_CARD]" : found
        }
        text = text.replacing(email, with: "[REDACTED_EMAIL]")
        return text.replacing(phone, with: "[REDACTED_PHONE]")
    }

    public static func luhnValid(_ digits: String) -> Bool {
        guard (13...19).contains(digits.count) else { return false }
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            guard var value = character.wholeNumberValue else { return false }
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}

/// Post-processes model output as it streams: stops at the first stop sequence (whatever the
/// provider did with it), and removes citations `[n]` whose number is not a source of the
/// prompt. Text that might be the start of a stop sequence or of a citation is held back until
/// the next delta decides it, so nothing is ever un-sent.
public struct OutputFilter: Sendable {
    let allowedCitations: Set<Int>?
    let stops: [String]
    private var pending = ""
    public private(set) var stopped = false
    /// The citations that stayed in the answer.
    public private(set) var cited: Set<Int> = []

    public init(allowedCitations: Set<Int>?, stops: [String]) {
        self.allowedCitations = allowedCitations
        self.stops = stops
    }

    public mutating func feed(_ text: String) -> String {
        guard !stopped else { return "" }
        pending += text
        if let hit = stops.compactMap({ pending.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            pending = String(pending[..<hit.lowerBound])
            stopped = true
            return flush()
        }
        var keep = 0
        if let open = pending.lastIndex(of: "["), pending.distance(from: open, to: pending.endIndex) <= 6,
           pending[pending.index(after: open)...].allSatisfy(\.isNumber) {
            keep = pending.distance(from: open, to: pending.endIndex)
        }
        for stop in stops {
            for length in stride(from: min(stop.count - 1, pending.count), through: 1, by: -1) where stop.hasPrefix(pending.suffix(length)) {
                keep = max(keep, length)
                break
            }
        }
        let ready = String(pending.dropLast(keep))
        pending = String(pending.suffix(keep))
        return clean(ready)
    }

    /// What is left at the end of the stream.
    public mutating func flush() -> String {
        defer { pending = "" }
        return clean(pending)
    }

    nonisolated(unsafe) static let citation = try! Regex(#" ?\[(\d{1,4})\]"#)

    private mutating func clean(_ text: String) -> String {
        guard let allowed = allowedCitations, text.contains("[") else { return text }
        var found: Set<Int> = []
        let result = text.replacing(Self.citation) { (match: Regex<AnyRegexOutput>.Match) -> String in
            let whole = String(text[match.range])
            let number = Int(whole.filter(\.isNumber)) ?? 0
            guard allowed.contains(number) else { return "" }
            found.insert(number)
            return whole
        }
        cited.formUnion(found)
        return result
    }
}

/// What is appended when the answer was cut by the max-tokens limit.
public enum CompletenessMarker {
    public static let text = "\n\n[Answer incomplete: it reached the maximum length.]"
}
