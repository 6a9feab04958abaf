#!/usr/bin/python3
"""Write the small FITS fixtures of src/main/fits tests, and the values astropy reads from them.

Run with Debian's python (it has astropy):  /usr/bin/python3 scripts/golden/fitsFixtures.py
Outputs (all small, committed): test/fixtures/fits/*.fits, expected.json (astropy's values for the
fixtures) and realFiles.json (astropy's view of every image in /work/shared/data/real).
"""
import json
import math
import os
import re
import sys

import numpy as np
from astropy.io import fits

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', '..', 'test', 'fixtures', 'fits'))
REAL = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'real'))
rng = np.random.default_rng(20240601)


def jsonable(arr):
    """Flatten to a list with None for NaN (JSON has no NaN); floats keep full double precision."""
    out = []
    for v in np.asarray(arr, dtype=np.float64).ravel():
        out.append(None if math.isnan(v) else float(v))
    return out


def physical(path, hdu_index=0):
    """astropy's scaled data, with astropy's raw-unscaled read used to mark BLANK pixels as NaN
    (astropy leaves BLANK in place when the scaling is trivial)."""
    with fits.open(path) as f:
        hdu = f[hdu_index]
        data = np.array(hdu.data, dtype=np.float64)
        blank = hdu.header.get('BLANK')
        bitpix = hdu.header['BITPIX']
    if blank is not None and bitpix > 0:
        with fits.open(path, do_not_scale_image_data=True) as f:
            raw = np.array(f[hdu_index].data)
        data[raw == blank] = np.nan
    return data


def write_scaled(name, raw, bscale=None, bzero=None, blank=None):
    """Write raw stored integers as they are, with the scaling keywords set by hand."""
    hdu = fits.PrimaryHDU(raw)
    if bscale is not None:
        hdu.header['BSCALE'] = bscale
    if bzero is not None:
        hdu.header['BZERO'] = bzero
    if blank is not None:
        hdu.header['BLANK'] = blank
    hdu.header['BUNIT'] = 'Jy/beam'
    path = os.path.join(OUT, name)
    hdu.writeto(path, overwrite=True)
    # Guard: astropy must have stored the raw integers untouched.
    with fits.open(path, do_not_scale_image_data=True) as f:
        assert np.array_equal(f[0].data, raw, equal_nan=raw.dtype.kind == "f"), name
    return path


def fixtures():
    expected = {}
    w, h = 11, 7

    raw8 = rng.integers(0, 255, size=(h, w), dtype=np.uint8)
    raw8[0, 3] = 255
    raw8[4, 9] = 255
    raw16 = rng.integers(-32767, 32767, size=(h, w), dtype=np.int16)
    raw16[1, 1] = -32768
    raw32 = rng.integers(-2**31 + 1, 2**31 - 1, size=(h, w), dtype=np.int32)
    raw32[6, 10] = -2**31
    raw64 = rng.integers(-2**52, 2**52, size=(h, w), dtype=np.int64)
    raw64[2, 5] = np.iinfo(np.int64).min
    f32 = rng.normal(0, 1e-3, size=(h, w)).astype(np.float32)
    f32[3, 3] = np.nan
    f64 = rng.normal(5, 2, size=(h, w))
    f64[0, 0] = np.nan

    cases = {
        'bitpix8.fits': write_scaled('bitpix8.fits', raw8, 2.0, -100.0, 255),
        'bitpix16.fits': write_scaled('bitpix16.fits', raw16, 1e-3, 5.0, -32768),
        'bitpix32.fits': write_scaled('bitpix32.fits', raw32, 1.5e-4, -3.0, -2**31),
        'bitpix64.fits': write_scaled('bitpix64.fits', raw64, 0.5, 0.0, int(np.iinfo(np.int64).min)),
        'bitpix-32.fits': write_scaled('bitpix-32.fits', f32, 2.0, 1.0),
        'bitpix-64.fits': write_scaled('bitpix-64.fits', f64),
    }
    # Unsigned 16-bit as astropy writes it natively (BZERO = 32768, no BSCALE card).
    u16 = rng.integers(0, 65535, size=(h, w), dtype=np.uint16)
    path = os.path.join(OUT, 'uint16.fits')
    fits.PrimaryHDU(u16).writeto(path, overwrite=True)
    cases['uint16.fits'] = path
    for name, path in cases.items():
        with fits.open(path) as f:
            hd = f[0].header
            expected[name] = {'width': hd['NAXIS1'], 'height': hd['NAXIS2'], 'bitpix': hd['BITPIX'],
                              'values': jsonable(physical(path))}

    # A 4-D cube with two non-degenerate plane axes: values encode (x, y, channel, stokes).
    cube = np.zeros((2, 3, 6, 9), dtype=np.float32)
    for s in range(2):
        for c in range(3):
            cube[s, c] = np.arange(54, dtype=np.float32).reshape(6, 9) + 100 * c + 1000 * s
    hdu = fits.PrimaryHDU(cube)
    hdu.header['CTYPE1'] = 'RA---SIN'
    hdu.header['CTYPE2'] = 'DEC--SIN'
    hdu.header['CTYPE3'] = 'FREQ'
    hdu.header['CTYPE4'] = 'STOKES'
    path = os.path.join(OUT, 'cube.fits')
    hdu.writeto(path, overwrite=True)
    with fits.open(path) as f:
        expected['cube.fits'] = {'axes': list(f[0].data.shape[::-1]), 'values': jsonable(f[0].data)}

    # Empty primary, a BINTABLE, then the image in an IMAGE extension.
    table = fits.BinTableHDU.from_columns([fits.Column(name='flux', format='E', array=np.arange(5, dtype=np.float32))], name='CAT')
    img = fits.ImageHDU((np.arange(12 * 5, dtype=np.int16).reshape(5, 12) - 30), name='SCI')
    img.header['BSCALE'] = 0.25
    img.header['BZERO'] = 10.0
    path = os.path.join(OUT, 'extensions.fits')
    fits.HDUList([fits.PrimaryHDU(), table, img]).writeto(path, overwrite=True)
    with fits.open(path) as f:
        expected['extensions.fits'] = {
            'hdus': [{'name': x.name, 'kind': type(x).__name__} for x in f],
            'values': jsonable(physical(path, 2)),
        }

    # A header with every card syntax the parser must handle; END falls in the second 2880-byte block.
    hdu = fits.PrimaryHDU(np.zeros((3, 4), dtype=np.float32))
    hd = hdu.header
    longstr = ('This is a long string value that needs more than one card, so astropy '
                     "writes it with the CONTINUE convention; it has 'quotes' too. END")
    hd['LONGSTR'] = longstr
    hd['QUOTED'] = ("it's a 'quoted' value", 'quotes doubled inside')
    hd['HIERARCH ESO DET CHIP NAME'] = 'CCD-42'
    hd['HIERARCH ESO TEL ALT'] = 45.5
    hd['FLAGT'] = (True, 'a logical')
    hd['FLAGF'] = False
    hd['INTVAL'] = -42
    hd['BIGINT'] = 123456789012
    hd['REALVAL'] = (-1.25e-7, 'a real')
    hd.append(fits.Card.fromstring("DEXP    =             1.5D+03 / a D exponent"))
    hd.append(fits.Card.fromstring("UNDEF   =                      / undefined value"))
    hd['COMMENT'] = 'a comment card'
    hd['HISTORY'] = 'AIPS   CLEAN BMAJ=  6.1111E-03 BMIN=  5.0000E-03 BPA=  12.50'
    hd.append(fits.Card('', 'text under a blank keyword'), bottom=True)
    hd.append(fits.Card('', ''), bottom=True)
    for i in range(40):
        hd[f'PAD{i:02d}'] = (i, 'filler so that END lands in block 2')
    path = os.path.join(OUT, 'header.fits')
    hdu.writeto(path, overwrite=True)
    with fits.open(path) as f:
        hd = f[0].header
        values = {}
        for card in hd.cards:
            if card.keyword in ('COMMENT', 'HISTORY', ''):
                continue
            v = card.value
            values[card.keyword] = None if isinstance(v, fits.card.Undefined) else v
        expected['header.fits'] = {
            'values': values,
            'comments': [str(c) for c in hd['COMMENT']],
            'history': [str(c) for c in hd['HISTORY']],
            'ncards': len(hd.cards),
            # astropy drops the blank before '&' at a CONTINUE boundary when reading; the FITS standard
            # keeps it, so the tests expect the string as written.
            'longstrWritten': longstr,
        }
    return expected


NUM = r'([-+]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][-+]?\d+)?)'
HIST = re.compile(rf'BMAJ\s*=\s*{NUM}\s+BMIN\s*=\s*{NUM}\s+BPA\s*=\s*{NUM}', re.I)


def beam_of(hd):
    if 'BMAJ' in hd and 'BMIN' in hd:
        return {'bmajDeg': hd['BMAJ'], 'bminDeg': hd['BMIN'], 'bpaDeg': hd.get('BPA', 0.0), 'source': 'BMAJ'}
    if 'CLEANBMJ' in hd and 'CLEANBMN' in hd:
        return {'bmajDeg': hd['CLEANBMJ'], 'bminDeg': hd['CLEANBMN'], 'bpaDeg': hd.get('CLEANBPA', 0.0), 'source': 'CLEANBMJ'}
    beam = None
    for line in hd.get('HISTORY', []):
        m = HIST.search(str(line))
        if m:
            beam = {'bmajDeg': float(m.group(1)), 'bminDeg': float(m.group(2)), 'bpaDeg': float(m.group(3)), 'source': 'HISTORY'}
    return beam


def real_files():
    out = {}
    for name in sorted(os.listdir(REAL)):
        if not name.endswith('.fits'):
            continue
        path = os.path.join(REAL, name)
        with fits.open(path) as f:
            idx = next((i for i, x in enumerate(f) if x.is_image and x.header.get('NAXIS', 0) >= 2), None)
            if idx is None:
                out[name] = {'image': False, 'hdus': len(f)}
                continue
            hd = f[idx].header
            naxis = hd['NAXIS']
            plane0 = physical(path, idx)
            while plane0.ndim > 2:
                plane0 = plane0[0]
            ys, xs = np.meshgrid(np.linspace(0, plane0.shape[0] - 1, 5).astype(int),
                                 np.linspace(0, plane0.shape[1] - 1, 5).astype(int), indexing='ij')
            samples = [[int(x), int(y), None if math.isnan(plane0[y, x]) else float(plane0[y, x])]
                       for x, y in zip(xs.ravel(), ys.ravel())]
            finite = plane0[np.isfinite(plane0)]
            out[name] = {
                'image': True, 'hdu': idx, 'hdus': len(f),
                'width': hd['NAXIS1'], 'height': hd['NAXIS2'], 'bitpix': hd['BITPIX'],
                'bunit': str(hd.get('BUNIT', '')).strip(),
                'planeAxes': [{'ctype': str(hd.get(f'CTYPE{i}', '')).strip(), 'length': hd[f'NAXIS{i}']} for i in range(3, naxis + 1)],
                'beam': beam_of(hd),
                'nanCount': int(plane0.size - finite.size),
                'finiteSum': float(finite.sum(dtype=np.float64)),
                'min': float(finite.min()), 'max': float(finite.max()),
                'samples': samples,
            }
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'expected.json'), 'w') as fh:
        json.dump(fixtures(), fh, indent=1)
    with open(os.path.join(OUT, 'realFiles.json'), 'w') as fh:
        json.dump(real_files(), fh, indent=None)
        fh.write('\n')


if __name__ == '__main__':
    main()
