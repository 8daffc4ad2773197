package locale

// wealthMessages are the texts of the dashboard, the charts, the
// investment and loan pages, and the fields they take.
var wealthMessages = map[string][2]string{
	"field.interval": {"Interval", "Intervalle"},
}
