#!/usr/bin/env python3
"""Writes Tests/Fixtures/tokenizer-differential.json: texts with what the reference tokenizer
(HuggingFace `tokenizers`, the fast tokenizer of sentence-transformers/all-MiniLM-L6-v2) makes
of them. CairnTokenizerTests checks BertTokenizer against it. Not run by the tests; rerun it
only to change the cases, and commit its output.

    source deploy/local/env.sh
    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers
    /tmp/tokvenv/bin/python Tests/Fixtures/make_tokenizer_fixture.py

Inputs: $CAIRN_MODEL_DIR/tokenizer.json and the sample documents in deploy/samples/*.txt.
The output is deterministic (a fixed random seed) for a given tokenizers version.

With `--sweep FILE` it instead writes, for every Unicode scalar c, the reference's ids and
offsets for the text f"{c} a{c}b" (1,112,064 lines, ~26 MB: not for the repository); the test
`scalarSweepMatchesTheReference` compares against it when CAIRN_TOKENIZER_SWEEP=FILE is set.

Each case is {"text", "ids", "offsets"} for the untruncated encoding with [CLS] and [SEP]
(tokenizer.json's own truncation and padding to 128 are switched off), "offsets" flattened as
[start0, end0, start1, end1, ...] in characters of the Python str, i.e. Unicode scalars, with
(0, 0) for [CLS] and [SEP]; cases longer than 256 tokens also have "ids_256", the encoding
truncated to 256 tokens as sentence-transformers (max_seq_length 256) feeds the model.
"""

import glob
import json
import os
import random
import re
import sys

import tokenizers

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(REPO, "Tests", "Fixtures", "tokenizer-differential.json")
MAX_LENGTH = 256

# Hand-picked texts for the normaliser's and pre-tokenizer's corners.
TRICKY = [
    "",
    " ",
    "\t\n\r\n  ",
    "a",
    "Hello, World!",
    "HELLO world... what?!?",
    # Scripts
    "한국어 텍스트를 토큰화합니다. 안녕하세요!",
    "ㄱㄴㄷ ㅏㅑ 한글 자모",
    "ภาษาไทยไม่มีช่องว่างระหว่างคำ",
    "हिन्दी भाषा में लिखा गया वाक्य। क़ ज़ फ़",
    "मराठी आणि संस्कृतम् ॐ",
    "العربية: بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "مرحبا، كيف حالك؟ ١٢٣٤",
    "עברית עם ניקוד: שָׁלוֹם",
    "Tiếng Việt có dấu: Người ấy đã đến Hà Nội.",
    "Ελληνικά: ΟΔΥΣΣΕΥΣ οδυσσευς Σίσυφος ς",
    "Русский текст, Ёлка и йод.",
    "Українська: Ґанок, їжак, є.",
    "日本語のテキスト、カタカナとひらがな。ｶﾀｶﾅ",
    "中文句子，包含标点符号！（括号）《书名》",
    "繁體中文與簡體中文混合：學習/学习",
    "CJK compatibility: 豈 更 車 﨎 𠀀 𪜀 𫝀 𫠠 丽 𪘀",
    "Ext E gap: 𫠡 𬺰 𮯰 𰀀",
    "ትግርኛ ኣማርኛ ፊደል",
    "ქართული ენა, Հայերեն լեզու",
    "Tamil: தமிழ் மொழி, Bengali: বাংলা ভাষা",
    "ᚠᚢᚦᚨᚱᚲ runes ᛫ ᛬",
    "Mongolian: ᠮᠣᠩᠭᠣᠯ ᢅᢆ",
    "Tibetan: བོད་ཡིག ཱི ཱུ ཱྀ",
    # Accents, combining marks, reordering
    "naïve café résumé façade — déjà vu",
    "Ünïcödé ÀÉÎÕÜ ñ ç ß ẞ Å Ω K",
    "e\u0301 e\u0301\u0327 e\u0327\u0301 a\u0316\u0301b",
    "Z\u0335\u0321\u031b\u0358a\u0337\u0322\u0360l\u0334\u0345\u0347g\u0336\u032co\u0338 text",
    "x\U0001D16D\U0001D165 x\u0301\U0001D165 x\U0001D16D\u0316\U0001D165 \U0001D15F\U0001D16D",
    "q\u0F73\U0001D16D ḉ\u0316 ǖ\u0323",
    "\u0301\u0301 leading marks",
    "İstanbul ıi İI",
    "ǅungla ǈ ǋ",
    "ﬁnance ﬂow ﬀ ﬃ",
    # Width and compatibility forms
    "Ｆｕｌｌｗｉｄｔｈ　ｃｈａｒａｃｔｅｒｓ！",
    "Roman Ⅻ ⅷ, superscript x² ₃, circled ① ⑳, math 𝐀𝐁𝐂 𝓍",
    "Kelvin 5K, Ohm 10Ω, Angstrom 3Å, micro µ",
    # Emoji
    "emoji 😀 test 🚀 rocket",
    "👨‍👩‍👧‍👦 family, 👋🏽 wave, 🏳️‍🌈 flag, 🇩🇪 🇯🇵 flags",
    "keycap 1️⃣ #️⃣ and ❤️ vs ❤",
    "🤖🤖🤖 robots",
    # Control and format characters
    "\x00null\x00char \x07bell \x1b[31mred\x1b[0m",
    "zero\u200bwidth\u200bspace and soft\xadhyphen",
    "join\u200dme\u200cnot \u2060word\u2060joiner \ufeffbom",
    "left\u200eto\u200fright \u202eoverride\u202c \u2066isolate\u2069",
    "replacement \ufffd char \ufffdx\ufffd",
    "next\x85line form\x0cfeed vertical\x0btab",
    "line\u2028separator paragraph\u2029separator",
    "nbsp\xa0here ideographic\u3000space en\u2002em\u2003thin\u2009narrow\u202fmath\u205f",
    "mongolian\u180evowel separator",
    "private\ue000use \U000F0001 plane15 \U0010FFFD",
    "unassigned \u0378 \U0001FFFE \U000E0001 tag \U000E0041",
    "arabic\u061cmark and\u08e2disputed",
    # Punctuation edge cases
    "don't won't can't it's O'Reilly",
    "«quotes» „German“ ‘single’ “double” 「かぎ」",
    "dash‐hyphen – en — em ― bar ‒ figure",
    "a⹃b a⹐b a꣼b a᙭b a𑇉b",
    # Category changed since Unicode 8.0 (the reference's category tables)
    "a\u1734b a\u1885b a\u1886b a\ua9bdb a\U0001171eb a\u08e3b a\u1ab0b a\ua8ffb",
    "$100 + 5% = <x> ^y `z` |w| ~v",
    "C++ C# .NET Node.js F# Objective-C",
    "#hashtag ##double ### @mention",
    "e.g. i.e. U.S.A. Ph.D. a.m.",
    "Wait...what?! Really?!?!",
    "(nested [brackets {and} braces])",
    # Added tokens in the text
    "[CLS] text [SEP] more [MASK] here [PAD] [UNK]",
    "[mask] [cls] [ SEP ] [SEP[SEP]] x[MASK]y",
    "[UNK]unknown[UNK]",
    # Numbers, code, URLs
    "numbers 3.14159 1,000,000 -42 1e-9 0x1F 007 ½ ¾",
    "version 1.2.3-beta+build.45, ISO 2025-11-23T06:28:00Z",
    "e-mail: user@example.com, url: https://example.com/path?q=1&x=2#frag",
    "https://img.shields.io/badge/Status-Production_Ready-green",
    "def tokenize(self, text: str) -> list[int]:\n    return [t.id for t in self.encode(text)]",
    "let x = a.map { $0 * 2 }.filter { $0 > 10 } // swift",
    "SELECT id, name FROM users WHERE email LIKE '%@example.com' ORDER BY id DESC;",
    "{\"key\": [1, 2.5, null, true], \"nested\": {\"a\": \"b\"}}",
    "C:\\Users\\name\\file.txt /usr/local/bin/python3",
    "snake_case_identifier camelCaseIdentifier SCREAMING_CASE kebab-case",
    "base64: SGVsbG8gV29ybGQhIFRoaXMgaXMgYSBiYXNlNjQgc3RyaW5nLg==",
    # Long words (the 100-character limit counts normalised characters)
    "a" * 99,
    "b" * 100,
    "c" * 101,
    "x" * 99 + "é",
    "x" * 99 + "\u0301y",
    "한" * 40,
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "word " + "z" * 300 + " after",
    "\u0301" * 150 + "mark run",
    "The The The The The",
    "tabs\tand\nnewlines\r\nmixed   spaces",
]


def sample_texts(rng):
    """Lines, paragraphs and long chunks cut from the sample documents."""
    documents = [open(path, encoding="utf-8").read() for path in sorted(glob.glob(os.path.join(REPO, "deploy", "samples", "*.txt")))]
    texts = []
    for document in documents:
        lines = [line for line in document.splitlines() if line.strip()]
        texts += rng.sample(lines, min(30, len(lines)))
        paragraphs = [p for p in re.split(r"\n\s*\n", document) if 80 <= len(p) <= 1200]
        texts += rng.sample(paragraphs, min(5, len(paragraphs)))
        start = rng.randrange(0, max(1, len(document) - 2500))
        texts.append(document[start:start + 2500])  # well over 256 tokens
    return texts


def fuzz_texts(rng):
    """Short random mixes of the character classes the tokenizer treats differently."""
    pieces = [
        "a", "Z", "7", " ", "  ", "\t", "\n", ".", ",", "!", "-", "'", "#", "[", "]", "$", "é", "É",
        "e\u0301", "\u0301", "\u0316", "\u0327", "\U0001D165", "\U0001D16D", "ḉ", "ǖ", "ß", "İ", "Σ",
        "ς", "ﬁ", "Ω", "K", "한", "ㄱ", "ก", "ี", "क", "्", "ि", "ب", "ِ", "ّ", "中", "豈", "あ", "ｱ",
        "😀", "🏽", "\u200d", "\u200b", "\xad", "\x00", "\x07", "\ufffd", "\u2028", "\xa0", "\u3000",
        "\ue000", "\u0378", "¿", "«", "—", "…", "①", "²", "[MASK]", "[SEP]", "##", "word", "Text",
    ]
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(3, 25))) for _ in range(80)]


def sweep(tokenizer, path):
    """Every scalar alone and inside a word, one TSV line each: code point, ids, offsets."""
    tokenizer.no_truncation()
    scalars = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    with open(path, "w", encoding="utf-8") as output:
        for start in range(0, len(scalars), 20000):
            chunk = scalars[start:start + 20000]
            encodings = tokenizer.encode_batch([f"{chr(c)} a{chr(c)}b" for c in chunk], add_special_tokens=False)
            for c, encoding in zip(chunk, encodings):
                offsets = " ".join(f"{s},{e}" for s, e in encoding.offsets)
                output.write(f"{c}\t{' '.join(map(str, encoding.ids))}\t{offsets}\n")
    print(f"{len(scalars)} scalars -> {path}")


def main():
    model_dir = os.environ.get("CAIRN_MODEL_DIR")
    if not model_dir:
        sys.exit("CAIRN_MODEL_DIR is not set: source deploy/local/env.sh first")
    tokenizer = tokenizers.Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    if len(sys.argv) == 3 and sys.argv[1] == "--sweep":
        return sweep(tokenizer, sys.argv[2])
    rng = random.Random(20251123)
    texts = TRICKY + sample_texts(rng) + fuzz_texts(rng)

    cases = []
    for text in texts:
        tokenizer.no_truncation()
        encoding = tokenizer.encode(text)
        case = {
            "text": text,
            "ids": encoding.ids,
            "offsets": [offset for pair in encoding.offsets for offset in pair],
        }
        if len(encoding.ids) > MAX_LENGTH:
            tokenizer.enable_truncation(MAX_LENGTH)
            case["ids_256"] = tokenizer.encode(text).ids
        cases.append(case)

    with open(OUTPUT, "w", encoding="utf-8") as output:
        output.write('{"reference":' + json.dumps(f"HuggingFace tokenizers {tokenizers.__version__}, "
                                                  "sentence-transformers/all-MiniLM-L6-v2 tokenizer.json, "
                                                  "no truncation or padding; ids_256: truncated to 256") + ',\n')
        output.write('"cases":[\n')
        output.write(",\n".join(json.dumps(case, ensure_ascii=True, separators=(",", ":")) for case in cases))
        output.write("\n]}\n")
    print(f"{len(cases)} cases, {os.path.getsize(OUTPUT)} bytes -> {OUTPUT}")


if __name__ == "__main__":
    main()
