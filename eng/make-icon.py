#!/usr/bin/env python3
"""Draws the packages' icon, eng/icon.png (128 x 128 RGBA): a ring of arrows, the feedback loop, around a rising dot.

Standard library only (zlib + struct write the PNG), so it runs anywhere python3 does:
    python3 eng/make-icon.py
The output is byte-identical on every run; the packages reference the committed PNG.
"""
import math
import os
import struct
import zlib

SIZE = 128
SUPER = 4  # samples per pixel side, for anti-aliased edges

BACKGROUND = (27, 94, 152)   # a deep blue tile
RING = (255, 255, 255)
DOT = (255, 196, 61)


def coverage(x, y):
    """Returns (tile, ring, dot) coverage of one sub-sample at (x, y) in pixel units."""
    c = SIZE / 2
    # rounded-square tile
    r = 22.0
    dx = max(abs(x - c) - (c - r), 0.0)
    dy = max(abs(y - c) - (c - r), 0.0)
    tile = dx * dx + dy * dy <= r * r
    # ring of radius 38, width 11, with a gap (the arrow's head) around 45 degrees
    d = math.hypot(x - c, y - c)
    angle = math.degrees(math.atan2(c - y, x - c)) % 360
    ring = 32.5 <= d <= 43.5 and not (20 <= angle <= 62)
    # arrow head: a triangle at the end of the ring, pointing clockwise
    head_tip = (c + 38 * math.cos(math.radians(20)), c - 38 * math.sin(math.radians(20)))
    base = math.radians(66)
    b1 = (c + 26 * math.cos(base), c - 26 * math.sin(base))
    b2 = (c + 52 * math.cos(base), c - 52 * math.sin(base))
    head = inside_triangle((x, y), head_tip, b1, b2)
    dot = math.hypot(x - c, y - c) <= 14
    return tile, ring or head, dot


def inside_triangle(p, a, b, c):
    def sign(p1, p2, p3):
        return (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1])
    d1, d2, d3 = sign(p, a, b), sign(p, b, c), sign(p, c, a)
    neg = d1 < 0 or d2 < 0 or d3 < 0
    pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (neg and pos)


def pixel(px, py):
    acc = [0.0, 0.0, 0.0, 0.0]
    n = SUPER * SUPER
    for sy in range(SUPER):
        for sx in range(SUPER):
            tile, ring, dot = coverage(px + (sx + 0.5) / SUPER, py + (sy + 0.5) / SUPER)
            if not tile:
                continue
            colour = DOT if dot else RING if ring else BACKGROUND
            for i in range(3):
                acc[i] += colour[i]
            acc[3] += 255
    if acc[3] == 0:
        return (0, 0, 0, 0)
    covered = acc[3] / 255
    return tuple(round(v / covered) for v in acc[:3]) + (round(acc[3] / n),)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # filter: none
        for x in range(SIZE):
            rows.extend(pixel(x, y))
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    png += chunk(b"IEND", b"")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(path, "wb") as f:
        f.write(png)
    print(path, len(png), "bytes")


if __name__ == "__main__":
    main()
