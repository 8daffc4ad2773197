// Package chart draws server-rendered SVG line charts of amounts over days:
// gridlines with their values, dates along the bottom, and one hit area per
// period whose title says its date and exact amount (a pointer shows it on
// hover; app.js shows it on tap). Amounts stay exact integers in minor units
// and are formatted by the caller, in the person's language; floats only
// place pixels. Text is drawn at its natural size whatever the width, so a
// chart stays readable on a phone.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// Point is an amount at the end of a day.
type Point struct {
	Date  freenahi.Date
	Minor int64
}

// Series is one line.
type Series struct {
	Name   string
	Points []Point // oldest first, all series on the same days
}

// Line is a line chart. Set its fields, then call SVG.
type Line struct {
	// Label describes the chart for screen readers.
	Label  string
	Series []Series
	// Money formats an exact amount (titles); Tick formats a gridline value,
	// a whole multiple of the tick step; Date formats a day in a title;
	// DateTick formats a day along the bottom.
	Money, Tick func(minor int64) string
	Date        func(freenahi.Date) string
	DateTick    func(freenahi.Date) string
	// Height is the plot's height in pixels (default 180).
	Height int
}

// The plot is drawn in a viewBox Width wide, stretched to the chart's
// width; text lies outside it so it is never stretched.
const (
	viewWidth = 1000
	top       = 8  // room above the plot
	bottom    = 26 // room for the dates
	maxHits   = 160
	// labelRoom is the height in pixels a gridline's value takes above it
	// (12px text, 3px off its line), and a pixel more.
	labelRoom = 16
)

// SVG renders the chart; an empty string when it has no point.
func (c *Line) SVG() template.HTML {
	if len(c.Series) == 0 || len(c.Series[0].Points) == 0 {
		return ""
	}
	h := c.Height
	if h <= 0 {
		h = 180
	}
	lo, hi := c.bounds()
	ticks := Ticks(lo, hi, 4)
	// Each gridline's value is written just above it, inside the plot: when
	// the line comes down to within a label's height of the lowest one, it
	// ran through that label, so one more gridline below leaves it room.
	if n := len(ticks); n > 1 && float64(h)*float64(lo-ticks[0])/float64(max(hi, ticks[n-1])-ticks[0]) < labelRoom {
		ticks = append([]int64{2*ticks[0] - ticks[1]}, ticks...)
	}
	lo, hi = min(lo, ticks[0]), max(hi, ticks[len(ticks)-1])
	y := func(v int64) float64 {
		if hi == lo {
			return float64(h) / 2
		}
		return float64(h) * float64(hi-v) / float64(hi-lo)
	}
	pts := c.Series[0].Points
	x := func(i int) float64 {
		if len(pts) == 1 {
			return viewWidth / 2
		}
		return viewWidth * float64(i) / float64(len(pts)-1)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart-svg" width="100%%" height="%d" role="img" aria-label="%s">`, h+top+bottom, esc(c.Label))
	for _, t := range ticks {
		gy := top + y(t)
		fmt.Fprintf(&b, `<line class="grid" x1="0" x2="100%%" y1="%s" y2="%s"/>`, f(gy), f(gy))
	}
	fmt.Fprintf(&b, `<svg x="0" y="%d" width="100%%" height="%d" viewBox="0 0 %d %d" preserveAspectRatio="none">`, top, h, viewWidth, h)
	if lo < 0 && hi > 0 {
		fmt.Fprintf(&b, `<line class="zero" x1="0" x2="%d" y1="%s" y2="%s"/>`, viewWidth, f(y(0)), f(y(0)))
	}
	var line []byte
	for si, s := range c.Series {
		// Appended in place: a string per coordinate was most of drawing
		// a chart of a year of days.
		line = line[:0]
		for i, p := range s.Points {
			if i > 0 {
				line = append(line, ' ')
			}
			line = strconv.AppendFloat(line, x(i), 'f', 1, 64)
			line = append(line, ',')
			line = strconv.AppendFloat(line, y(p.Minor), 'f', 1, 64)
		}
		if si == 0 {
			base := f(y(max(lo, min(0, hi))))
			fmt.Fprintf(&b, `<polygon class="area" points="0,%s %s %d,%s"/>`, base, line, viewWidth, base)
		}
		fmt.Fprintf(&b, `<polyline class="line line-%d" points="%s"/>`, si, line)
	}
	c.hits(&b, x, h)
	b.WriteString(`</svg>`)
	// The values' labels come after the line, so that they are painted over
	// it, on a halo of the card's colour (app.css): a line crossing a label
	// no longer makes it unreadable.
	for _, t := range ticks {
		fmt.Fprintf(&b, `<text class="tick value" x="4" y="%s">%s</text>`, f(top+y(t)-3), esc(c.Tick(t)))
	}
	ticks2 := dateTicks(len(pts))
	for j, i := range ticks2 {
		class := "tick"
		if j%2 == 1 && j != len(ticks2)-1 {
			class = "tick minor" // hidden on narrow screens, where dates would touch
		}
		anchor := "middle"
		switch i {
		case 0:
			anchor = "start"
		case len(pts) - 1:
			anchor = "end"
		}
		pct := 50.0
		if len(pts) > 1 {
			pct = 100 * float64(i) / float64(len(pts)-1)
		}
		fmt.Fprintf(&b, `<text class="%s" x="%s%%" y="%d" text-anchor="%s">%s</text>`, class, f(pct), top+h+18, anchor,
			esc(c.DateTick(pts[i].Date)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// hits draws the hover and tap areas: one per point, or per run of points
// when there are many, each titled with its last day and every series' value.
func (c *Line) hits(b *strings.Builder, x func(int) float64, h int) {
	pts := c.Series[0].Points
	per := (len(pts) + maxHits - 1) / maxHits
	half := viewWidth / float64(max(len(pts)-1, 1)) / 2
	for start := 0; start < len(pts); start += per {
		end := min(start+per, len(pts)) - 1
		left, right := max(x(start)-half, 0), min(x(end)+half, viewWidth)
		var title strings.Builder
		title.WriteString(c.Date(pts[end].Date))
		for _, s := range c.Series {
			title.WriteString(" · ")
			if len(c.Series) > 1 {
				title.WriteString(s.Name + " ")
			}
			title.WriteString(c.Money(s.Points[end].Minor))
		}
		b.WriteString(`<rect class="hit" x="`)
		b.WriteString(f(left))
		b.WriteString(`" y="0" width="`)
		b.WriteString(f(right - left))
		b.WriteString(`" height="`)
		b.WriteString(strconv.Itoa(h))
		b.WriteString(`" tabindex="-1"><title>`)
		b.WriteString(esc(title.String()))
		b.WriteString(`</title></rect>`)
	}
}

// bounds returns the smallest and largest amounts of every series.
func (c *Line) bounds() (lo, hi int64) {
	lo, hi = c.Series[0].Points[0].Minor, c.Series[0].Points[0].Minor
	for _, s := range c.Series {
		for _, p := range s.Points {
			lo, hi = min(lo, p.Minor), max(hi, p.Minor)
		}
	}
	return lo, hi
}

// Ticks returns about n+1 round gridline values covering lo…hi: multiples of
// a step of 1, 2 or 5 times a power of ten, in minor units, exactly.
func Ticks(lo, hi int64, n int) []int64 {
	if lo == hi {
		if lo == 0 {
			return []int64{0}
		}
		// A flat line gets a gridline on it and one each side.
		step := niceStep(abs(lo) / int64(n))
		return []int64{lo - step, lo, lo + step}
	}
	step := niceStep((hi - lo) / int64(n))
	first := floorDiv(lo, step) * step
	var out []int64
	for v := first; ; v += step {
		out = append(out, v)
		if v >= hi {
			return out
		}
	}
}

// niceStep is the smallest 1, 2 or 5 × 10^k at least raw (and at least 1).
func niceStep(raw int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= raw {
				return m * p
			}
		}
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// dateTicks returns up to five indexes spread along n points, both ends included.
func dateTicks(n int) []int {
	if n <= 1 {
		return []int{0}
	}
	k := min(n, 5)
	out := make([]int, 0, k)
	for j := range k {
		out = append(out, j*(n-1)/(k-1))
	}
	return out
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func esc(s string) string { return html.EscapeString(s) }

// Row is one line of a chart's table alternative.
type Row struct {
	Date   freenahi.Date
	Values []int64 // one per series
}

// Rows returns the table alternative: at most max rows, the last day of
// each run of days, newest first.
func (c *Line) Rows(limit int) []Row {
	if len(c.Series) == 0 {
		return nil
	}
	pts := c.Series[0].Points
	per := max((len(pts)+limit-1)/max(limit, 1), 1)
	var out []Row
	for end := len(pts) - 1; end >= 0; end -= per {
		r := Row{Date: pts[end].Date}
		for _, s := range c.Series {
			r.Values = append(r.Values, s.Points[end].Minor)
		}
		out = append(out, r)
	}
	return out
}
