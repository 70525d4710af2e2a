import Foundation

/// Bytes to a `String` for the text formats, strictly: invalid input is an error naming the byte
/// offset, never silently replaced with U+FFFD. A byte-order mark wins over the declared charset;
/// without either the text must be UTF-8.
enum TextDecoding {
    /// - Parameters:
    ///   - charset: the `charset` parameter of the declared media type, lower-cased, if any.
    ///   - allowTruncatedTail: accept a multi-byte sequence cut off at the end (for sniffing a prefix).
    static func decode(_ data: Data, charset: String?, allowTruncatedTail: Bool = false) throws(ExtractionError) -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try utf8(bytes[3...], allowTruncatedTail: allowTruncatedTail)
        }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return try utf32(bytes[4...], bigEndian: false) }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return try utf32(bytes[4...], bigEndian: true) }
        if bytes.starts(with: [0xFF, 0xFE]) { return try utf16(bytes[2...], bigEndian: false, allowTruncatedTail: allowTruncatedTail) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try utf16(bytes[2...], bigEndian: true, allowTruncatedTail: allowTruncatedTail) }

        switch charset {
        case nil, "utf-8", "utf8", "us-ascii", "ascii":
            return try utf8(bytes[...], allowTruncatedTail: allowTruncatedTail)
        case "utf-16le": return try utf16(bytes[...], bigEndian: false, allowTruncatedTail: allowTruncatedTail)
        case "utf-16be", "utf-16": return try utf16(bytes[...], bigEndian: true, allowTruncatedTail: allowTruncatedTail)
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "windows-1252", "cp1252":
            // As browsers do, ISO-8859-1 is read as its superset Windows-1252.
            return String(String.UnicodeScalarView(bytes.map { byte in
                windows1252[UInt32(byte)].flatMap(Unicode.Scalar.init) ?? Unicode.Scalar(byte)
            }))
        case let other?:
            throw .undecodable("unsupported charset \"\(other)\"; use UTF-8, UTF-16, ISO-8859-1 or Windows-1252")
        }
    }

    private static func utf8(_ bytes: ArraySlice<UInt8>, allowTruncatedTail: Bool) throws(ExtractionError) -> String {
        let text: String
        if let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
        } else {
            text = try decodeReportingOffset(bytes, as: Unicode.UTF8.self, unitSize: 1, byteBase: bytes.startIndex,
                                             allowTruncatedTail: allowTruncatedTail, encodingName: "UTF-8")
        }
        // Valid UTF-8, but text that is largely NULs is binary data or UTF-16 without a byte-order
        // mark. (A stray NUL is just a control character, which normalisation removes.)
        // Slices keep their base's indices, so `nul` is the offset in the file.
        if let nul = bytes.firstIndex(of: 0) {
            let sample = bytes[nul...].prefix(4096)
            if sample.count(where: { $0 == 0 }) * 10 > sample.count {
                throw .undecodable("NUL bytes from offset \(nul): binary data, or UTF-16 text without a byte-order mark")
            }
        }
        return text
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool, allowTruncatedTail: Bool) throws(ExtractionError) -> String {
        var bytes = bytes
        if bytes.count % 2 != 0 {
            guard allowTruncatedTail else { throw .undecodable("UTF-16 text with an odd number of bytes") }
            bytes = bytes.dropLast()
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let (a, b) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            index += 2
        }
        return try decodeReportingOffset(units[...], as: Unicode.UTF16.self, unitSize: 2, byteBase: bytes.startIndex,
                                         allowTruncatedTail: allowTruncatedTail, encodingName: "UTF-16")
    }

    private static func utf32(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) throws(ExtractionError) -> String {
        guard bytes.count % 4 == 0 else { throw .undecodable("UTF-32 text whose length is not a multiple of 4 bytes") }
        var units: [UInt32] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let quad = (0..<4).map { UInt32(bytes[index + $0]) }
            units.append(bigEndian ? quad[0] << 24 | quad[1] << 16 | quad[2] << 8 | quad[3]
                                   : quad[3] << 24 | quad[2] << 16 | quad[1] << 8 | quad[0])
            index += 4
        }
        return try decodeReportingOffset(units[...], as: Unicode.UTF32.self, unitSize: 4, byteBase: bytes.startIndex,
                                         allowTruncatedTail: false, encodingName: "UTF-32")
    }

    /// Decodes scalar by scalar so that the first invalid sequence can be reported by offset.
    private static func decodeReportingOffset<Encoding: Unicode.Encoding>(
        _ units: ArraySlice<Encoding.CodeUnit>, as encoding: Encoding.Type, unitSize: Int, byteBase: Int,
        allowTruncatedTail: Bool, encodingName: String
    ) throws(ExtractionError) -> String {
        var scalars = String.UnicodeScalarView()
        var parser = Encoding.ForwardParser()
        var iterator = units.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(Encoding.decode(encoded))
                offset += encoded.count
            case .emptyInput:
                return String(scalars)
            case .error(let length):
                // A sequence cut off by the end of a sniffed prefix is not an error.
                if allowTruncatedTail, offset + length >= units.count - 3 { return String(scalars) }
                throw .undecodable("invalid \(encodingName) at byte offset \(byteBase + offset * unitSize)")
            }
        }
    }

    /// Windows-1252's printable characters in 0x80–0x9F (where ISO-8859-1 has C1 controls).
    static let windows1252: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]
}
