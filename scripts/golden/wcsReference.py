#!/usr/bin/python3
"""Reference values for the TypeScript WCS module, computed with astropy (wcslib).

Run:  /usr/bin/python3 scripts/golden/wcsReference.py   (writes test/fixtures/wcs/golden.json)

Per case: the header cards as a JSON dict (so the TS test needs no FITS reader), Pixel0 points and
astropy's `wcs.celestial.all_pix2world(points, 0)` in the native frame (null where astropy gives NaN),
plus wcslib's view of the frame (radesys, equinox). Also frame conversions, sexagesimal strings and
parsed coordinate strings.
"""
import glob
import json
import math
import os
import sys
import warnings

import numpy as np
from astropy import units as u
from astropy.coordinates import FK4, FK5, ICRS, Angle, Galactic, SkyCoord
from astropy.io import fits
from astropy.time import Time
from astropy.wcs import WCS, FITSFixedWarning

warnings.simplefilter('ignore', FITSFixedWarning)
warnings.simplefilter('ignore', fits.verify.VerifyWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REAL = os.environ.get('CIRASA_REAL_DATA', os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'real')))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'wcs', 'golden.json')
COMMENTARY = {'COMMENT', 'HISTORY', ''}


def cards_of(header):
    out = {}
    for card in header.cards:
        if card.keyword in COMMENTARY or card.value is None or isinstance(card.value, fits.card.Undefined):
            continue
        v = card.value
        if isinstance(v, (bool, np.bool_)):
            v = bool(v)
        elif isinstance(v, (int, np.integer)):
            v = int(v)
        elif isinstance(v, (float, np.floating)):
            v = float(v)
        else:
            v = str(v)
        out.setdefault(card.keyword, v)
    return out


def points_for(nx, ny, crpix):
    pts = [(0, 0), (nx - 1, 0), (0, ny - 1), (nx - 1, ny - 1), ((nx - 1) / 2, (ny - 1) / 2),
           (crpix[0] - 1, crpix[1] - 1), (crpix[0] - 1 + 0.5, crpix[1] - 1 - 0.25)]
    for fx in (0.1, 0.37, 0.63, 0.9):
        for fy in (0.15, 0.5, 0.85):
            pts.append((fx * (nx - 1), fy * (ny - 1)))
    # far outside the image: beyond projection domains for the all-sky cases
    for fx, fy in ((-1.5, 0.5), (2.5, 0.5), (0.5, -1.5), (0.5, 2.5), (-3, -3), (4, 4)):
        pts.append((fx * nx, fy * ny))
    return [(float(x), float(y)) for x, y in pts]


def case(name, header, nx=None, ny=None):
    w = WCS(header)
    c = w.celestial
    nx = nx or int(header.get('NAXIS1', 100)) or 100
    ny = ny or int(header.get('NAXIS2', 100)) or 100
    crpix = c.wcs.crpix
    pts = points_for(nx, ny, crpix)
    world = c.all_pix2world(np.array(pts), 0)
    worlds = [None if not (np.isfinite(a) and np.isfinite(b)) else [float(a), float(b)] for a, b in world]
    # world -> pixel straight from astropy, for sky positions around the reference point and far away
    # (far side of the sphere, beyond the domain): NaN there must be null in TS.
    lon0, lat0 = (float(v) for v in c.wcs.crval)
    if c.wcs.lat == 0:  # celestial axes transposed: crval is (lat, lon)
        lon0, lat0 = lat0, lon0
    sky = []
    for dlon, dlat in ((0, 0), (0.01, 0.02), (-0.3, 0.1), (2, -1.5), (10, 5), (-25, -20), (60, 10), (120, -30), (179.5, 0), (200, 45)):
        sky.append(((lon0 + dlon) % 360.0, max(-89.999, min(89.999, lat0 + dlat))))
    # (lon exactly crval+180 is the phi = +-180 seam of all-sky projections, where either answer is right)
    sky += [((lon0 + 37.0) % 360.0, 89.5), ((lon0 + 37.0) % 360.0, -89.5)]
    sky_in = np.array(sky)
    if c.wcs.lat == 0:
        sky_in = sky_in[:, ::-1]
    with np.errstate(invalid='ignore'):
        pix = c.wcs_world2pix(sky_in, 0)
    pixels_of_world = [None if not (np.isfinite(a) and np.isfinite(b)) else [float(a), float(b)] for a, b in pix]
    c.wcs.set()
    return {
        'sky': [list(p) for p in sky],
        'skyPixels': pixels_of_world,
        'name': name,
        'cards': cards_of(header),
        'radesys': c.wcs.radesys,
        'equinox': None if not np.isfinite(c.wcs.equinox) else float(c.wcs.equinox),
        'ctype': list(c.wcs.ctype),
        'lonpole': float(c.wcs.lonpole),
        'latpole': float(c.wcs.latpole),
        'pixels': [list(p) for p in pts],
        'world': worlds,
    }


def real_cases():
    out = []
    for path in sorted(glob.glob(os.path.join(REAL, '*.fits'))):
        with fits.open(path) as hdul:
            for i, hdu in enumerate(hdul):
                h = hdu.header
                if 'CTYPE1' not in h:
                    continue
                try:
                    out.append(dict(case(f'real:{os.path.basename(path)}[{i}]', h), file=os.path.basename(path), hdu=i))
                except Exception as e:  # report, do not hide
                    print('skip', path, i, e, file=sys.stderr)
                break
    return out


def synthetic_header(proj, form, frame='fk5', crval=(150.0, 30.0), extra=None, scale=0.05, n=1000):
    lon, lat = ('GLON', 'GLAT') if frame == 'galactic' else ('RA--', 'DEC-')
    h = fits.Header()
    h['NAXIS'] = 2
    h['NAXIS1'] = n
    h['NAXIS2'] = n
    h['CTYPE1'] = f'{lon}-{proj}'.ljust(8, '-')[:5] + proj if len(lon) == 4 else lon
    h['CTYPE1'] = (lon + '-' + proj) if lon != 'RA--' else 'RA---' + proj
    h['CTYPE2'] = (lat + '-' + proj) if lat != 'DEC-' else 'DEC--' + proj
    h['CRPIX1'] = n / 2 + 0.5
    h['CRPIX2'] = n / 2 - 10.25
    h['CRVAL1'] = crval[0]
    h['CRVAL2'] = crval[1]
    if form == 'cdelt':
        h['CDELT1'] = -scale
        h['CDELT2'] = scale
    elif form == 'pc':
        h['CDELT1'] = -scale
        h['CDELT2'] = scale * 1.1
        h['PC1_1'] = math.cos(0.3)
        h['PC1_2'] = -math.sin(0.3)
        h['PC2_1'] = math.sin(0.3)
        h['PC2_2'] = math.cos(0.3)
    elif form == 'cd':  # with skew
        h['CD1_1'] = -scale
        h['CD1_2'] = 0.2 * scale
        h['CD2_1'] = 0.1 * scale
        h['CD2_2'] = 0.9 * scale
    elif form == 'crota':
        h['CDELT1'] = -scale
        h['CDELT2'] = scale * 0.8
        h['CROTA2'] = 25.0
    elif form == 'aips_pc':
        h['CDELT1'] = -scale
        h['CDELT2'] = scale
        h['PC001001'] = math.cos(-0.2)
        h['PC001002'] = -math.sin(-0.2)
        h['PC002001'] = math.sin(-0.2)
        h['PC002002'] = math.cos(-0.2)
    if frame == 'fk5':
        h['RADESYS'] = 'FK5'
        h['EQUINOX'] = 2000.0
    elif frame == 'icrs':
        h['RADESYS'] = 'ICRS'
    elif frame == 'fk4':
        h['RADESYS'] = 'FK4'
        h['EQUINOX'] = 1950.0
    for k, v in (extra or {}).items():
        h[k] = v
    return h


def synthetic_cases():
    out = []
    projs = ['SIN', 'TAN', 'ARC', 'CAR', 'ZEA', 'AIT', 'STG', 'SFL', 'MER']
    forms = ['cdelt', 'pc', 'cd', 'crota', 'aips_pc']
    frames = ['fk5', 'icrs', 'fk4', 'galactic']
    for i, p in enumerate(projs):
        for j, f in enumerate(forms):
            fr = frames[(i + j) % len(frames)]
            # small scale for zenithal far-side checks, large for all-sky projections
            scale = 0.2 if p in ('AIT', 'CAR', 'MER', 'SFL', 'ZEA', 'ARC') else 0.02
            out.append(case(f'syn:{p}-{f}-{fr}', synthetic_header(p, f, fr, scale=scale), 1000, 1000))
    specials = [
        ('sin-pv-slant', 'SIN', 'cdelt', 'fk5', (10.0, -20.0), {'PV2_1': 0.1, 'PV2_2': -0.2}, 0.01),
        ('ncp-legacy', 'NCP', 'cdelt', 'fk5', (200.0, 35.0), {}, 0.02),
        ('ncp-south', 'NCP', 'crota', 'fk4', (83.0, -60.0), {}, 0.02),
        ('gls-offset', 'GLS', 'cdelt', 'fk5', (40.0, 25.0), {}, 0.05),
        ('gls-equator', 'GLS', 'cdelt', 'icrs', (40.0, 0.0), {}, 0.05),
        ('tan-lonpole', 'TAN', 'cdelt', 'fk5', (120.0, 40.0), {'LONPOLE': 150.0}, 0.02),
        ('car-lonpole-latpole', 'CAR', 'cdelt', 'galactic', (30.0, 40.0), {'LONPOLE': 0.0, 'LATPOLE': -40.0}, 0.1),
        ('car-latpole', 'CAR', 'pc', 'fk5', (30.0, 40.0), {'LATPOLE': 30.0}, 0.1),
        ('ait-galactic-allsky', 'AIT', 'cdelt', 'galactic', (0.0, 0.0), {}, 0.4),
        ('sin-north-pole', 'SIN', 'cd', 'fk5', (0.0, 90.0), {}, 0.02),
        ('tan-south-pole', 'TAN', 'crota', 'icrs', (45.0, -90.0), {}, 0.02),
        ('zea-pole', 'ZEA', 'cdelt', 'galactic', (0.0, 90.0), {}, 0.2),
        ('sin-ra-wrap', 'SIN', 'cdelt', 'fk5', (0.3, 10.0), {}, 0.01),
        ('stg-near-pole', 'STG', 'pc', 'fk4', (300.0, 85.0), {}, 0.05),
        ('mer-lonpole', 'MER', 'cd', 'icrs', (100.0, 20.0), {'LONPOLE': 180.0}, 0.1),
        ('sfl-fiducial-pv', 'SFL', 'cdelt', 'fk5', (60.0, 20.0), {'PV1_0': 1, 'PV1_1': 0.0, 'PV1_2': 20.0}, 0.05),
        ('fk5-j2010', 'TAN', 'cdelt', 'fk5', (60.0, 20.0), {'EQUINOX': 2010.0}, 0.01),
        ('epoch-1950-only', 'SIN', 'cdelt', 'none', (60.0, 20.0), {'EPOCH': 1950.0}, 0.01),
        ('no-frame-keywords', 'SIN', 'cdelt', 'none', (60.0, 20.0), {}, 0.01),
    ]
    for name, p, f, fr, crval, extra, scale in specials:
        h = synthetic_header(p, f, fr, crval, extra, scale)
        try:
            out.append(case(f'syn:{name}', h, 1000, 1000))
        except Exception as e:  # astropy rejects the header: the TS code must reject it too
            out.append({'name': f'syn:{name}', 'cards': cards_of(h), 'error': str(e).splitlines()[-1]})
    # 4-axis header, celestial pair on axes 2,3 (FREQ first) and transposed DEC/RA
    h = fits.Header()
    h['NAXIS'] = 4
    for k, v in dict(NAXIS1=20, NAXIS2=300, NAXIS3=200, NAXIS4=1, CTYPE1='FREQ', CRVAL1=1.4e9, CDELT1=1e6, CRPIX1=1,
                     CTYPE2='DEC--SIN', CRVAL2=-30.0, CDELT2=0.001, CRPIX2=150, CTYPE3='RA---SIN', CRVAL3=200.0,
                     CDELT3=-0.001, CRPIX3=100, CTYPE4='STOKES', CRVAL4=1, CDELT4=1, CRPIX4=1, EQUINOX=2000.0).items():
        h[k] = v
    out.append(case('syn:transposed-4axis', h, 300, 200))
    return out


def frame_cases():
    lons = np.arange(0.0, 360.0, 30.0) + 7.3
    lats = np.array([-89.9, -75.0, -45.0, -10.0, 0.0, 12.5, 45.0, 75.0, 89.9])
    lon, lat = np.meshgrid(lons, lats)
    lon = np.append(lon.ravel(), [0.0, 266.404996, 192.85948])
    lat = np.append(lat.ravel(), [90.0, -28.936172, 27.12825])
    defs = {
        'icrs': ICRS(), 'galactic': Galactic(), 'fk5': FK5(equinox='J2000'), 'fk4': FK4(equinox='B1950'),
        'fk5_2010': FK5(equinox='J2010'), 'fk4_1975': FK4(equinox='B1975'),
    }
    pairs = [('icrs', 'galactic'), ('fk5', 'galactic'), ('fk4', 'fk5'), ('fk5', 'fk4'), ('galactic', 'icrs'),
             ('galactic', 'fk5'), ('fk4', 'galactic'), ('galactic', 'fk4'), ('icrs', 'fk5'), ('icrs', 'fk4'),
             ('fk5', 'fk5_2010'), ('fk4_1975', 'fk5'), ('fk5', 'fk4_1975'), ('fk4_1975', 'galactic'),
             ('galactic', 'fk4_1975'), ('icrs', 'fk4_1975')]
    out = []
    for a, b in pairs:
        sc = SkyCoord(lon * u.deg, lat * u.deg, frame=defs[a]).transform_to(defs[b])
        sph = sc.represent_as('unitspherical')
        out.append({'from': a, 'to': b, 'input': np.stack([lon, lat], 1).tolist(),
                    'output': np.stack([sph.lon.deg, sph.lat.deg], 1).tolist()})
    return out


def sexagesimal_cases():
    vals = [(0.0, 0.0), (188.73659, -45.10216667), (359.99999999, 89.999999999), (15.0, -0.5), (83.633083, 22.014500),
            (266.416833, -29.007806), (0.000416, -0.0000001), (123.456789, 1.0 / 3600 * 59.96)]
    out = []
    for lon, lat in vals:
        ra = Angle(lon, u.deg).to_string(unit=u.hourangle, sep=':', precision=2, pad=True)
        dec = Angle(lat, u.deg).to_string(unit=u.deg, sep=':', precision=1, alwayssign=True, pad=True)
        out.append({'lon': lon, 'lat': lat, 'hms': ra, 'dms': dec})
    return out


def parse_cases():
    texts = ['12:34:56.78 -45:06:07.8', '12h34m56.78s -45d06m07.8s', '12 34 56.78 -45 06 07.8',
             '00:00:01.5 +00:00:00.5', '23h59m59.999s +89d59m59.99s', '05:35:17.3 -05:23:28', '1:2:3 4:5:6']
    out = []
    for t in texts:
        sc = SkyCoord(t, unit=(u.hourangle, u.deg), frame='icrs')
        out.append({'text': t, 'lon': float(sc.ra.deg), 'lat': float(sc.dec.deg)})
    out.append({'text': '188.5 -45.25', 'lon': 188.5, 'lat': -45.25})
    return out


def main():
    import astropy
    data = {
        'generator': 'scripts/golden/wcsReference.py',
        'astropy': astropy.__version__,
        'cases': real_cases() + synthetic_cases(),
        'frames': frame_cases(),
        'sexagesimal': sexagesimal_cases(),
        'parse': parse_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(data, f, indent=None, separators=(',', ':'))
    print(f'wrote {OUT}: {len(data["cases"])} WCS cases, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
