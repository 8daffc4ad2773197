package freenahi

import (
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on machines without a zoneinfo database.
)

// French bank days. Statements are per bank day, banks book nothing on
// Saturdays, Sundays and public holidays, and a statement may only cover a
// day that has ended: these functions say which days those are.

// Easter returns the date of Easter Sunday of a Gregorian year, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{Year: year, Month: time.Month(month), Day: day}
}

// FrenchHoliday reports whether d is a public holiday of metropolitan
// France (Code du travail L3133-1), on which French banks book nothing:
// 1 January, Easter Monday, 1 May, 8 May, Ascension Thursday, Whit Monday,
// 14 July, 15 August, 1 November, 11 November and 25 December.
func FrenchHoliday(d Date) bool {
	switch {
	case d.Month == time.January && d.Day == 1,
		d.Month == time.May && (d.Day == 1 || d.Day == 8),
		d.Month == time.July && d.Day == 14,
		d.Month == time.August && d.Day == 15,
		d.Month == time.November && (d.Day == 1 || d.Day == 11),
		d.Month == time.December && d.Day == 25:
		return true
	}
	easter := Easter(d.Year)
	switch d {
	case easter.AddDays(1), easter.AddDays(39), easter.AddDays(50):
		return true
	}
	return false
}

// IsBankDay reports whether French banks book on d: a weekday that is not
// a public holiday.
func IsBankDay(d Date) bool {
	switch d.Time().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !FrenchHoliday(d)
}

// NextBankDay returns the first bank day after d.
func NextBankDay(d Date) Date {
	for d = d.AddDays(1); !IsBankDay(d); d = d.AddDays(1) {
	}
	return d
}

// LastEndedBankDay returns the latest bank day that has fully ended at now
// in Europe/Paris, where French banks keep their days: the day before
// today there, or the bank day before that. A statement must stop there,
// since a later day may still receive bookings.
func LastEndedBankDay(now time.Time) Date {
	d := DateOf(now.In(bankZone)).AddDays(-1)
	for !IsBankDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// bankZone is where French banks keep their days.
var bankZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // time/tzdata is linked in: this cannot happen
	}
	return loc
}()
