"""Rebuilds NotoSansSC-feidi.otf, the font feidi embeds in every chart.

The source is Noto Sans CJK SC (face 2 of NotoSansCJK-Regular.ttc in Debian's
fonts-noto-cjk). The subset keeps GB2312 (every character of everyday Simplified
Chinese), Latin-1, general and CJK punctuation, full-width forms, arrows, mathematical
operators and a few symbols charts use (≤ ≥ × − ¥ ‰). Needs fonttools (pip install
fonttools). Usage: python3 make-subset.py [path/to/NotoSansCJK-Regular.ttc]
"""
import subprocess
import sys
from pathlib import Path

source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
here = Path(__file__).parent

chars = set()
for high in range(0xA1, 0xF8):
    for low in range(0xA1, 0xFF):
        try:
            chars.add(bytes([high, low]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [(0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF),
          (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2100, 0x214F), (0x2460, 0x24FF), (0x25A0, 0x25FF)]
for start, end in ranges:
    chars.update(chr(c) for c in range(start, end))
chars.update("−–—±×÷·‰¥€≈≤≥…“”‘’")

text_file = here / "subset-characters.txt"
text_file.write_text("".join(sorted(chars)), encoding="utf-8")
subprocess.run(["pyftsubset", source, "--font-number=2", f"--text-file={text_file}",
                f"--output-file={here / 'NotoSansSC-feidi.otf'}", "--no-hinting"], check=True)
text_file.unlink()
