package request

import (
	"net/url"
	"testing"

	"github.com/freenahi/freenahi"
)

func TestParams_DecimalComma(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"12,30", "12.3"},
		{"12.30", "12.3"},
		{"-12,3", "-12.3"},
		{"1 234,56", "1234.56"},
		{"1\u00a0234,56", "1234.56"},
		{"1\u202f234,56", "1234.56"},
		{",5", "0.5"},
	} {
		p := NewParams(url.Values{"min_amount": {tc.in}}, "min_amount")
		d := p.Decimal("min_amount")
		if p.Err != nil || d == nil || d.String() != tc.want {
			t.Errorf("%q: got %v, err %v; want %s", tc.in, d, p.Err, tc.want)
		}
	}
	for _, bad := range []string{"1.234,56", "1,234.56", "1,2,3", "douze", "12 ,30 €"} {
		p := NewParams(url.Values{"max_amount": {bad}}, "max_amount")
		if d := p.Decimal("max_amount"); d != nil || freenahi.ErrorField(p.Err) != "max_amount" {
			t.Errorf("%q: got %v, err %v; want an error naming max_amount", bad, d, p.Err)
		}
	}
}
