package freenahi

// Round returns d in minor units of the given exponent, rounded half away
// from zero: for display (a percentage, a computed schedule), never for a
// stored amount. It saturates instead of overflowing.
func (d Decimal) Round(exponent int) int64 {
	d = d.normalize()
	if int(d.scale) <= exponent {
		v, err := d.Minor(exponent)
		if err != nil {
			if d.coef < 0 {
				return -1 << 63
			}
			return 1<<63 - 1
		}
		return v
	}
	div := int64(1)
	for i := exponent; i < int(d.scale); i++ {
		div *= 10
	}
	q, r := d.coef/div, d.coef%div
	if r < 0 {
		r = -r
	}
	if r*2 >= div { // r < div ≤ 10^18, so 2r fits
		if d.coef < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}
