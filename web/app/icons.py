"""Draws the app's PNG icons (192 and 512 px) of icon.svg's shapes with the
standard library alone: a blue rounded square, a white sheet, three lines.
Usage: python3 icons.py OUT_DIR"""
import struct
import sys
import zlib

BLUE = (0x1D, 0x4F, 0x91)
WHITE = (0xFF, 0xFF, 0xFF)


def inside_rounded(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x < x1 and y0 <= y < y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def pixel(u, v):
    """The colour at (u, v) in icon.svg's 512-unit square, or None (transparent)."""
    if not inside_rounded(u, v, 0, 0, 512, 512, 96):
        return None
    if inside_rounded(u, v, 136, 112, 376, 412, 24):
        for y, x_end in ((196, 336), (256, 336), (316, 276)):
            if inside_rounded(u, v, 162, y - 14, x_end + 14, y + 14, 14):
                return BLUE
        return WHITE
    return BLUE


def png(size):
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            c = pixel((x + 0.5) * 512 / size, (y + 0.5) * 512 / size)
            rows.extend((0, 0, 0, 0) if c is None else (*c, 255))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    for size in (192, 512):
        with open(f"{sys.argv[1]}/icon-{size}.png", "wb") as f:
            f.write(png(size))
