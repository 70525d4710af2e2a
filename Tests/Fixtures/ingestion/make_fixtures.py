#!/usr/bin/env python3
"""Regenerates the ingestion test fixtures in this folder (the tests only read them).

    python3 -m venv /tmp/fixvenv && /tmp/fixvenv/bin/pip install python-docx fpdf2
    /tmp/fixvenv/bin/python Tests/Fixtures/ingestion/make_fixtures.py

Needs the DejaVu fonts (Debian: fonts-dejavu-core) for the PDFs. The outputs are committed; PDF
and DOCX carry creation dates, so a rerun changes their bytes but not their text.
"""
import io
import os
import struct
import zipfile

from docx import Document
from docx.enum.text import WD_BREAK
from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def text_fixtures():
    plain = (
        "Cairn ingestion test.\r\n"
        "This is the first paragraph.   It has  extra   spaces\tand a tab.\r\n"
        "\r\n\r\n\r\n"
        "Second paragraph after three blank lines.\n"
    )
    write("plain-utf8.txt", plain.encode("utf-8"))
    write("plain-utf8-bom.txt", b"\xef\xbb\xbf" + "Café with a byte-order mark.\n".encode("utf-8"))
    write("plain-utf16le-bom.txt", b"\xff\xfe" + "UTF-16 little endian: naïve café, 日本語.\n".encode("utf-16-le"))
    write("plain-utf16be-bom.txt", b"\xfe\xff" + "UTF-16 big endian: Ωmega and 😀.\n".encode("utf-16-be"))
    # 0xC3 0x28 is an invalid two-byte sequence (byte offset 17).
    write("invalid-utf8.txt", b"Valid start here " + b"\xc3\x28" + b" then garbage.\n")
    write("empty.txt", b"")
    write("whitespace-only.txt", b"  \n\t\n\r\n   \n")
    multiscript = (
        "English: The quick brown fox jumps over the lazy dog.\n\n"
        "中文：我们的文档包含中文文本。每个句子都应该被正确地分块。这是第三句话。\n\n"
        "日本語：これは日本語の文章です。ひらがなとカタカナと漢字が混ざっています。\n\n"
        "العربية: هذا نص باللغة العربية. يجب أن يتم تقسيمه بشكل صحيح؟ نعم بالتأكيد.\n\n"
        "हिन्दी: यह हिन्दी में एक वाक्य है। यह दूसरा वाक्य है।\n\n"
        "Русский: Съешь же ещё этих мягких французских булок.\n\n"
        "Emoji: family 👨‍👩‍👧‍👦, flags 🇩🇪🇯🇵, skin tones 👍🏽, and a rocket 🚀 to the moon.\n\n"
        # Decomposed e + combining acute (NFD); extraction must return NFC.
        "Decomposed: cafe\u0301 and re\u0301sume\u0301.\n"
    )
    write("multiscript.txt", multiscript.encode("utf-8"))


def markdown_fixture():
    md = """---
title: Front matter is metadata, not text
---
# Cairn Guide

Cairn answers questions from **your documents** with [citations](https://example.com/cite).

## Installation

Run the installer. Then read the `README` file.

```bash
# this is a comment in code, not a heading
make deps
```

### Requirements
- Swift 6
- ~~Python 2~~ Python 3

Setext Heading
--------------

| Name | Value |
|------|-------|
| size | 256   |

Usage
=====

![diagram](img.png) shows the flow. <!-- a hidden comment -->

[ref]: https://example.com/ref
"""
    write("headings.md", md.encode("utf-8"))


def html_fixture():
    html = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Cairn &amp; Friends</title>
  <style>body { color: red; } .secret::after { content: "STYLE-LEAK"; }</style>
  <script>var leak = "SCRIPT-LEAK"; if (a < b && c > d) { document.write("<p>SCRIPT-LEAK-2</p>"); }</script>
</head>
<body>
  <noscript>NOSCRIPT-LEAK: enable JavaScript</noscript>
  <template><p>TEMPLATE-LEAK</p></template>
  <!-- COMMENT-LEAK -->
  <h1>Main   Title</h1>
  <p>First paragraph with <b>bold</b> and <a href="/x">a link</a>.
     It continues on a second source line.</p>
  <p>Entities: caf&eacute; &lt;tag&gt; &#8212; &#x1F600; &copy;2024 &amp;&nbsp;more &unknown; 5 &lt 6</p>
  <h2>Details</h2>
  <ul><li>first item</li><li>second item</li></ul>
  <table><tr><th>Key</th><th>Value</th></tr><tr><td>size</td><td>256</td></tr></table>
  <pre>line one
line two</pre>
  <div>Line<br>break</div>
  <SCRIPT type="text/javascript">UPPERCASE-SCRIPT-LEAK</SCRIPT>
  <p>After the scripts.</p>
</body>
</html>
"""
    write("page.html", html.encode("utf-8"))


def json_fixture():
    doc = """{
  "title": "Quarterly report",
  "id": 12345,
  "published": true,
  "author": {"name": "Ada Lovelace", "email": "ada@example.com"},
  "sections": [
    {"heading": "Revenue", "body": "Revenue grew by 12 percent.", "tags": ["finance", "growth"]},
    {"heading": "Costs", "body": "Costs fell.\\nSee the appendix \\u00e9\\ud83d\\ude00.", "tags": []}
  ],
  "empty": null
}
"""
    write("records.json", doc.encode("utf-8"))


def pdf_fixtures():
    def make(pages, encrypt=False):
        pdf = FPDF()
        pdf.add_font("DejaVu", "", FONT)
        pdf.set_font("DejaVu", size=12)
        for lines in pages:
            pdf.add_page()
            for line in lines:
                pdf.multi_cell(0, 8, line)
                pdf.ln(4)
        if encrypt:
            pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
        return bytes(pdf.output())

    pages = [
        ["Page one of the Cairn test PDF.", "It has two paragraphs; this is the second one with café and naïve."],
        [],  # an empty page: its start is where the next page's text starts
        ["Page three talks about retrieval.", "Chunks carry the page number they start on."],
        ["Page four is the last page."],
    ]
    write("multipage.pdf", make(pages))
    write("single-page.pdf", make([["A single page PDF about Cairn."]]))
    write("encrypted.pdf", make([["Secret text that needs a password."]], encrypt=True))
    # A PDF header followed by garbage: no xref, no trailer, no pages.
    write("corrupted.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8 + b"\nthis is not a PDF body\n")


def docx_fixtures():
    doc = Document()
    doc.add_heading("Cairn Handbook", level=0)  # style "Title"
    doc.add_paragraph("The handbook explains ingestion.")
    doc.add_heading("Getting started", level=1)
    p = doc.add_paragraph("Upload a document. ")
    p.add_run("Bold text").bold = True
    p.add_run(" continues the same paragraph.")
    doc.add_heading("Details", level=2)
    doc.add_paragraph("Text in several scripts: 中文文本, العربية, emoji 🚀.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Setting"
    table.cell(0, 1).text = "Default"
    table.cell(1, 0).text = "chunk size"
    table.cell(1, 1).text = "256"
    brk = doc.add_paragraph("Before the page break.")
    brk.add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Appendix", level=1)
    doc.add_paragraph("Last paragraph.")
    out = io.BytesIO()
    doc.save(out)
    sample = out.getvalue()
    write("sample.docx", sample)

    # Zip bomb: a valid DOCX whose document.xml inflates to 100 MiB from about 100 KiB (long runs
    # of one byte compress about 1000:1).
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 65536 + b"</w:t></w:r></w:p>"
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    tail = b"</w:body></w:document>"
    repeats = (100 * 1024 * 1024) // len(paragraph)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample)) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"]:
            dst.writestr(name, src.read(name))
        # writestr (not a stream) puts the sizes in the headers, with no data descriptor.
        dst.writestr("word/document.xml", head + paragraph * repeats + tail, compresslevel=9)
    write("bomb.docx", bomb.getvalue())
    write("bomb-lying-sizes.docx", lie_about_size(bomb.getvalue(), "word/document.xml", 4096))

    # document.xml with a DTD (entity expansion is a classic XML bomb).
    dtd = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample)) as src, zipfile.ZipFile(dtd, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1)
            dst.writestr(item, data)
    write("dtd.docx", dtd.getvalue())

    notdocx = io.BytesIO()
    with zipfile.ZipFile(notdocx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "A zip archive that is not a Word document.")
    write("not-docx.zip", notdocx.getvalue())


def lie_about_size(data, name, fake):
    """Rewrites the uncompressed size of `name` in its local header and central directory entry,
    so only a reader that counts inflated bytes notices the bomb."""
    data = bytearray(data)
    encoded = name.encode()
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:
        if data[pos + 30:pos + 30 + len(encoded)] == encoded:
            struct.pack_into("<I", data, pos + 22, fake)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        if data[pos + 46:pos + 46 + len(encoded)] == encoded:
            struct.pack_into("<I", data, pos + 24, fake)
        pos += 4
    return bytes(data)


if __name__ == "__main__":
    text_fixtures()
    markdown_fixture()
    html_fixture()
    json_fixture()
    pdf_fixtures()
    docx_fixtures()
    for name in sorted(os.listdir(HERE)):
        print(f"{os.path.getsize(os.path.join(HERE, name)):>9}  {name}")
