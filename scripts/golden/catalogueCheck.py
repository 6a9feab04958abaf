#!/usr/bin/python3
"""Independent checks of CIRASA catalogue files with astropy and the `regions` package (Debian
python3-regions). Run with Debian's /usr/bin/python3. Every mode prints one JSON document on stdout.

  catalogueCheck.py sextractor-golden IMAGE.fits CAT.ascii CAT.ldac|- OUT.json
      expected values for our SExtractor readers: positions, sky PA and FWHM axes computed with astropy's
      WCS (SkyCoord.position_angle / separation), flux in Jy from the header beam, and the LDAC table as
      astropy.io.fits reads it.
  catalogueCheck.py votable FILE
      parse with astropy.io.votable (every warning is an error); print fields (name, unit, ucd, datatype)
      and rows of every table.
  catalogueCheck.py csv FILE
      read with astropy.table (format ascii.csv, '#' comments); print column names and rows.
  catalogueCheck.py regions FILE [IMAGE.fits]
      parse with regions.Regions.read(format='ds9'); print every shape, and with an image each shape
      converted to pixels by regions + astropy.wcs (0-based centres, angle CCW from +x).
Exit status 2 when a needed module is missing (tests skip on it), 1 on a check failure.
"""
import json
import math
import sys
import warnings


def need(module):
    try:
        return __import__(module)
    except ImportError:
        print(json.dumps({"missing": module}))
        sys.exit(2)


def axis_pa(c, a, b):
    """PA (deg E of N, [0,180)) of the axis through c from a to b: c->b and (c->a)+180 averaged."""
    p1, p2 = c.position_angle(b).rad, c.position_angle(a).rad + math.pi
    return math.degrees(math.atan2(math.sin(p1) + math.sin(p2), math.cos(p1) + math.cos(p2))) % 180


def sextractor_golden(image, ascii_cat, ldac, out):
    np = need("numpy")
    need("astropy")
    from astropy.coordinates import SkyCoord
    from astropy.io import fits
    from astropy.wcs import WCS

    hdr = fits.getheader(image)
    w = WCS(hdr).celestial
    names = [l.split()[2] for l in open(ascii_cat) if l.startswith("#")]
    data = np.atleast_2d(np.loadtxt(ascii_cat))
    scale = np.sqrt(np.abs(np.linalg.det(w.pixel_scale_matrix))) * 3600
    beam_px = math.pi * hdr["BMAJ"] * hdr["BMIN"] * 3600 ** 2 / (4 * math.log(2)) / (
        abs(w.pixel_scale_matrix[0, 0] * w.pixel_scale_matrix[1, 1] - w.pixel_scale_matrix[0, 1] * w.pixel_scale_matrix[1, 0]) * 3600 ** 2)
    rows = []
    for r in data:
        c = dict(zip(names, r))
        x, y, th = c["X_IMAGE"] - 1, c["Y_IMAGE"] - 1, math.radians(c["THETA_IMAGE"])
        # Central differences with a 0.01 px half-step: the local direction and scale at the centre.
        h = 0.01
        p0 = w.pixel_to_world(x, y)
        amaj, bmaj = w.pixel_to_world(x - h * math.cos(th), y - h * math.sin(th)), w.pixel_to_world(x + h * math.cos(th), y + h * math.sin(th))
        amin, bmin = w.pixel_to_world(x + h * math.sin(th), y - h * math.cos(th)), w.pixel_to_world(x - h * math.sin(th), y + h * math.cos(th))
        fw = 2 * math.sqrt(2 * math.log(2))
        rows.append({
            "name": str(int(c["NUMBER"])), "x": x, "y": y,
            "ra": c["ALPHA_J2000"], "dec": c["DELTA_J2000"],
            "raFromWcs": p0.fk5.ra.deg, "decFromWcs": p0.fk5.dec.deg,
            "paDeg": axis_pa(p0.fk5, amaj.fk5, bmaj.fk5),
            "bmajArcsec": c["A_IMAGE"] * fw * amaj.separation(bmaj).arcsec / (2 * h),
            "bminArcsec": c["B_IMAGE"] * fw * amin.separation(bmin).arcsec / (2 * h),
            "flux": c["FLUX_AUTO"] / beam_px, "peak": c["FLUX_MAX"],
            "sextractorThetaJ2000": c["THETA_J2000"],
        })
    ldac_rows = []
    if ldac != "-":
        tab = fits.open(ldac)["LDAC_OBJECTS"].data
        ldac_rows = [{k: float(tab[k][i]) for k in tab.columns.names} for i in range(len(tab))]
    json.dump({"image": image.split("/")[-1], "pixelScaleArcsec": scale, "beamAreaPx": beam_px,
               "rows": rows, "ldac": ldac_rows}, open(out, "w"), indent=1)
    print(json.dumps({"written": out, "rows": len(rows)}))


def votable(path):
    need("astropy")
    from astropy.io.votable import parse
    warnings.simplefilter("error")  # any warning (VOWarning, UnitsWarning, ...) fails the check
    try:
        vot = parse(path, verify="exception")
    except Exception as e:  # report, do not crash: the test prints this
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
    tables = []
    for t in vot.iter_tables():
        fields = [{"name": f.name, "unit": str(f.unit) if f.unit is not None else None, "ucd": f.ucd,
                   "datatype": f.datatype} for f in t.fields]
        rows = []
        for rec, mask in zip(t.array.data, t.array.mask):
            row = []
            for v, m in zip(rec, mask):
                if bool(m):
                    row.append(None)
                elif hasattr(v, "item"):
                    v = v.item()
                    row.append(v.decode() if isinstance(v, bytes) else (None if isinstance(v, float) and math.isnan(v) else v))
                else:
                    row.append(v)
            rows.append(row)
        tables.append({"name": t.name, "fields": fields, "rows": rows})
    print(json.dumps({"version": vot.version, "tables": tables}))


def regions_check(path, image=None):
    regions = need("regions")
    need("astropy")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            regs = regions.Regions.read(path, format="ds9")
    except Exception as e:
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
    w = None
    if image:
        from astropy.io import fits
        from astropy.wcs import WCS
        w = WCS(fits.getheader(image)).celestial
    out = []
    for r in regs:
        d = {"shape": type(r).__name__, "meta": {k: (list(v) if isinstance(v, (list, tuple)) else str(v)) for k, v in r.meta.items()},
             "visual": {k: str(v) for k, v in r.visual.items()}}
        pr = r
        if hasattr(r, "to_pixel") and w is not None:
            pr = r.to_pixel(w)
        if hasattr(pr, "center"):
            c = pr.center
            d["center"] = [float(c.x), float(c.y)] if hasattr(c, "x") else [c.spherical.lon.deg, c.spherical.lat.deg]
        if hasattr(pr, "width"):
            wv, hv = pr.width, pr.height
            d["width"] = float(getattr(wv, "value", wv)) if not hasattr(wv, "to") or str(getattr(wv, "unit", "")) in ("", "pix") else float(wv.to("arcsec").value)
            d["height"] = float(getattr(hv, "value", hv)) if not hasattr(hv, "to") or str(getattr(hv, "unit", "")) in ("", "pix") else float(hv.to("arcsec").value)
            d["angle"] = float(pr.angle.to("deg").value)
        if hasattr(pr, "vertices"):
            v = pr.vertices
            d["vertices"] = [[float(a), float(b)] for a, b in zip(v.x, v.y)] if hasattr(v, "x") else [[c.spherical.lon.deg, c.spherical.lat.deg] for c in v]
        if hasattr(pr, "text"):
            d["text"] = pr.text
        out.append(d)
    print(json.dumps({"count": len(regs), "shapes": out}))


def csv_check(path):
    need("astropy")
    from astropy.table import Table
    warnings.simplefilter("error")
    t = Table.read(path, format="ascii.csv", comment="#")
    rows = [[None if (hasattr(t[c], "mask") and t[c].mask[i]) else (t[c][i].item() if hasattr(t[c][i], "item") else t[c][i]) for c in t.colnames] for i in range(len(t))]
    print(json.dumps({"columns": t.colnames, "rows": rows}))


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "sextractor-golden":
        sextractor_golden(*sys.argv[2:6])
    elif mode == "votable":
        votable(sys.argv[2])
    elif mode == "csv":
        csv_check(sys.argv[2])
    elif mode == "regions":
        regions_check(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        print(__doc__)
        sys.exit(64)
