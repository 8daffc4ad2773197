package ui

import (
	"html/template"
	"net/url"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/ui/chart"
)

// chartView is a chart ready for the "chart" template: its SVG and its
// table alternative, every amount and date in the page's language.
type chartView struct {
	SVG     template.HTML
	Label   string
	Headers []string
	// Body is the table's rows, written once here (html/template called an
	// escaper through reflection for every cell).
	Body template.HTML
	// Periods are the links of the period selector; nil hides it.
	Periods []periodLink
	// Note is the key of a sentence shown under the chart.
	Note string
}

// amountText is an amount already written in the page's language, for
// lists long enough that calling the template's functions for each amount
// counted (the dashboard's 200 accounts, a chart's 60 rows): the "amount"
// template's markup, from fields.
type amountText struct {
	Text string
	Neg  bool
}

// write writes the markup of the "amount" template.
func (a amountText) write(b *strings.Builder) {
	if a.Neg {
		b.WriteString(`<span class="amount neg">`)
	} else {
		b.WriteString(`<span class="amount">`)
	}
	b.WriteString(template.HTMLEscapeString(a.Text))
	b.WriteString("</span>")
}

// amountOf writes minor units of c in l's language.
func amountOf(l *locale.Locale, minor int64, c freenahi.Currency) amountText {
	return amountText{Text: l.Money(minor, c), Neg: minor < 0}
}

// periodLink is one choice of the period selector.
type periodLink struct {
	Key, Href string
	Current   bool
}

// periods a chart can show, in selector order, with their length in days
// (0: the whole history).
var periods = []struct {
	key  string
	days int
}{{"1m", 30}, {"3m", 91}, {"1y", 365}, {"all", 0}}

// periodFrom reads ?period= (default def) and returns its key and first day
// ending on today; the zero Date for the whole history.
func periodFrom(q url.Values, def string, today freenahi.Date) (string, freenahi.Date) {
	key := q.Get("period")
	for _, p := range periods {
		if p.key == key {
			if p.days == 0 {
				return key, freenahi.Date{}
			}
			return key, today.AddDays(-p.days)
		}
	}
	return periodFrom(url.Values{"period": {def}}, def, today)
}

// periodLinks links path with each period, keeping the other parameters.
func periodLinks(path string, q url.Values, current string) []periodLink {
	var out []periodLink
	for _, p := range periods {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("period", p.key)
		out = append(out, periodLink{Key: p.key, Href: path + "?" + v.Encode(), Current: p.key == current})
	}
	return out
}

// newChart draws series of amounts in currency c for l's language.
func newChart(l *locale.Locale, label string, c freenahi.Currency, series []chart.Series) *chartView {
	if len(series) == 0 || len(series[0].Points) == 0 {
		return nil
	}
	pts := series[0].Points
	long := daysBetween(pts[0].Date, pts[len(pts)-1].Date) > 92
	line := &chart.Line{
		Label:  label,
		Series: series,
		Money:  func(v int64) string { return l.Money(v, c) },
		Tick:   func(v int64) string { return l.MoneyWhole(v, c) },
		Date:   l.Date,
		DateTick: func(d freenahi.Date) string {
			if long {
				return l.MonthYear(d)
			}
			return l.DayMonth(d)
		},
	}
	v := &chartView{SVG: line.SVG(), Label: label}
	for _, s := range series {
		v.Headers = append(v.Headers, s.Name)
	}
	var b strings.Builder
	for _, r := range line.Rows(60) {
		b.WriteString("<tr><td>")
		b.WriteString(template.HTMLEscapeString(l.Date(r.Date)))
		b.WriteString("</td>")
		for _, m := range r.Values {
			b.WriteString("<td>")
			amountOf(l, m, c).write(&b)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	v.Body = template.HTML(b.String())
	return v
}

// balancePoints turns a balance history into chart points.
func balancePoints(ps []freenahi.BalancePoint) []chart.Point {
	out := make([]chart.Point, len(ps))
	for i, p := range ps {
		out[i] = chart.Point{Date: p.Date, Minor: p.BalanceMinor}
	}
	return out
}

func daysBetween(a, b freenahi.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }
