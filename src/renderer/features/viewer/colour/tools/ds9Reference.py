#!/usr/bin/python3
"""Writes ../ds9Reference.json: how SAOImage DS9 colours a test image, the independent reference
for colourTile (see ds9Reference.test.ts). Needs ds9, Xvfb and xpa-tools (Debian saods9, xvfb,
xpa-tools) and astropy + Pillow. Run: /usr/bin/python3 tools/ds9Reference.py

The image is one row of 512 pixels, v = (i/511)^3 (dense near 0, so log/asinh and the histogram
equalisation are exercised), coloured with user limits 0..1 and exported at native resolution with
DS9's `export png`, which writes the colour-mapped pixels (no zoom, no window grab).
"""
import json, os, subprocess, tempfile, time
import numpy as np
from astropy.io import fits
from PIL import Image

N = 512
# every stretch in grey; every colormap in linear; a few crossings
COMBOS = [(s, "grey") for s in ["linear", "log", "pow", "sqrt", "squared", "asinh", "sinh", "histequ"]]
COMBOS += [("linear", c) for c in ["heat", "cool", "rainbow", "viridis", "inferno", "magma", "plasma", "cubehelix0"]]
COMBOS += [("log", "heat"), ("asinh", "viridis"), ("sqrt", "rainbow"), ("histequ", "cool")]
# (scale, cmap, inverted)
COMBOS = [(s, c, False) for s, c in COMBOS] + [("linear", "viridis", True), ("log", "heat", True), ("histequ", "grey", True)]
OURS = {"pow": "power", "histequ": "histeq", "cubehelix0": "cubehelix"}


def xpa(*args):
    subprocess.run(["xpaset", "-p", "colourref", *args], check=True)


def main():
    tmp = tempfile.mkdtemp(prefix="ds9ref-")
    values = (np.arange(N) / (N - 1)) ** 3
    path = os.path.join(tmp, "ramp.fits")
    fits.PrimaryHDU(values.astype(np.float32).reshape(1, N)).writeto(path)
    xvfb = subprocess.Popen(["Xvfb", ":93", "-screen", "0", "1024x768x24"], stderr=subprocess.DEVNULL)
    ds9 = subprocess.Popen(["ds9", "-title", "colourref"], env={**os.environ, "DISPLAY": ":93"})
    try:
        for _ in range(60):
            if subprocess.run(["xpaaccess", "colourref"], capture_output=True, text=True).stdout.strip() == "yes":
                break
            time.sleep(0.5)
        xpa("fits", path)
        version = subprocess.run(["xpaget", "colourref", "version"], capture_output=True, text=True).stdout.split()[-1]
        out = {"ds9Version": version, "values": "(i/511)^3, i = 0..511", "lo": 0, "hi": 1, "combos": []}
        for scale, cmap, inverted in COMBOS:
            xpa("scale", scale)
            xpa("cmap", cmap)
            xpa("cmap", "invert", "yes" if inverted else "no")
            xpa("scale", "limits", "0", "1")
            png = os.path.join(tmp, f"{scale}_{cmap}_{inverted}.png")
            xpa("export", "png", png)
            rgb = np.asarray(Image.open(png).convert("RGB"))[0]
            out["combos"].append({
                "ds9": f"{scale}/{cmap}" + (" inverted" if inverted else ""),
                "stretch": OURS.get(scale, scale),
                "colormap": OURS.get(cmap, cmap),
                "invert": inverted,
                "rgb": "".join("%02x%02x%02x" % tuple(p) for p in rgb),
            })
    finally:
        ds9.terminate()
        xvfb.terminate()
    dest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ds9Reference.json")
    with open(dest, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", dest)


if __name__ == "__main__":
    main()
