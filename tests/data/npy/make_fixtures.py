#!/usr/bin/python3
"""Writes the small golden files of tst_binary_formats into this folder.

Run with /usr/bin/python3 (it needs numpy): ./make_fixtures.py
Every array's content follows a formula that the test recomputes, so the test checks values,
not only shapes:
  the 4 x 3 "grid" g[i, j] = 3 * i + j (0..11), shifted by -5 for signed integers,
  and 0.5 * g - 2.25 for floats (exact in float16); bool: (i + j) % 2.
"""
import gzip
import io
import os
import struct
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GRID = np.arange(12).reshape(4, 3)


def path(name):
    return os.path.join(HERE, name)


def grid_as(code):
    kind = code[1]
    if kind == 'f':
        return 0.5 * GRID - 2.25
    if kind == 'i':
        return GRID - 5
    if kind == 'b':
        return (GRID // 3 + GRID % 3) % 2 == 1
    return GRID


def save(name, array, version=None):
    with open(path(name), 'wb') as f:
        np.lib.format.write_array(f, array, version=version)


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0) as g:
        g.write(data)
    return buf.getvalue()


def npy_bytes(array, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, version=version)
    return buf.getvalue()


def zip64_archive(members):
    """A stored zip in which every size and offset goes through zip64 fields (as a > 4 GiB
    archive would), including the zip64 end records; Python's zipfile only does that when
    needed, so it is written by hand."""
    out = bytearray()
    central = bytearray()
    for name, data in members:
        name = name.encode()
        crc = zlib.crc32(data)
        offset = len(out)
        out += struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, 0, 0, 0x21, crc,
                           0xFFFFFFFF, 0xFFFFFFFF, len(name), 20)
        out += name + struct.pack('<HHQQ', 1, 16, len(data), len(data)) + data
        central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, 0, 0, 0x21, crc,
                               0xFFFFFFFF, 0xFFFFFFFF, len(name), 28, 0, 0, 0, 0, 0xFFFFFFFF)
        central += name + struct.pack('<HHQQQ', 1, 24, len(data), len(data), offset)
    dir_offset = len(out)
    out += central
    end64 = len(out)
    out += struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, len(members), len(members),
                       len(central), dir_offset)
    out += struct.pack('<IIQI', 0x07064b50, 0, end64, 1)
    out += struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(out)


def idx_bytes(array, type_code):
    header = struct.pack('>BBBB', 0, 0, type_code, array.ndim)
    header += struct.pack('>' + 'I' * array.ndim, *array.shape)
    return header + array.tobytes()


def main():
    # Every dtype in both byte orders (one-byte types have none).
    for code in ['f2', 'f4', 'f8', 'i2', 'i4', 'i8', 'u2', 'u4', 'u8']:
        for order, tag in (('<', 'le'), ('>', 'be')):
            save('dtype_%s_%s.npy' % (code, tag), grid_as('<' + code).astype(order + code))
    for code in ['i1', 'u1', 'b1']:
        save('dtype_%s.npy' % code, grid_as('|' + code).astype('|' + code))

    # Column-major storage: 2-D float32, and a 3-D big-endian int16 (general index mapping).
    save('fortran_f4.npy', np.asfortranarray(grid_as('<f4').astype('<f4')))
    cube = np.arange(24).reshape(2, 3, 4) - 7
    save('fortran_i2_3d.npy', np.asfortranarray(cube.astype('>i2')))

    # Format versions 2.0 and 3.0 (1.0 is what every other file uses).
    save('version2.npy', grid_as('<f8').astype('<f8'), version=(2, 0))
    save('version3.npy', grid_as('<f8').astype('<f8'), version=(3, 0))

    save('vector_f8.npy', np.array([1.5, -2.0, 3.25, 0.0, 1e10]))

    # Image stacks: 3 grey 4 x 5 images, 2 RGB 2 x 3 images; pixel = (100 * i + 7 * k) % 256.
    grey = (100 * np.arange(3)[:, None] + 7 * np.arange(20)[None, :]) % 256
    save('images_u1.npy', grey.reshape(3, 4, 5).astype(np.uint8))
    rgb = (100 * np.arange(2)[:, None] + 7 * np.arange(18)[None, :]) % 256
    save('images_rgb_u1.npy', rgb.reshape(2, 2, 3, 3).astype(np.uint8))

    with open(path('gzipped_f4.npy.gz'), 'wb') as f:
        f.write(gzip_bytes(npy_bytes(grid_as('<f4').astype('<f4'))))

    # Labels for the 4-row grids.
    save('labels_int.npy', np.array([2, 0, 1, 2], dtype=np.int64))
    save('labels_float.npy', np.array([0.5, 1.25, -3.0, 2.0]))
    # NaN is the only missing label (float arrays); -1 in an integer array is a label (+-1 classes).
    save('labels_missing.npy', np.array([np.nan, 7, 3, 7]))
    save('labels_pm1.npy', np.array([-1, 1, 1, -1], dtype=np.int32))
    save('labels_short.npy', np.array([1, 2, 3], dtype=np.int64))

    features = grid_as('<f4').astype(np.float32)
    labels = np.array([2, 0, 1, 2], dtype=np.int64)
    np.savez(path('stored.npz'), X=features, y=labels)
    np.savez_compressed(path('deflated.npz'), features=features, labels=labels)
    np.savez(path('positional.npz'), features.astype(np.float64))
    np.savez(path('ambiguous.npz'), emb=features, meta=features)
    np.savez(path('custom_names.npz'), emb=features, kind=np.array([0.5, 1.5, 2.5, 3.5]))
    # A str array (dtype '<U1') is a text label: categories named by the strings.
    np.savez(path('string_labels.npz'), X=features, y=np.array(['a', 'b', 'c', 'd']))
    # Label names are guessed as for CSV (label, labels, class, target, y; any case), and the first
    # that fits wins: this 'y' has 3 entries for 4 rows, 'Class' fits.
    np.savez(path('label_names.npz'), X=features, y=np.array([1, 2, 3]), Class=labels)
    with open(path('zip64.npz'), 'wb') as f:
        f.write(zip64_archive([('data.npy', npy_bytes(features)), ('target.npy', npy_bytes(labels))]))

    # IDX: 3 images of 2 x 3 pixels (pixel = 40 * i + 10 * r + c) with labels 4, 0, 9; plain,
    # gzipped, and gzipped images next to plain labels.
    images = (40 * np.arange(3)[:, None, None] + 10 * np.arange(2)[None, :, None]
              + np.arange(3)[None, None, :]).astype(np.uint8)
    idx_images = idx_bytes(images, 0x08)
    idx_labels = idx_bytes(np.array([4, 0, 9], dtype=np.uint8), 0x08)
    for name, data in (('tiny-images-idx3-ubyte', idx_images), ('tiny-labels-idx1-ubyte', idx_labels),
                       ('mixed-images-idx3-ubyte.gz', gzip_bytes(idx_images)),
                       ('mixed-labels-idx1-ubyte', idx_labels)):
        with open(path(name), 'wb') as f:
            f.write(data)
    for name, data in (('gz-images-idx3-ubyte.gz', idx_images), ('gz-labels-idx1-ubyte.gz', idx_labels)):
        with open(path(name), 'wb') as f:
            f.write(gzip_bytes(data))
    # Gzipped files cut short inside the data: errors count decompressed bytes and say so.
    with open(path('gz-cut-images-idx3-ubyte.gz'), 'wb') as f:
        f.write(gzip_bytes(idx_images[:-1]))
    with open(path('gzipped_cut.npy.gz'), 'wb') as f:
        f.write(gzip_bytes(npy_bytes(grid_as('<f4').astype('<f4'))[:-4]))
    # Big-endian int16 and float64 IDX images (no labels file).
    with open(path('int16-images-idx3'), 'wb') as f:
        f.write(idx_bytes((cube - 300).astype('>i2'), 0x0B))
    with open(path('float64-images-idx3'), 'wb') as f:
        f.write(idx_bytes((cube * 0.25).astype('>f8'), 0x0E))

    # The files must load in numpy as intended.
    assert np.array_equal(np.load(path('fortran_i2_3d.npy')), cube)
    with np.load(path('zip64.npz')) as z:
        assert np.array_equal(z['data'], features) and np.array_equal(z['target'], labels)


if __name__ == '__main__':
    main()
