package ui

import (
	"strings"

	"github.com/freenahi/freenahi/web/locale"
)

// deviceName says a session's browser in a few words, "Firefox · Linux",
// from its User-Agent: the first browser and system names found, in the
// order that tells them apart (Edge and Chrome both say Safari, Android
// says Linux).
func deviceName(l *locale.Locale, ua string) string {
	pick := func(names [][2]string) string {
		for _, n := range names {
			if strings.Contains(ua, n[0]) {
				return n[1]
			}
		}
		return ""
	}
	browser := pick([][2]string{{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome", "Chromium"},
		{"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}})
	system := pick([][2]string{{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"}})
	switch {
	case browser != "" && system != "":
		return browser + " · " + system
	case browser != "" || system != "":
		return browser + system
	case ua != "":
		return ua
	}
	return l.T("sessions.unknown_device")
}
