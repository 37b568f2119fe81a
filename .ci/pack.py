"""Packs bytes for the single-file build: python3 .ci/pack.py < in > out

LZMA (the .lzma "alone" format, preset 9e: the smallest the standard
library makes), after its length as 4 bytes little-endian, written as text7, the text a data block in an HTML page keeps
intact. src/bin/waymark-unpack.rs documents text7 and unpacks both in the
browser; .ci/post-build.mjs runs that decoder on this output at build time.
"""

import lzma
import sys

ESCAPED = {0x00: 0, 0x0D: 1, ord("<"): 2}


def text7(data: bytes) -> str:
    groups = []
    bits = held = 0
    for byte in data:
        bits = (bits << 8) | byte
        held += 8
        while held >= 7:
            held -= 7
            groups.append(bits >> held)
            bits &= (1 << held) - 1
    if held:
        groups.append(bits << (7 - held))
    out = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if g in ESCAPED:
            nxt = groups[i + 1] if i + 1 < len(groups) else 0
            out.append(chr(0x80 + ESCAPED[g] * 128 + nxt))
            i += 2
        else:
            out.append(chr(g))
            i += 1
    return "".join(out)


if __name__ == "__main__":
    packed = lzma.compress(sys.stdin.buffer.read(), format=lzma.FORMAT_ALONE, preset=9 | lzma.PRESET_EXTREME)
    # Padding can add a byte the LZMA decoder would take for more data.
    sys.stdout.buffer.write(text7(len(packed).to_bytes(4, "little") + packed).encode("utf-8"))
