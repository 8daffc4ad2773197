// Command icons draws the web app's PNG icons (192 and 512 pixels, plus a
// maskable 512 with a safe margin) from the same shapes as
// web/ui/static/icon.svg: a blue rounded square and a white "F".
//
//	go run ./scripts/icons web/ui/static
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"
)

var (
	blue  = color.RGBA{0x1f, 0x5f, 0xbf, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// letterF is icon.svg's path M9 24V8h13v3.5h-9v3h8v3.5h-8V24z, in its 32-unit box.
var letterF = [][2]float64{{9, 24}, {9, 8}, {22, 8}, {22, 11.5}, {13, 11.5}, {13, 14.5}, {21, 14.5}, {21, 18}, {13, 18}, {13, 24}}

func inside(poly [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		xi, yi, xj, yj := poly[i][0], poly[i][1], poly[j][0], poly[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// draw renders the icon at size pixels; maskable fills the whole square and
// shrinks the letter into the central 80 % that launchers keep.
func draw(size int, maskable bool) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scale := float64(size) / 32
	const samples = 4 // anti-aliasing: 4×4 samples per pixel
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var bg, fg int
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/samples) / scale
					y := (float64(py) + (float64(sy)+0.5)/samples) / scale
					if !maskable && !inRoundedSquare(x, y) {
						continue
					}
					bg++
					lx, ly := x, y
					if maskable {
						lx, ly = 16+(x-16)/0.8, 16+(y-16)/0.8
					}
					if inside(letterF, lx, ly) {
						fg++
					}
				}
			}
			n := samples * samples
			c := mix(blue, white, fg, bg)
			c.A = uint8(255 * bg / n)
			img.SetRGBA(px, py, premultiply(c))
		}
	}
	return img
}

func inRoundedSquare(x, y float64) bool {
	const r = 6
	cx, cy := clamp(x, r, 32-r), clamp(y, r, 32-r)
	return x >= 0 && y >= 0 && x <= 32 && y <= 32 && (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

func clamp(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }

func mix(a, b color.RGBA, nb, total int) color.RGBA {
	if total == 0 {
		return color.RGBA{}
	}
	f := func(x, y uint8) uint8 { return uint8((int(x)*(total-nb) + int(y)*nb) / total) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

func premultiply(c color.RGBA) color.RGBA {
	p := func(v uint8) uint8 { return uint8(int(v) * int(c.A) / 255) }
	return color.RGBA{p(c.R), p(c.G), p(c.B), c.A}
}

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	for name, img := range map[string]image.Image{
		"icon-192.png": draw(192, false), "icon-512.png": draw(512, false), "icon-maskable-512.png": draw(512, true),
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			log.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}
