package chart_test

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/ui/chart"
)

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi int64
		want   []int64
	}{
		{0, 1000, []int64{0, 500, 1000}},                  // a 250 step rounds up to 500
		{-3, 17, []int64{-5, 0, 5, 10, 15, 20}},           // 5 covers -3 from below
		{234567, 234567, []int64{134567, 234567, 334567}}, // flat: a step of nice(234567/4) = 100000 each side
		{0, 0, []int64{0}},
		{-18234512, -17000000, []int64{-18500000, -18000000, -17500000, -17000000}},
		{1, 3, []int64{1, 2, 3}},
	} {
		if got := chart.Ticks(tc.lo, tc.hi, 4); !slices.Equal(got, tc.want) {
			t.Errorf("Ticks(%d, %d) = %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
	}
}

// node is a parsed SVG element.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) walk(fn func(node)) {
	fn(n)
	for _, c := range n.Nodes {
		c.walk(fn)
	}
}

func day(s string) freenahi.Date {
	d, err := freenahi.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestLine_SVG(t *testing.T) {
	c := &chart.Line{
		Label: "Balance <of> Ana",
		Series: []chart.Series{{Name: "Checking", Points: []chart.Point{
			{Date: day("2026-03-01"), Minor: 0}, {Date: day("2026-03-02"), Minor: 1000}, {Date: day("2026-03-03"), Minor: -500}}}},
		Money:    func(v int64) string { return fmt.Sprintf("%d.%02d €", v/100, abs(v%100)) },
		Tick:     func(v int64) string { return fmt.Sprintf("%d €", v/100) },
		Date:     func(d freenahi.Date) string { return "le " + d.String() },
		DateTick: func(d freenahi.Date) string { return d.String()[5:] },
		Height:   100,
	}
	var root node
	if err := xml.Unmarshal([]byte(c.SVG()), &root); err != nil {
		t.Fatalf("not well-formed SVG: %v\n%s", err, c.SVG())
	}
	if root.attr("aria-label") != "Balance <of> Ana" {
		t.Fatalf("label %q", root.attr("aria-label"))
	}
	var ticks, titles []string
	var line string
	root.walk(func(n node) {
		switch {
		case n.XMLName.Local == "text":
			ticks = append(ticks, n.Text)
		case n.XMLName.Local == "title":
			titles = append(titles, n.Text)
		case n.XMLName.Local == "polyline":
			line = n.attr("points")
		}
	})
	// -500…1000 in steps of nice(375) = 500: gridlines -5, 0, 5, 10 €,
	// and -10 € since the line goes down to -5 €, where its label is; then
	// three dates.
	if want := []string{"-10 €", "-5 €", "0 €", "5 €", "10 €", "03-01", "03-02", "03-03"}; !slices.Equal(ticks, want) {
		t.Errorf("ticks %q, want %q", ticks, want)
	}
	if want := []string{"le 2026-03-01 · 0.00 €", "le 2026-03-02 · 10.00 €", "le 2026-03-03 · -5.00 €"}; !slices.Equal(titles, want) {
		t.Errorf("titles %q, want %q", titles, want)
	}
	// The plot is 1000 wide and 100 high for -10…10 €: 0 sits half way
	// down, 10 € at the top, -5 € at 3/4.
	if want := "0.0,50.0 500.0,0.0 1000.0,75.0"; line != want {
		t.Errorf("line %q, want %q", line, want)
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestLine_ManyPoints(t *testing.T) {
	var pts []chart.Point
	d := day("2023-01-01")
	for i := range 1096 {
		pts = append(pts, chart.Point{Date: d.AddDays(i), Minor: int64(i)})
	}
	c := &chart.Line{Label: "x", Series: []chart.Series{{Points: pts}}, Money: func(v int64) string { return fmt.Sprint(v) },
		Tick: func(v int64) string { return fmt.Sprint(v) }, Date: freenahi.Date.String, DateTick: freenahi.Date.String}
	svg := string(c.SVG())
	// At most 160 hit areas, the last one on the last day.
	if n := strings.Count(svg, `class="hit"`); n > 160 || n < 100 {
		t.Fatalf("%d hit areas", n)
	}
	if !strings.Contains(svg, "<title>2025-12-31 · 1095</title></rect></svg>") {
		t.Fatalf("the last hit area is not the last day's")
	}
	rows := c.Rows(12)
	if len(rows) != 12 || rows[0].Date != d.AddDays(1095) || rows[0].Values[0] != 1095 || rows[1].Values[0] != 1095-92 {
		t.Fatalf("rows %+v", rows[:2])
	}
}

// TestLine_LowestLabelClearOfLine: a gridline's value is written 3px above
// it in 12px text; whatever the data, no point of the line lies in the band
// of the lowest label (positions read back from the SVG).
func TestLine_LowestLabelClearOfLine(t *testing.T) {
	for _, minors := range [][]int64{
		{-500, 1000, 0},             // down to a round value: on the lowest gridline
		{10000, 12000, 15000},       // the lowest point first, where the label is
		{100010, 100000, 180000},    // just above a gridline
		{-18234512, -18000000, -17}, // a debt
		{5, 5, 5},                   // flat
	} {
		var pts []chart.Point
		for i, m := range minors {
			pts = append(pts, chart.Point{Date: day("2026-03-01").AddDays(i), Minor: m})
		}
		c := &chart.Line{Label: "x", Series: []chart.Series{{Points: pts}}, Money: func(v int64) string { return fmt.Sprint(v) },
			Tick: func(v int64) string { return fmt.Sprint(v) }, Date: freenahi.Date.String, DateTick: freenahi.Date.String}
		var root node
		if err := xml.Unmarshal([]byte(c.SVG()), &root); err != nil {
			t.Fatal(err)
		}
		lowest, plotTop := 0.0, 0.0
		var ys []float64
		root.walk(func(n node) {
			switch {
			case n.XMLName.Local == "text" && n.attr("x") == "4":
				lowest = max(lowest, num(t, n.attr("y")))
			case n.XMLName.Local == "svg" && n.attr("viewBox") != "":
				plotTop = num(t, n.attr("y"))
			case n.XMLName.Local == "polyline":
				for _, p := range strings.Fields(n.attr("points")) {
					_, y, _ := strings.Cut(p, ",")
					ys = append(ys, plotTop+num(t, y))
				}
			}
		})
		for _, y := range ys {
			if y > lowest-12 {
				t.Errorf("%v: a point at y=%.1f is in the lowest label's band (%.1f…%.1f)", minors, y, lowest-12, lowest)
			}
		}
	}
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
