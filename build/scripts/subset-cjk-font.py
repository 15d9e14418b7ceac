#!/usr/bin/env python3
"""Write the badge sheet's font: Droid Sans Fallback (Apache-2.0) cut down to the characters
of GB2312 (its 6763 hanzi and its symbols), ASCII and a few typographic marks, so the hub
binary carries about one megabyte of font instead of four. A name with a character outside
GB2312 (喆, 堃 …) prints that character as an empty box.

    python3 build/scripts/subset-cjk-font.py [SOURCE.ttf] [OUT.ttf]

Needs fontTools (Debian: apt-get install fonttools fonts-droid-fallback). The defaults are
Debian's copy of the font and sync/hub/pdffont/font/DroidSansFallback-GB2312.ttf.
"""
import sys

from fontTools import subset

SOURCE = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
OUT = "sync/hub/pdffont/font/DroidSansFallback-GB2312.ttf"


def gb2312():
    """Every character GB2312 encodes: rows 0xA1-0xF7, cells 0xA1-0xFE."""
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    dst = sys.argv[2] if len(sys.argv) > 2 else OUT
    chars = gb2312() | {chr(c) for c in range(0x20, 0x7F)} | set("·—–‘’“”…、。「」《》（）：；，！？")
    opts = subset.Options()
    opts.layout_features = []  # the sheet sets plain text: no shaping tables needed
    opts.name_IDs = ["*"]  # keep the copyright and licence records
    opts.notdef_outline = True
    opts.hinting = False
    font = subset.load_font(src, opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    subset.save_font(font, dst, opts)
    print(f"{dst}: {len(chars)} characters")


if __name__ == "__main__":
    main()
