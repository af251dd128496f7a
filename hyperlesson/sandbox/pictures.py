"""Small pictures of our own making, encoded here by hand (pure; no imaging library).

Each format is written with the least of its specification that a decoder needs: PNG
(RFC 2083: one IDAT, no filter), baseline JPEG (ITU T.81: greyscale, every 8x8 block
one shade, so only DC coefficients and the end-of-block code), lossless WebP (VP8L with
no transform and "simple" prefix codes of one or two symbols). The picture is the same
in each: a checkerboard, built once at import (a few hundred bytes each).
"""

from __future__ import annotations

import struct
import zlib

# httpbin's order of preference for /image, and what its 406 lists.
IMAGE_TYPES = ("image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*")
SIZE = 32  # pixels a side; a multiple of the 8x8 JPEG block
SQUARE = 8  # pixels a checker square


def dark(x: int, y: int) -> bool:
    return (x // SQUARE + y // SQUARE) % 2 == 0


# --- PNG ------------------------------------------------------------------------------

DARK_RGB, LIGHT_RGB = (0x1f, 0x4e, 0x79), (0xf2, 0xc1, 0x4e)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(
        b"\x00" + b"".join(bytes(DARK_RGB if dark(x, y) else LIGHT_RGB) for x in range(SIZE))
        for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


# --- JPEG -----------------------------------------------------------------------------

# The standard luminance DC table (T.81 Table K.3): code lengths 1..16, then symbols.
DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
DC_SYMBOLS = tuple(range(12))
# Every block ends at once: the AC table needs one symbol, end-of-block (0x00).
AC_BITS = (1,) + (0,) * 15
AC_SYMBOLS = (0,)
DARK_GREY, LIGHT_GREY = 48, 208


class BitWriter:
    """MSB-first bits, as JPEG writes them, with 0xFF stuffed by a 0x00."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.bits = 0
        self.count = 0

    def write(self, value: int, length: int) -> None:
        for shift in range(length - 1, -1, -1):
            self.bits = (self.bits << 1) | ((value >> shift) & 1)
            self.count += 1
            if self.count == 8:
                self.out.append(self.bits)
                if self.bits == 0xFF:
                    self.out.append(0)
                self.bits, self.count = 0, 0

    def flush(self) -> bytes:
        while self.count:
            self.write(1, 1)  # pad with ones
        return bytes(self.out)


def canonical_codes(bits: tuple[int, ...], symbols: tuple[int, ...]) -> dict[int, tuple]:
    """symbol -> (code, length) from a DHT's counts per length (T.81 Annex C)."""
    codes, code, index = {}, 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[symbols[index]] = (code, length)
            code += 1
            index += 1
        code <<= 1
    return codes


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", marker, len(payload) + 2) + payload


def jpeg() -> bytes:
    dc_codes = canonical_codes(DC_BITS, DC_SYMBOLS)
    ac_end = canonical_codes(AC_BITS, AC_SYMBOLS)[0]
    writer, previous = BitWriter(), 0
    for block_y in range(0, SIZE, 8):
        for block_x in range(0, SIZE, 8):
            grey = DARK_GREY if dark(block_x, block_y) else LIGHT_GREY
            dc = 8 * (grey - 128)  # the DCT's DC term of a flat block, quantised by 1
            diff, previous = dc - previous, dc
            category = abs(diff).bit_length()
            writer.write(*dc_codes[category])
            if category:
                writer.write(diff if diff > 0 else diff + (1 << category) - 1, category)
            writer.write(*ac_end)
    frame = struct.pack(">BHHB", 8, SIZE, SIZE, 1) + bytes((1, 0x11, 0))
    return b"".join((
        b"\xff\xd8",
        _segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        _segment(0xFFDB, b"\x00" + b"\x01" * 64),  # every quantiser 1
        _segment(0xFFC0, frame),
        _segment(0xFFC4, b"\x00" + bytes(DC_BITS) + bytes(DC_SYMBOLS)
                 + b"\x10" + bytes(AC_BITS) + bytes(AC_SYMBOLS)),
        _segment(0xFFDA, bytes((1, 1, 0x00, 0, 63, 0))),
        writer.flush(),
        b"\xff\xd9",
    ))


# --- WebP (lossless) ------------------------------------------------------------------

# The two colours differ in green only, so green is the one channel that costs a bit.
WEBP_RED, WEBP_BLUE, WEBP_GREENS = 0x1f, 0x79, (0x4e, 0xc1)


class LsbWriter:
    """LSB-first bits, as VP8L reads them."""

    def __init__(self) -> None:
        self.value = 0
        self.count = 0

    def write(self, value: int, length: int) -> None:
        self.value |= value << self.count
        self.count += length

    def to_bytes(self) -> bytes:
        return self.value.to_bytes((self.count + 7) // 8, "little")


def _simple_code(writer: LsbWriter, *symbols: int) -> None:
    """A "simple" prefix code: one symbol (0 bits each) or two (1 bit; the smaller is 0)."""
    writer.write(1, 1)
    writer.write(len(symbols) - 1, 1)
    writer.write(1, 1)  # symbols of 8 bits
    for symbol in symbols:
        writer.write(symbol, 8)


def webp() -> bytes:
    bits = LsbWriter()
    bits.write(0x2F, 8)  # VP8L signature
    bits.write(SIZE - 1, 14)
    bits.write(SIZE - 1, 14)
    bits.write(0, 1)  # no alpha
    bits.write(0, 3)  # version 0
    bits.write(0, 1)  # no transform
    bits.write(0, 1)  # no colour cache
    bits.write(0, 1)  # one set of prefix codes for the whole image
    _simple_code(bits, *sorted(WEBP_GREENS))
    _simple_code(bits, WEBP_RED)
    _simple_code(bits, WEBP_BLUE)
    _simple_code(bits, 0xFF)  # alpha
    _simple_code(bits, 0)  # distance, unused
    dark_bit = 0 if WEBP_GREENS[0] < WEBP_GREENS[1] else 1
    for y in range(SIZE):
        for x in range(SIZE):
            bits.write(dark_bit if dark(x, y) else 1 - dark_bit, 1)
    data = bits.to_bytes()
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


# --- SVG ------------------------------------------------------------------------------

def svg() -> bytes:
    squares = "".join(
        f'<rect x="{x}" y="{y}" width="{SQUARE}" height="{SQUARE}"/>'
        for y in range(0, SIZE, SQUARE) for x in range(0, SIZE, SQUARE) if dark(x, y))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
            f'viewBox="0 0 {SIZE} {SIZE}"><title>A checkerboard</title>'
            f'<rect width="{SIZE}" height="{SIZE}" fill="#f2c14e"/>'
            f'<g fill="#1f4e79">{squares}</g></svg>\n').encode()
