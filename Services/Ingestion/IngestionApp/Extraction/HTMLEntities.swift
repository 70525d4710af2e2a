/// HTML character references: numeric (`&#233;`, `&#xE9;`) and the named ones that occur in
/// real text (the full HTML list has 2,231; the rest are mathematical and rare). An unknown name
/// stays as written, as browsers show it.
enum HTMLEntities {
    /// Decodes every reference in `text`.
    static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return String(text) }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "&", let (decoded, length) = reference(scalars, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i += length
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The reference starting with `&` at `start`: its text and how many scalars it spans.
    private static func reference(_ s: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var j = start + 1
        guard j < s.count else { return nil }
        if s[j] == "#" {
            j += 1
            let hex = j < s.count && (s[j] == "x" || s[j] == "X")
            if hex { j += 1 }
            let digitsStart = j
            while j < s.count, j - digitsStart < 8, hex ? s[j].properties.isASCIIHexDigit : s[j].isASCII && s[j].properties.numericType != nil { j += 1 }
            guard j > digitsStart else { return nil }
            let digits = String(String.UnicodeScalarView(s[digitsStart..<j]))
            let value = UInt32(digits, radix: hex ? 16 : 10) ?? 0xFFFD
            if j < s.count, s[j] == ";" { j += 1 }
            return (String(numeric(value)), j - start)
        }
        let nameStart = j
        while j < s.count, j - nameStart < 32, s[j].isASCII, s[j].properties.isAlphabetic || s[j].properties.numericType != nil {
            j += 1
        }
        guard j > nameStart else { return nil }
        let name = String(String.UnicodeScalarView(s[nameStart..<j]))
        if j < s.count, s[j] == ";", let value = named[name] { return (value, j + 1 - start) }
        // A few legacy names are recognised without the semicolon, as browsers do.
        if legacyWithoutSemicolon.contains(name), let value = named[name] { return (value, j - start) }
        return nil
    }

    /// Code point to character: NUL, surrogates and values past U+10FFFF become U+FFFD;
    /// 0x80–0x9F are read as Windows-1252, as HTML requires.
    private static func numeric(_ value: UInt32) -> Character {
        if (0x80...0x9F).contains(value), let mapped = TextDecoding.windows1252[value] { return Character(Unicode.Scalar(mapped)!) }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return Character(scalar)
    }

    private static let legacyWithoutSemicolon: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "iexcl": "¡", "cent": "¢", "pound": "£", "curren": "¤", "yen": "¥", "brvbar": "¦", "sect": "§",
        "uml": "¨", "copy": "©", "ordf": "ª", "laquo": "«", "not": "¬", "shy": "\u{AD}", "reg": "®",
        "macr": "¯", "deg": "°", "plusmn": "±", "sup2": "²", "sup3": "³", "acute": "´", "micro": "µ",
        "para": "¶", "middot": "·", "cedil": "¸", "sup1": "¹", "ordm": "º", "raquo": "»", "frac14": "¼",
        "frac12": "½", "frac34": "¾", "iquest": "¿", "times": "×", "divide": "÷",
        "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã", "Auml": "Ä", "Aring": "Å", "AElig": "Æ",
        "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í",
        "Icirc": "Î", "Iuml": "Ï", "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô",
        "Otilde": "Õ", "Ouml": "Ö", "Oslash": "Ø", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û", "Uuml": "Ü",
        "Yacute": "Ý", "THORN": "Þ", "szlig": "ß", "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã",
        "auml": "ä", "aring": "å", "aelig": "æ", "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê",
        "euml": "ë", "igrave": "ì", "iacute": "í", "icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ",
        "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ", "ouml": "ö", "oslash": "ø", "ugrave": "ù",
        "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý", "thorn": "þ", "yuml": "ÿ",
        "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "fnof": "ƒ", "circ": "ˆ",
        "tilde": "˜", "Alpha": "Α", "Beta": "Β", "Gamma": "Γ", "Delta": "Δ", "Omega": "Ω", "alpha": "α",
        "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "lambda": "λ", "mu": "μ", "pi": "π",
        "sigma": "σ", "omega": "ω", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}",
        "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}", "ndash": "–", "mdash": "—",
        "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "dagger": "†",
        "Dagger": "‡", "bull": "•", "hellip": "…", "permil": "‰", "prime": "′", "Prime": "″", "lsaquo": "‹",
        "rsaquo": "›", "oline": "‾", "euro": "€", "trade": "™", "larr": "←", "uarr": "↑", "rarr": "→",
        "darr": "↓", "harr": "↔", "rArr": "⇒", "hArr": "⇔", "forall": "∀", "part": "∂", "exist": "∃",
        "empty": "∅", "nabla": "∇", "isin": "∈", "notin": "∉", "sum": "∑", "minus": "−", "radic": "√",
        "infin": "∞", "and": "∧", "or": "∨", "cap": "∩", "cup": "∪", "int": "∫", "asymp": "≈", "ne": "≠",
        "equiv": "≡", "le": "≤", "ge": "≥", "sub": "⊂", "sup": "⊃", "loz": "◊", "spades": "♠", "clubs": "♣",
        "hearts": "♥", "diams": "♦", "check": "✓", "star": "☆", "Tab": "\t", "NewLine": "\n",
    ]
}
